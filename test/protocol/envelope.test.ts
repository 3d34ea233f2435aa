import { test } from 'node:test';
import assert from 'node:assert/strict';
import iconv from 'iconv-lite';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import {
  encodeGbk,
  escapeXml,
  gbkByteString,
  renderErrorEnvelope,
  renderSuccessEnvelope,
  responseSignString,
  xmlReadable,
} from '../../src/protocol/envelope.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeRequest, pairs } from './decode-request.js';
import { VECTORS_DIR } from './fixtures.js';

// Order-preserving parse; parseTagValue:false keeps "007" and "0.10" as strings (architecture §7).
const ordered = new XMLParser({ preserveOrder: true, ignoreAttributes: false, parseTagValue: false });
const plain = new XMLParser({ ignoreAttributes: false, parseTagValue: false, htmlEntities: true });

/** Text of the first element with this name, numeric character references resolved. */
function textOf(xml: string, path: string[]): unknown {
  let node: unknown = plain.parse(xml);
  for (const key of path) node = (node as Record<string, unknown>)[key];
  return node;
}

function wellFormed(xml: string): void {
  assert.equal(XMLValidator.validate(xml), true);
  assert.doesNotMatch(xml, XML_FORBIDDEN);
}

// Characters XML 1.0 forbids, which the validator does not look for: control characters other than
// tab, LF and CR, U+FFFE, U+FFFF and lone surrogates.
/* eslint-disable no-control-regex */
const XML_FORBIDDEN =
  /[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/* eslint-enable no-control-regex */

// protocol.md §14.1: the mock service's 9901 sample, request URL (with &currency=USD restored) and response.
const SAMPLE_9901_QUERY =
  'client_info=%7B%22client_ip%22%3A%2210.20.30.40%22%7D&identity_code_type=barcode&memo=nomemo' +
  '&trans_amount=9901&sign_type=MD5&trans_name=xxxzgl&buyer_identity_code=288888888888888888' +
  '&partner_trans_id=8567745904202380&password=SJV88po0XvIptqWGM4rxP5EQ&sendFormat=normal&currency=USD' +
  '&sign=6030aea30c96e01c6e5c709c9f66a7df&agreement_info=%7B%22agreement_no%22%3A%22123%22%7D' +
  '&trans_currency=USD&biz_product=OVERSEAS_MBARCODE_PAY&service=alipay.acquire.overseas.spot.pay' +
  '&format_type=xml&quantity=1&partner=2088621880270354';

const SAMPLE_9901_RESPONSE = `<?xml version="1.0" encoding="GBK"?>
<alipay>
     <is_success>T</is_success>
     <request>
        <param name="client_info">{"client_ip":"10.20.30.40"}</param>
        <param name="quantity">1</param>
        <param name="biz_product">OVERSEAS_MBARCODE_PAY</param>
        <param name="identity_code_type">barcode</param>
        <param name="sign">6030aea30c96e01c6e5c709c9f66a7df</param>
        <param name="memo">nomemo</param>
        <param name="trans_name">xxxzgl</param>
        <param name="trans_amount">9901</param>
        <param name="sendFormat">normal</param>
        <param name="partner_trans_id">8567745904202380</param>
        <param name="password">SJV88po0XvIptqWGM4rxP5EQ</param>
        <param name="format_type">xml</param>
        <param name="trans_currency">USD</param>
        <param name="partner">2088621880270354</param>
        <param name="agreement_info">{"agreement_no":"123"}</param>
        <param name="service">alipay.acquire.overseas.spot.pay</param>
        <param name="currency">USD</param>
        <param name="sign_type">MD5</param>
        <param name="buyer_identity_code">288888888888888888</param>
     </request>
     <response>
        <alipay>
            <error>SYSTEM_ERROR</error>
            <result_code>FAILED</result_code>
        </alipay>
     </response>
     <sign>d0117413cdf375ab667329892ab7f890</sign>
     <sign_type>MD5</sign_type>
</alipay>`;

/** The request echo of the 9901 sample, in the sample's order. */
function sampleEcho(): Array<{ name: string; value: string }> {
  const echo: Array<{ name: string; value: string }> = [];
  for (const match of SAMPLE_9901_RESPONSE.matchAll(/<param name="([^"]+)">([^<]*)<\/param>/g)) {
    echo.push({ name: match[1] ?? '', value: match[2] ?? '' });
  }
  return echo;
}

