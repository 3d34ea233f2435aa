import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, type TestApp } from '../helpers/start-test-app.js';
import { api } from '../helpers/admin-call.js';
import { callGateway, rawRequest } from '../helpers/gateway-call.js';
import { aPay, uniqueId } from '../helpers/builders.js';
import { consoleRequest, signIn } from '../helpers/console-client.js';
import * as stores from '../helpers/store-matrix.js';
import { DEMO_MERCHANT } from '../../src/demo-accounts.js';

const PAY = 'alipay.acquire.overseas.spot.pay';

/** The stores keep the request log in three places: in memory, a log file of its own, PostgreSQL's table. */
const TARGETS: Array<{
  name: string;
  skip?: string;
  open(): Promise<{ app: TestApp; done: () => Promise<void> }>;
}> = [
  {
    name: 'sqlite::memory:',
    async open() {
      const app = await startTestApp();
      return { app, done: () => app.close() };
    },
  },
  {
    name: 'sqlite file',
    async open() {
      const file = await stores.tempSqlitePath();
      const app = await startTestApp({ db: `sqlite:${file.path}` });
      return { app, done: async () => (await app.close(), await file.remove()) };
    },
  },
  {
    name: 'postgres',
    ...(stores.postgresSkipReason() === undefined ? {} : { skip: stores.postgresSkipReason() }),
    async open() {
      const schema = stores.freshSchemaName();
      const app = await startTestApp({ db: stores.TEST_PG_URL, dbSchema: schema, dbPoolSize: '3' });
      return { app, done: async () => (await app.close(), await stores.dropSchema(schema)) };
    },
  },
];

for (const target of TARGETS) {
  describe(
    `X-Request-Id on gateway answers, and the request log found by it (${target.name})`,
    {
      skip: target.skip,
    },
    () => {
      let app: TestApp;
      let done: () => Promise<void>;
      before(async () => ({ app, done } = await target.open()));
      after(async () => done());

      it('answers every request with an X-Request-Id that finds its log entry, and only it', async () => {
        const first = await callGateway(app.url, PAY, aPay({ partner_trans_id: uniqueId('RID') }));
        const second = await callGateway(app.url, PAY, aPay({ trans_amount: '9901' }));
        const ids = [first.headers['x-request-id'], second.headers['x-request-id']];
        for (const id of ids) assert.match(String(id), /^[0-9a-f]{6}-[0-9a-z]+$/);
        assert.notEqual(ids[0], ids[1]);

        const found = await api(app.url, 'GET', `/api/requests?requestId=${String(ids[1])}`);
        assert.equal(found.status, 200);
        const items = found.json['items'] as Array<Record<string, unknown>>;
        assert.equal(items.length, 1);
        assert.equal(items[0]?.['requestId'], ids[1]);
        assert.equal(items[0]?.['outcome'], 'FAILED:SYSTEM_ERROR');
        const one = await api(app.url, 'GET', `/api/requests/${String(items[0]?.['id'])}`);
        assert.equal(one.json['requestId'], ids[1]);
        const count = await api(app.url, 'GET', `/api/requests/count?requestId=${String(ids[0])}`);
        assert.deepEqual(count.json, { count: 1 });
        const none = await api(app.url, 'GET', '/api/requests/count?requestId=nothing-like-it');
        assert.deepEqual(none.json, { count: 0 });
      });

      it("keeps a proxy's plain X-Request-Id, on refusals before the pipeline too", async () => {
        const mine = `pos-${uniqueId('x')}`;
        const res = await rawRequest(app.url, {
          path: `/gateway.do?service=${PAY}&partner=${DEMO_MERCHANT.partner}&sign=bad&sign_type=MD5`,
          headers: { 'x-request-id': mine },
        });
        assert.equal(res.headers['x-request-id'], mine);
        assert.match(res.text, /<is_success>F<\/is_success>/);
        const found = await api(app.url, 'GET', `/api/requests?requestId=${mine}`);
        assert.equal((found.json['items'] as unknown[]).length, 1);

        // A body the gateway refuses before it is read still says which request it was.
        const bad = await rawRequest(app.url, {
          method: 'POST',
          path: '/gateway.do',
          body: 'x'.repeat(300_000),
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        });
        assert.match(String(bad.headers['x-request-id']), /\S/);
        assert.match(bad.text, /ILLEGAL_ARGUMENT/);
      });

      it("finds the request in the console's request-log search", async () => {
        const res = await callGateway(app.url, PAY, aPay({ trans_amount: '12.34' }));
        const id = String(res.headers['x-request-id']);
        const session = await signIn(app.url, 'demo@alipay-mock.test', 'sandbox123');
        const base = `/m/${DEMO_MERCHANT.partner}/requests`;
        const page = await consoleRequest(app.url, `${base}?requestId=${encodeURIComponent(id)}`, {
          cookie: session.cookie,
        });
        assert.equal(page.status, 200);
        const rows = [...page.text.matchAll(/href="\/m\/\d+\/requests\/(\d+)"/g)].map((m) => m[1]);
        assert.equal(new Set(rows).size, 1, 'exactly one entry listed');
        const detail = await consoleRequest(app.url, `${base}/${rows[0]}`, { cookie: session.cookie });
        assert.ok(detail.text.includes(id), 'the entry page shows the request id');
        const empty = await consoleRequest(app.url, `${base}?requestId=no-such-id`, {
          cookie: session.cookie,
        });
        assert.equal([...empty.text.matchAll(/href="\/m\/\d+\/requests\/(\d+)"/g)].length, 0);
      });
    },
  );
}
