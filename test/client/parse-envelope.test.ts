import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import iconv from 'iconv-lite';
import { parseMapiEnvelope } from '../../src/client/parse-envelope.js';
import { decodeBody } from '../../src/client/decode-body.js';

const VECTORS = new URL('../../../test/fixtures/vectors/', import.meta.url);
const vector = (name: string) => readFileSync(new URL(name, VECTORS));

describe('parseMapiEnvelope', () => {
  it('reads a real pretty-printed query answer: business fields exact, whitespace between elements ignored', () => {
    const { text } = decodeBody(vector('overseas-query-response-TRADE_SUCCESS-ALIPAYCN.xml'), undefined);
    const env = parseMapiEnvelope(text);
    assert.ok(env);
    assert.equal(env.isSuccess, 'T');
    assert.equal(env.fields?.['trans_amount'], '3997.60');
    assert.equal(env.fields?.['alipay_trans_status'], 'TRADE_SUCCESS');
    assert.ok(!('#text' in (env.fields ?? {})));
    assert.equal(env.signType, 'MD5');
    assert.equal(env.echo['service'], 'alipay.acquire.overseas.query');
  });

  it('reads a real gateway rejection', () => {
    const env = parseMapiEnvelope(vector('gateway-error-ILLEGAL_SIGN.xml').toString('latin1'));
    assert.equal(env?.isSuccess, 'F');
    assert.equal(env?.error, 'ILLEGAL_SIGN');
    assert.equal(env?.fields, null);
  });

  it('decodes a GBK file by its XML declaration when no Content-Type charset is given', () => {
    const { text, charset } = decodeBody(
      vector('createandpay-response-RSA-ORDER_FAIL-ACCESS_FORBIDDEN.xml'),
      undefined,
    );
    assert.equal(charset, 'GBK');
    assert.match(parseMapiEnvelope(text)?.fields?.['display_message'] ?? '', /[\u4e00-\u9fff]/);
  });

  it('keeps "007" and "0.10" as strings, spaces included, and decodes character references', () => {
    const env = parseMapiEnvelope(
      '<alipay><is_success>T</is_success><response><alipay><a>007</a><b>0.10</b><c> x </c>' +
        '<d>&#x1F600;&amp;&#25105;</d><e/></alipay></response></alipay>',
    );
    assert.deepEqual(env?.fields, { a: '007', b: '0.10', c: ' x ', d: '😀&我', e: '' });
  });

  it('decodes the body with the charset of the Content-Type header', () => {
    const body = iconv.encode('<alipay><is_success>T</is_success><x>测试</x></alipay>', 'gbk');
    assert.equal(decodeBody(body, 'text/xml; charset=GBK').text.includes('测试'), true);
  });

  it('returns null for text, HTML and other XML documents', () => {
    assert.equal(parseMapiEnvelope('oops'), null);
    assert.equal(parseMapiEnvelope('<html><body>x</body></html>'), null);
    assert.equal(parseMapiEnvelope('<alipay><x>1</x></alipay>'), null);
    assert.equal(parseMapiEnvelope('<alipay><is_success>T</is_success>'), null);
  });
});
