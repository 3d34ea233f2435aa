// A client that half-closes its side after the request still gets the answer (RFC 9112 §9.6: a
// half-close does not say the client lost interest), however late the answer is ready, on every store.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, type TestApp } from '../helpers/start-test-app.js';
import { api } from '../helpers/admin-call.js';
import { aPay } from '../helpers/builders.js';
import { checkEnvelope } from '../helpers/envelope-checks.js';
import { parseHttpResponse, socketExchange } from '../helpers/raw-socket.js';
import { dropSchema, freshSchemaName, postgresSkipReason, TEST_PG_URL } from '../helpers/store-matrix.js';
import { buildSignString, md5Sign } from '../../src/protocol/sign.js';
import { encodeForm } from '../../src/protocol/form-encode.js';
import { DEMO_MERCHANT } from '../../src/demo-accounts.js';

const PAY = 'alipay.acquire.overseas.spot.pay';

/** A signed spot pay of the demo merchant as a form body. */
function payBody(amount: string): string {
  const params: Record<string, string> = {
    service: PAY,
    partner: DEMO_MERCHANT.partner,
    _input_charset: 'utf-8',
    ...aPay({ trans_amount: amount }),
  };
  const sign = md5Sign(buildSignString(params), DEMO_MERCHANT.md5Key, 'UTF-8');
  return encodeForm({ ...params, sign, sign_type: 'MD5' }, 'UTF-8');
}

const schema = freshSchemaName();
const STORES = [
  { name: 'SQLite', flags: {}, skip: undefined },
  { name: 'PostgreSQL', flags: { db: TEST_PG_URL, dbSchema: schema }, skip: postgresSkipReason() },
];

for (const store of STORES) {
  describe(`a half-closed request on ${store.name}`, { skip: store.skip }, () => {
    let app: TestApp;
    before(async () => {
      app = await startTestApp(store.flags);
    });
    after(async () => {
      await app.close();
      if (store.flags.dbSchema !== undefined) await dropSchema(store.flags.dbSchema);
    });

    it('gets its answer, also when a rule delays it', async () => {
      const rule = await api(app.url, 'POST', '/api/rules', {
        partner: DEMO_MERCHANT.partner,
        service: PAY,
        name: 'late answer',
        when: [{ field: 'trans_amount', op: 'eq', value: '12.34' }],
        then: { type: 'fault', fault: 'delay', delay: { type: 'fixed', ms: 300 } },
      });
      assert.equal(rule.status, 201, JSON.stringify(rule.json));
      for (const amount of ['0.01', '12.34']) {
        const body = payBody(amount);
        const head =
          `POST /gateway.do HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n` +
          `Content-Type: application/x-www-form-urlencoded\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n`;
        // socketExchange ends its side of the connection right after the bytes.
        const reply = await socketExchange(app.url, head + body);
        const http = parseHttpResponse(reply.bytes);
        assert.ok(http, `pay of ${amount}: no answer after the half-close`);
        const answer = checkEnvelope(http.status, http.headers['content-type'], http.body);
        if (typeof answer === 'string') assert.fail(answer);
        assert.match(answer.text, /<result_code>SUCCESS<\/result_code>/, `pay of ${amount}`);
      }
    });
  });
}
