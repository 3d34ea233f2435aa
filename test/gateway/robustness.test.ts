import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { startTestApp, type TestApp } from '../helpers/start-test-app.js';
import { rawRequest, type RawResponse } from '../helpers/gateway-call.js';
import { aPay } from '../helpers/builders.js';
import { checkEnvelope, echoOf, GATEWAY_ERROR_XML, type CheckedAnswer } from '../helpers/envelope-checks.js';
import { parseHttpResponse, socketExchange } from '../helpers/raw-socket.js';
import { runFuzz } from '../helpers/fuzz-requests.js';
import { buildSignString, md5Sign } from '../../src/protocol/sign.js';
import { encodeForm } from '../../src/protocol/form-encode.js';
import { responseSignString } from '../../src/protocol/envelope.js';
import type { Charset } from '../../src/protocol/constants.js';
import { DEMO_MERCHANT } from '../../src/demo-accounts.js';

const PAY = 'alipay.acquire.overseas.spot.pay';
const QUERY = 'alipay.acquire.overseas.query';
const CANCEL = 'alipay.acquire.cancel';
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const BODY_LIMIT = 262_144; // the documented default of config bodyLimit

/** A request of the demo merchant, signed with its MD5 key, in wire order: `sign` and `sign_type` last. */
function signed(
  service: string,
  business: Record<string, string>,
  charset: Charset = 'UTF-8',
): Array<[string, string]> {
  const params: Record<string, string> = {
    service,
    partner: DEMO_MERCHANT.partner,
    _input_charset: charset.toLowerCase(),
    ...business,
  };
  const sign = md5Sign(buildSignString(params), DEMO_MERCHANT.md5Key, charset);
  return [...Object.entries(params), ['sign', sign], ['sign_type', 'MD5']];
}

/** A signed spot pay; override what the test is about. */
function signedPay(overrides: Record<string, string> = {}, charset: Charset = 'UTF-8') {
  return signed(PAY, aPay(overrides), charset);
}

function form(params: Array<[string, string]>, charset: Charset = 'UTF-8'): string {
  return encodeForm(params, charset);
}

/** Asserts the answer is the protocol's envelope and returns it parsed. */
function envelope(res: RawResponse): CheckedAnswer {
  const checked = checkEnvelope(res.status, res.headers['content-type'] as string | undefined, res.body);
  if (typeof checked === 'string')
    assert.fail(`not the protocol's envelope (${checked}): ${res.text.slice(0, 300)}`);
  return checked;
}

/** Asserts the answer is exactly the `is_success=F` envelope with this code. */
function assertGatewayError(res: RawResponse, code: string): void {
  const answer = envelope(res);
  assert.equal(GATEWAY_ERROR_XML.exec(answer.text)?.[1], code, answer.text);
}

/** Sends raw bytes over TCP and asserts the answer (there must be one) is the F envelope with this code. */
async function assertSocketError(app: TestApp, bytes: Buffer | string, code: string): Promise<void> {
  const reply = await socketExchange(app.url, bytes);
  const http = parseHttpResponse(reply.bytes);
  assert.ok(http, `no HTTP answer: ${JSON.stringify(reply.bytes.toString('latin1').slice(0, 200))}`);
  const answer = checkEnvelope(http.status, http.headers['content-type'], http.body);
  if (typeof answer === 'string') assert.fail(answer);
  assert.equal(GATEWAY_ERROR_XML.exec(answer.text)?.[1], code, answer.text);
}

