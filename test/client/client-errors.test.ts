import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import iconv from 'iconv-lite';
import { startTestApp, type TestApp } from '../helpers/start-test-app.js';
import { startStubServer, type StubServer } from '../helpers/stub-http-server.js';
import { DEMO_MERCHANT } from '../../src/demo-accounts.js';
import { md5Sign } from '../../src/protocol/sign.js';
import { responseSignString, renderSuccessEnvelope } from '../../src/protocol/envelope.js';
import {
  createMapiClient,
  MapiGatewayError,
  MapiSignatureError,
  MapiTransportError,
  type MapiClientOptions,
  type TransportErrorKind,
} from '../../src/index.js';

const QUERY = { partnerTransId: 'P1' };

function demoClient(gateway: string, opts: Partial<MapiClientOptions> = {}) {
  return createMapiClient({ gateway, partner: DEMO_MERCHANT.partner, key: DEMO_MERCHANT.md5Key, ...opts });
}

/** Asserts a MapiTransportError of the given kind. */
function isTransport(kind: TransportErrorKind) {
  return (err: unknown) => {
    assert.ok(err instanceof MapiTransportError, `expected MapiTransportError, got ${String(err)}`);
    assert.equal(err.kind, kind);
    return true;
  };
}

/** A signed query answer as the sandbox would render it, signed with `key`. */
function signedAnswer(key: string): Buffer {
  const fields = { result_code: 'SUCCESS', alipay_trans_status: 'TRADE_SUCCESS', trans_amount: '1.00' };
  return iconv.encode(
    renderSuccessEnvelope({
      request: [],
      response: fields,
      sign: md5Sign(responseSignString(fields), key, 'UTF-8'),
      signType: 'MD5',
    }),
    'gbk',
  );
}