test('escapeXml escapes the five XML special characters', () => {
  assert.equal(escapeXml(`<a href="x">&'</a>`), '&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;');
});

test('escapeXml returns text without special characters unchanged', () => {
  assert.equal(escapeXml('测试 {a:1} é \u{1F600} \t\n'), '测试 {a:1} é \u{1F600} \t\n');
});

test('escapeXml writes CR as a reference, which parsers do not turn into LF', () => {
  assert.equal(escapeXml('a\r\nb\rc'), 'a&#xD;\nb&#xD;c');
});

test('xmlReadable is the text read back: characters XML cannot carry as ?, the rest unchanged', () => {
  assert.equal(xmlReadable('a\u0001b\rc<&\ud800\u{1F600}'), 'a?b\rc<&?\u{1F600}');
});

test('escapeXml replaces characters illegal in XML 1.0 by ?', () => {
  assert.equal(escapeXml('a\u0000b\u0008c\u000bd\u001fe\ufffef\uffffg'), 'a?b?c?d?e?f?g');
});

test('escapeXml replaces lone surrogates but keeps surrogate pairs', () => {
  assert.equal(escapeXml('x\ud800y\udc00z\u{1F600}'), 'x?y?z\u{1F600}');
  assert.equal(escapeXml('\ud83d'), '?');
});

test('renderErrorEnvelope gives exactly the EX-F shape of §9.6', () => {
  assert.equal(
    renderErrorEnvelope('ILLEGAL_SIGN'),
    '<?xml version="1.0" encoding="GBK"?><alipay><is_success>F</is_success><error>ILLEGAL_SIGN</error></alipay>',
  );
});

test('renderErrorEnvelope matches the real gateway rejection byte for byte', () => {
  const real = readFileSync(join(VECTORS_DIR, 'gateway-error-ILLEGAL_SIGN.xml'), 'latin1').trim();
  assert.equal(renderErrorEnvelope('ILLEGAL_SIGN'), real);
});

test('responseSignString gives the §9.4 worked example of the real cancel response', () => {
  assert.equal(
    responseSignString({ retry_flag: 'N', result_code: 'SUCCESS', out_trade_no: '20140319113639839' }),
    'out_trade_no=20140319113639839&result_code=SUCCESS&retry_flag=N',
  );
});

test('responseSignString drops empty and undefined fields', () => {
  assert.equal(responseSignString({ b: '', c: undefined, a: '1' }), 'a=1');
  assert.equal(responseSignString({}), '');
});

test('splitting the §14.1 sample URL gives the 19 parameters of its echo', () => {
  const { params } = decodeRequest(SAMPLE_9901_QUERY);
  assert.equal(params.length, 19);
  const byName = (a: [string, string], b: [string, string]): number => a[0].localeCompare(b[0]);
  assert.deepEqual(pairs(params).sort(byName), pairs(sampleEcho()).sort(byName));
});

test('renderSuccessEnvelope for the §14.1 echo parses like the published 9901 response', () => {
  const xml = renderSuccessEnvelope({
    request: sampleEcho(),
    response: { result_code: 'FAILED', error: 'SYSTEM_ERROR' },
    sign: 'd0117413cdf375ab667329892ab7f890',
    signType: 'MD5',
  });
  assert.deepEqual(ordered.parse(xml), ordered.parse(SAMPLE_9901_RESPONSE));
  assert.ok(!xml.includes('\n'), 'one line, like the 2014 capture');
});

test('renderSuccessEnvelope echoes the request in arrival order, sign and sign_type included', () => {
  const { params } = decodeRequest(SAMPLE_9901_QUERY);
  const xml = renderSuccessEnvelope({ request: params, response: null, sign: null, signType: null });
  const names = [...xml.matchAll(/<param name="([^"]+)">/g)].map((m) => m[1]);
  assert.deepEqual(
    names,
    params.map((p) => p.name),
  );
  assert.ok(names.includes('sign') && names.includes('sign_type'));
});