describe('bad input never breaks the gateway', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp();
  });
  after(async () => app.close());

  for (const method of ['PUT', 'DELETE', 'PATCH', 'OPTIONS']) {
    it(`${method} of a correctly signed request is ILLEGAL_ARGUMENT`, async () => {
      const res = await rawRequest(app.url, {
        method,
        path: '/gateway.do',
        body: form(signedPay()),
        headers: FORM,
      });
      assertGatewayError(res, 'ILLEGAL_ARGUMENT');
    });
  }

  it('methods only WebDAV and RFC 10008 know (PROPFIND, SEARCH, QUERY, TRACE) get the envelope too', async () => {
    for (const method of ['PROPFIND', 'SEARCH', 'QUERY', 'TRACE']) {
      await assertSocketError(
        app,
        `${method} /gateway.do?${form(signedPay())} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`,
        'ILLEGAL_ARGUMENT',
      );
    }
  });

  it('a body of exactly bodyLimit bytes is read; one byte more is ILLEGAL_ARGUMENT', async () => {
    const fill = (size: number) => {
      // An unknown extra parameter is accepted, signed and echoed (docs/protocol.md), so it pads the body.
      const probe = form(signedPay({ partner_trans_id: 'PAD-BODY', pad: '' }));
      return form(signedPay({ partner_trans_id: 'PAD-BODY', pad: 'x'.repeat(size - probe.length) }));
    };
    const exact = fill(BODY_LIMIT);
    assert.equal(exact.length, BODY_LIMIT);
    const ok = envelope(
      await rawRequest(app.url, { method: 'POST', path: '/gateway.do', body: exact, headers: FORM }),
    );
    assert.equal(ok.alipay.is_success, 'T');
    const over = fill(BODY_LIMIT + 1);
    assert.equal(over.length, BODY_LIMIT + 1);
    assertGatewayError(
      await rawRequest(app.url, { method: 'POST', path: '/gateway.do', body: over, headers: FORM }),
      'ILLEGAL_ARGUMENT',
    );
  });

  it('a body is read when the request declares one, also on a GET; a POST that declares none is answered from its query', async () => {
    // The gateway answers a request without Content-Length and Transfer-Encoding (or with a length of
    // 0) without reading its stream; one that declares a body must still be answered from that body.
    const body = form(signedPay({ partner_trans_id: 'GET-WITH-BODY' }));
    const getWithBody = envelope(
      await rawRequest(app.url, {
        path: '/gateway.do',
        body,
        headers: { ...FORM, 'content-length': String(Buffer.byteLength(body)) },
      }),
    );
    assert.match(getWithBody.text, /<result_code>SUCCESS<\/result_code>/);
    assert.match(getWithBody.text, /<partner_trans_id>GET-WITH-BODY<\/partner_trans_id>/);
    const query = form(signedPay({ partner_trans_id: 'POST-NO-BODY' }));
    const postNoBody = envelope(
      await rawRequest(app.url, {
        method: 'POST',
        path: `/gateway.do?${query}`,
        headers: { ...FORM, 'content-length': '0' },
      }),
    );
    assert.match(postNoBody.text, /<result_code>SUCCESS<\/result_code>/);
    assert.match(postNoBody.text, /<partner_trans_id>POST-NO-BODY<\/partner_trans_id>/);
  });

  it('a chunked body above bodyLimit is ILLEGAL_ARGUMENT', async () => {
    const res = await rawRequest(app.url, {
      method: 'POST',
      path: '/gateway.do',
      body: `a=${'x'.repeat(BODY_LIMIT)}`,
      headers: { ...FORM, 'transfer-encoding': 'chunked' },
    });
    assertGatewayError(res, 'ILLEGAL_ARGUMENT');
  });

  it('a URL of exactly bodyLimit bytes is read; one byte more, or far more, is ILLEGAL_ARGUMENT', async () => {
    const url = (size: number) => {
      const probe = `/gateway.do?${form(signedPay({ partner_trans_id: 'PAD-URL', pad: '' }))}`;
      return `/gateway.do?${form(signedPay({ partner_trans_id: 'PAD-URL', pad: 'y'.repeat(size - probe.length) }))}`;
    };
    const exact = url(BODY_LIMIT);
    assert.equal(exact.length, BODY_LIMIT);
    assert.equal(envelope(await rawRequest(app.url, { path: exact })).alipay.is_success, 'T');
    assertGatewayError(await rawRequest(app.url, { path: url(BODY_LIMIT + 1) }), 'ILLEGAL_ARGUMENT');
    // Beyond bodyLimit + 16 KiB Node's HTTP parser itself refuses the request head.
    assertGatewayError(await rawRequest(app.url, { path: url(BODY_LIMIT + 64 * 1024) }), 'ILLEGAL_ARGUMENT');
  });

  for (const bad of ['%zz', '%4', '%', '%%41', '%4G']) {
    it(`an invalid percent escape ${bad} is ILLEGAL_ARGUMENT, in the query and in the body`, async () => {
      const query = `${form(signedPay())}&memo=a${bad}`;
      assertGatewayError(await rawRequest(app.url, { path: `/gateway.do?${query}` }), 'ILLEGAL_ARGUMENT');
      assertGatewayError(
        await rawRequest(app.url, { method: 'POST', path: '/gateway.do', body: `${bad}=1`, headers: FORM }),
        'ILLEGAL_ARGUMENT',
      );
    });
  }

  it('bytes invalid in the declared charset decode to U+FFFD, so the signature fails: ILLEGAL_SIGN', async () => {
    // The client signed the raw bytes FF FE; the sandbox reads them as two U+FFFD (docs/protocol.md).
    const params = Object.fromEntries(signedPay({ trans_name: '\u00FF\u00FE' }).slice(0, -2));
    const signed = Buffer.from(buildSignString(params) + DEMO_MERCHANT.md5Key, 'latin1');
    const sign = createHash('md5').update(signed).digest('hex');
    const query = form(Object.entries({ ...params, trans_name: 'TN' })).replace(
      'trans_name=TN',
      'trans_name=%FF%FE',
    );
    const res = await rawRequest(app.url, { path: `/gateway.do?${query}&sign=${sign}&sign_type=MD5` });
    assertGatewayError(res, 'ILLEGAL_SIGN');
    assert.doesNotMatch(res.text, /<request>/);
  });

  it('a request signed over the U+FFFD text it decodes to is accepted and echoes U+FFFD', async () => {
    const params = signedPay({ trans_name: '\uFFFD\uFFFD' });
    const query = form(params).replace(/trans_name=[^&]*/, 'trans_name=%FF%FE');
    const answer = envelope(await rawRequest(app.url, { path: `/gateway.do?${query}` }));
    assert.equal(answer.alipay.is_success, 'T');
    assert.deepEqual(
      echoOf(answer).find(([n]) => n === 'trans_name'),
      ['trans_name', '\uFFFD\uFFFD'],
    );
  });

  it('bytes invalid in GBK (the default charset) fail the signature too', async () => {
    const params = Object.fromEntries(
      signedPay({}, 'GBK')
        .filter(([n]) => n !== '_input_charset')
        .slice(0, -2),
    );
    const sign = md5Sign(buildSignString(params), DEMO_MERCHANT.md5Key, 'GBK');
    const query = `${form(Object.entries(params), 'GBK')}&memo=%FF%FF&sign=${sign}&sign_type=MD5`;
    assertGatewayError(await rawRequest(app.url, { path: `/gateway.do?${query}` }), 'ILLEGAL_SIGN');
  });

  it('an emoji GBK cannot encode comes back as a numeric character reference', async () => {
    const name = 'Coffee \u{1F600} 咖啡';
    const res = await rawRequest(app.url, { path: `/gateway.do?${form(signedPay({ trans_name: name }))}` });
    const answer = envelope(res);
    assert.equal(answer.alipay.is_success, 'T');
    assert.match(res.text, /Coffee &#x1F600; 咖啡/);
    assert.deepEqual(
      echoOf(answer).find(([n]) => n === 'trans_name'),
      ['trans_name', name],
    );
  });

  it('XML metacharacters are escaped and control characters become ?', async () => {
    const name = `<script>&"'\u0001]]></script>\u001F\u007F`;
    const res = await rawRequest(app.url, { path: `/gateway.do?${form(signedPay({ trans_name: name }))}` });
    const answer = envelope(res);
    assert.equal(answer.alipay.is_success, 'T');
    assert.match(res.text, /&lt;script&gt;&amp;&quot;&apos;\?\]\]&gt;&lt;\/script&gt;\?\u007F/);
    assert.deepEqual(
      echoOf(answer).find(([n]) => n === 'trans_name'),
      ['trans_name', `<script>&"'?]]></script>?\u007F`],
    );
  });

  it('a business field with CR or a control character is signed as an XML parser reads it', async () => {
    // Cancel echoes out_trade_no in its signed fields. XML parsers turn a raw CR into LF (XML 1.0 §2.11),
    // and a control character cannot be carried at all: the sandbox shows it as '?'.
    const outTradeNo = 'A\rB\u0001C';
    const res = await rawRequest(app.url, {
      path: `/gateway.do?${form(signed(CANCEL, { out_trade_no: outTradeNo, timestamp: '1795665600000' }))}`,
    });
    const answer = envelope(res);
    const read = checkEnvelope(200, 'text/xml; charset=GBK', Buffer.from(res.text.replace(/\r\n?/g, '\n')));
    if (typeof read === 'string') assert.fail(read);
    const fields = (read.alipay.response as { alipay: Record<string, string> }).alipay;
    assert.equal(fields.out_trade_no, 'A\rB?C');
    assert.equal(answer.alipay.sign, md5Sign(responseSignString(fields), DEMO_MERCHANT.md5Key, 'UTF-8'));
  });

  it('metacharacters in service and partner never reach the F envelope', async () => {
    assertGatewayError(
      await rawRequest(app.url, { path: `/gateway.do?service=%3Cx%3E%26&partner=1` }),
      'ILLEGAL_SERVICE',
    );
    assertGatewayError(
      await rawRequest(app.url, { path: `/gateway.do?service=${QUERY}&partner=%3C%2Fpartner%3E%00` }),
      'ILLEGAL_PARTNER',
    );
  });

  it('100 000 parameters in the body are ILLEGAL_ARGUMENT', async () => {
    const body = 'x&'.repeat(100_000);
    assert.ok(body.length < BODY_LIMIT); // the parameter limit, not the size limit, refuses it
    const res = await rawRequest(app.url, { method: 'POST', path: '/gateway.do', body, headers: FORM });
    assertGatewayError(res, 'ILLEGAL_ARGUMENT');
  });

  it('parameter names that are not identifiers are ILLEGAL_ARGUMENT', async () => {
    const signed = form(signedPay());
    for (const name of [
      'a+b',
      'a%20b',
      '<x>',
      '%3Cx%3E',
      '%00',
      'a%00',
      '9lives',
      '%E4%B8%AD',
      'n'.repeat(65),
    ]) {
      assertGatewayError(
        await rawRequest(app.url, { path: `/gateway.do?${signed}&${name}=1` }),
        'ILLEGAL_ARGUMENT',
      );
    }
    assertGatewayError(
      await rawRequest(app.url, {
        method: 'POST',
        path: '/gateway.do',
        body: `${signed}&a b=1`,
        headers: FORM,
      }),
      'ILLEGAL_ARGUMENT',
    );
    // A raw space ends the request target: Node's HTTP parser refuses the line, still with the envelope.
    await assertSocketError(app, 'GET /gateway.do?a b=1 HTTP/1.1\r\nHost: x\r\n\r\n', 'ILLEGAL_ARGUMENT');
  });

  for (const type of ['application/json', 'text/plain', 'multipart/form-data; boundary=x', 'text/xml']) {
    it(`a body of type ${type} is ILLEGAL_ARGUMENT, even when it is a signed form`, async () => {
      const res = await rawRequest(app.url, {
        method: 'POST',
        path: '/gateway.do',
        body: form(signedPay()),
        headers: { 'content-type': type },
      });
      assertGatewayError(res, 'ILLEGAL_ARGUMENT');
    });
  }

  it('a body with no content type is read as a form', async () => {
    const body = form(signedPay());
    const res = await rawRequest(app.url, {
      method: 'POST',
      path: '/gateway.do',
      body,
      headers: { 'content-length': String(body.length) },
    });
    assert.equal(envelope(res).alipay.is_success, 'T');
    const garbage = await rawRequest(app.url, {
      method: 'POST',
      path: '/gateway.do',
      body: Buffer.from([0xff, 0x00, 0x25, 0x3d, 0x26, 0x80]),
    });
    assertGatewayError(garbage, 'ILLEGAL_ARGUMENT');
  });

  it('a parameter repeated with another value is ILLEGAL_ARGUMENT, in the query or across query and body', async () => {
    const signed = signedPay();
    assertGatewayError(
      await rawRequest(app.url, { path: `/gateway.do?${form(signed)}&trans_amount=0.01` }),
      'ILLEGAL_ARGUMENT',
    );
    const res = await rawRequest(app.url, {
      method: 'POST',
      path: `/gateway.do?${form(signed)}`,
      body: 'currency=HKD',
      headers: FORM,
    });
    assertGatewayError(res, 'ILLEGAL_ARGUMENT');
  });

  it('a parameter repeated with the same value is kept once', async () => {
    const signed = signedPay();
    const res = await rawRequest(app.url, {
      method: 'POST',
      path: `/gateway.do?${form(signed)}&currency=USD`,
      body: 'currency=USD&_input_charset=UTF-8',
      headers: FORM,
    });
    const answer = envelope(res);
    assert.equal(answer.alipay.is_success, 'T');
    assert.deepEqual(
      echoOf(answer).map(([n]) => n),
      signed.map(([n]) => n),
    );
  });

  it('bytes that are not HTTP get an answer or a closed connection, and the server stays up', async () => {
    const payloads = [
      Buffer.from('160301020001000001fc0303', 'hex'), // the start of a TLS ClientHello
      Buffer.from([0, 1, 2, 3, 0xff, 0xfe, 0x0d, 0x0a, 0x0d, 0x0a]),
      Buffer.from('\r\n\r\n\r\n'),
      Buffer.from('GET /gateway.do HTTP/9.9\r\n\r\n'),
      Buffer.from('GET /gateway.do HTTP/1.1\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n'),
      Buffer.from('POST /gateway.do HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n'),
      Buffer.from('GET /gateway.do?service=x HTTP/1.1\r\nBad Header\r\n\r\n'),
      Buffer.alloc(70_000, 0x41),
    ];
    for (const bytes of payloads) {
      const reply = await socketExchange(app.url, bytes);
      assert.ok(reply.closed, 'the connection was left open without an answer');
      if (reply.bytes.length === 0) continue;
      const http = parseHttpResponse(reply.bytes);
      assert.ok(
        http,
        `an answer that is not HTTP: ${JSON.stringify(reply.bytes.toString('latin1').slice(0, 100))}`,
      );
      const answer = checkEnvelope(http.status, http.headers['content-type'], http.body);
      if (typeof answer === 'string') assert.fail(answer);
    }
    const health = await rawRequest(app.url, { path: '/healthz' });
    assert.equal(health.status, 200);
  });

  it('3000 seeded random requests all get a well-formed envelope, and the server stays up', async () => {
    const seed = Number(process.env['FUZZ_SEED'] ?? 20261126);
    const { failures, tally } = await runFuzz(app.url, { seed, count: 3000, concurrency: 16 });
    assert.deepEqual(failures.slice(0, 5), [], `seed ${seed}: ${failures.length} bad answers`);
    // The mix must reach every layer: decoding, each gateway check, the services and the ledger.
    const seen = [...tally.keys()];
    for (const kind of [
      'F:ILLEGAL_ARGUMENT',
      'F:ILLEGAL_SIGN',
      'F:ILLEGAL_SERVICE',
      'T:SUCCESS',
      'T:FAILED:INVALID_PARAMETER',
    ]) {
      assert.ok(seen.includes(kind), `no ${kind} among ${seen.join(', ')}`);
    }
    const health = await rawRequest(app.url, { path: '/healthz' });
    assert.equal(health.status, 200);
    assert.equal(health.text, '{"status":"ok"}');
  });
});