describe('MAPI client errors', () => {
  let app: TestApp;
  const stubs: StubServer[] = [];
  const stub = async (handler: Parameters<typeof startStubServer>[0]) => {
    const s = await startStubServer(handler);
    stubs.push(s);
    return `${s.url}/gateway.do`;
  };

  before(async () => {
    app = await startTestApp();
  });
  after(async () => {
    await Promise.all(stubs.map((s) => s.close()));
    await app.close();
  });

  it('a wrong MD5 key is refused by the gateway: MapiGatewayError with code ILLEGAL_SIGN', async () => {
    const client = demoClient(`${app.url}/gateway.do`, { key: 'x'.repeat(32) });
    try {
      await assert.rejects(client.query(QUERY), (err: unknown) => {
        assert.ok(err instanceof MapiGatewayError);
        assert.equal(err.code, 'ILLEGAL_SIGN');
        assert.match(err.xml, /<is_success>F<\/is_success>/);
        assert.equal(err.request['partner_trans_id'], 'P1');
        return true;
      });
    } finally {
      client.close();
    }
  });

  it('a connection reset is a transport error of kind network', async () => {
    const gateway = await stub((req) => req.socket.resetAndDestroy());
    const client = demoClient(gateway);
    try {
      await assert.rejects(client.query(QUERY), isTransport('network'));
    } finally {
      client.close();
    }
  });

  it('a refused connection is a transport error of kind network', async () => {
    const s = await startStubServer(() => undefined);
    await s.close();
    const client = demoClient(`${s.url}/gateway.do`);
    try {
      await assert.rejects(client.query(QUERY), isTransport('network'));
    } finally {
      client.close();
    }
  });

  it('no answer within timeoutMs is a transport error of kind timeout', async () => {
    const gateway = await stub(() => undefined); // never answers
    const client = demoClient(gateway, { timeoutMs: 200 });
    try {
      await assert.rejects(client.query(QUERY), isTransport('timeout'));
    } finally {
      client.close();
    }
  });

  it('an HTTP status other than 200 is a transport error of kind http-status, with the status', async () => {
    const gateway = await stub((_req, res) => res.writeHead(502).end('bad gateway'));
    const client = demoClient(gateway);
    try {
      await assert.rejects(client.query(QUERY), (err: unknown) => {
        isTransport('http-status')(err);
        assert.equal((err as MapiTransportError).status, 502);
        assert.equal((err as MapiTransportError).body, 'bad gateway');
        return true;
      });
    } finally {
      client.close();
    }
  });

  it('an HTML page is a transport error of kind html', async () => {
    const gateway = await stub((_req, res) =>
      res
        .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
        .end('<html><body>login</body></html>'),
    );
    const client = demoClient(gateway);
    try {
      await assert.rejects(client.query(QUERY), isTransport('html'));
    } finally {
      client.close();
    }
  });

  it('a body that is not an <alipay> XML envelope is a transport error of kind not-xml', async () => {
    const gateway = await stub((_req, res) => res.writeHead(200, { 'content-type': 'text/xml' }).end('oops'));
    const client = demoClient(gateway);
    try {
      await assert.rejects(client.query(QUERY), isTransport('not-xml'));
    } finally {
      client.close();
    }
  });

  it('a badly signed answer reports signatureVerified false, and throws MapiSignatureError when strict', async () => {
    const gateway = await stub((_req, res) =>
      res.writeHead(200, { 'content-type': 'text/xml; charset=GBK' }).end(signedAnswer('not-the-key')),
    );
    const lenient = demoClient(gateway);
    const strict = demoClient(gateway, { strictSignature: true });
    try {
      const q = await lenient.query(QUERY);
      assert.equal(q.tradeStatus, 'TRADE_SUCCESS');
      assert.equal(q.signatureVerified, false);
      await assert.rejects(strict.query(QUERY), MapiSignatureError);
    } finally {
      lenient.close();
      strict.close();
    }
  });

  it('a well signed answer passes strict checking', async () => {
    const gateway = await stub((_req, res) =>
      res.writeHead(200, { 'content-type': 'text/xml; charset=GBK' }).end(signedAnswer(DEMO_MERCHANT.md5Key)),
    );
    const strict = demoClient(gateway, { strictSignature: true });
    try {
      assert.equal((await strict.query(QUERY)).signatureVerified, true);
    } finally {
      strict.close();
    }
  });

  it('options that cannot sign are refused at creation with a TypeError', () => {
    assert.throws(() => createMapiClient({ gateway: 'http://x/gateway.do', partner: '2088' }), TypeError);
    assert.throws(
      () => createMapiClient({ gateway: 'http://x/gateway.do', partner: '2088', signType: 'RSA2' }),
      TypeError,
    );
  });
});

describe('notifyVerify', () => {
  let stub: StubServer;
  let seen: URL | undefined;
  before(async () => {
    stub = await startStubServer((req, res) => {
      seen = new URL(req.url ?? '', 'http://x');
      const id = seen.searchParams.get('notify_id');
      if (id === 'refused') {
        res
          .writeHead(200, { 'content-type': 'text/xml; charset=GBK' })
          .end(
            '<?xml version="1.0" encoding="GBK"?><alipay><is_success>F</is_success><error>ILLEGAL_PARTNER</error></alipay>',
          );
        return;
      }
      res.writeHead(200, { 'content-type': 'text/plain' }).end(id === 'genuine' ? 'true' : 'false');
    });
  });
  after(async () => stub.close());

  it('sends GET service=notify_verify with partner and notify_id and reads true / false', async () => {
    const client = demoClient(`${stub.url}/gateway.do`);
    try {
      assert.equal(await client.notifyVerify('genuine'), true);
      assert.equal(seen?.searchParams.get('service'), 'notify_verify');
      assert.equal(seen?.searchParams.get('partner'), DEMO_MERCHANT.partner);
      assert.equal(await client.notifyVerify('forged'), false);
      await assert.rejects(client.notifyVerify('refused'), MapiGatewayError);
    } finally {
      client.close();
    }
  });
});