test('renderSuccessEnvelope sorts business fields and drops empty ones', () => {
  const xml = renderSuccessEnvelope({
    request: [],
    response: { retry_flag: 'N', result_code: 'SUCCESS', detail: '', extra: undefined, out_trade_no: '007' },
    sign: 's',
    signType: 'MD5',
  });
  assert.equal(
    xml,
    '<?xml version="1.0" encoding="GBK"?><alipay><is_success>T</is_success><request></request>' +
      '<response><alipay><out_trade_no>007</out_trade_no><result_code>SUCCESS</result_code>' +
      '<retry_flag>N</retry_flag></alipay></response><sign>s</sign><sign_type>MD5</sign_type></alipay>',
  );
});

test('renderSuccessEnvelope without response and sign has only the echo', () => {
  assert.equal(
    renderSuccessEnvelope({
      request: [{ name: 'a', value: '1' }],
      response: null,
      sign: null,
      signType: null,
    }),
    '<?xml version="1.0" encoding="GBK"?><alipay><is_success>T</is_success><request><param name="a">1</param></request></alipay>',
  );
});

test('renderSuccessEnvelope escapes markup and control characters in client values', () => {
  const value = '</param><script>alert("x&y")</script>\u0001\u001b[31m\ud800';
  const xml = renderSuccessEnvelope({
    request: [{ name: 'memo', value }],
    response: { result_code: 'FAILED' },
    sign: null,
    signType: null,
  });
  wellFormed(xml);
  assert.ok(!xml.includes('<script>'));
  assert.equal(
    textOf(xml, ['alipay', 'request', 'param', '#text']),
    '</param><script>alert("x&y")</script>??[31m?',
  );
});

/** An unsigned envelope that echoes one parameter, trans_name, with this value. */
function transNameEcho(value: string): string {
  return renderSuccessEnvelope({
    request: [{ name: 'trans_name', value }],
    response: null,
    sign: null,
    signType: null,
  });
}

test('encodeGbk of pure ASCII gives the same bytes as latin1', () => {
  const xml = renderErrorEnvelope('ILLEGAL_SIGN');
  assert.deepEqual(encodeGbk(xml), Buffer.from(xml, 'latin1'));
});

test('encodeGbk encodes Chinese as GBK, round-tripping through iconv', () => {
  const xml = transNameEcho('测试商品 test');
  const bytes = encodeGbk(xml);
  assert.ok(bytes.includes(Buffer.from([0xb2, 0xe2, 0xca, 0xd4])));
  assert.equal(iconv.decode(bytes, 'gbk'), xml);
});

test('gbkByteString is the document itself when ASCII, else its GBK bytes one character each', () => {
  const ascii = renderErrorEnvelope('ILLEGAL_SIGN');
  assert.equal(gbkByteString(ascii), ascii);
  const xml = transNameEcho('测试商品 €😀');
  const bytes = gbkByteString(xml);
  assert.equal(bytes, encodeGbk(xml).toString('latin1'));
  assert.ok([...bytes].every((c) => c.charCodeAt(0) <= 0xff));
  assert.ok(bytes.includes('\xb2\xe2\xca\xd4'));
});

test('encodeGbk writes characters outside GBK as numeric character references', () => {
  const xml = renderSuccessEnvelope({
    request: [{ name: 'memo', value: '测\u{1F600}€\u0e01' }],
    response: null,
    sign: null,
    signType: null,
  });
  const decoded = iconv.decode(encodeGbk(xml), 'gbk');
  assert.ok(decoded.includes('测&#x1F600;&#x20AC;&#xE01;'), decoded);
  assert.doesNotMatch(decoded, /<param name="memo">[^<]*\?/);
  wellFormed(decoded);
  assert.equal(textOf(decoded, ['alipay', 'request', 'param', '#text']), '测\u{1F600}€\u0e01');
});

test('encodeGbk replaces a lone surrogate by ? (it cannot be referenced)', () => {
  assert.equal(iconv.decode(encodeGbk('<a>x\ud800y</a>'), 'gbk'), '<a>x?y</a>');
});
