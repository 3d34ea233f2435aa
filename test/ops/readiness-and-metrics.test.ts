import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { DEMO_MERCHANT } from '../../src/demo-accounts.js';
import { api } from '../helpers/admin-call.js';
import { aPay } from '../helpers/builders.js';
import { callGateway, rawRequest } from '../helpers/gateway-call.js';
import { startTestApp, type TestApp } from '../helpers/start-test-app.js';
import { tempSqlitePath } from '../helpers/store-matrix.js';

const PAY = 'alipay.acquire.overseas.spot.pay';

async function metrics(url: string): Promise<{ contentType: string | null; text: string }> {
  const res = await fetch(`${url}/metrics`);
  return { contentType: res.headers.get('content-type'), text: await res.text() };
}

/** The value of one series line (name with its labels exactly as exposed), or undefined. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('/readyz and /metrics', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp();
  });
  after(() => app.close());

  it('is ready when the store answers and every migration ran', async () => {
    const res = await fetch(`${app.url}/readyz`);
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { status: 'ready' });
  });

  it('counts gateway requests by service and outcome, rule hits and refusals, in Prometheus text', async () => {
    await callGateway(app.url, PAY, aPay());
    await callGateway(app.url, PAY, aPay({ trans_amount: '9901' }));
    await callGateway(app.url, PAY, aPay(), { key: 'x'.repeat(32) });
    const rule = await api(app.url, 'POST', '/api/rules', {
      partner: DEMO_MERCHANT.partner,
      service: PAY,
      name: 'decline 12.34',
      when: [{ field: 'trans_amount', op: 'eq', value: '12.34' }],
      then: { type: 'business', result_code: 'FAILED', error: 'BUYER_BALANCE_NOT_ENOUGH' },
    });
    assert.equal(rule.status, 201);
    await callGateway(app.url, PAY, aPay({ trans_amount: '12.34' }));

    const { contentType, text } = await metrics(app.url);
    assert.match(contentType ?? '', /^text\/plain; version=0\.0\.4/);
    const pay = `service="${PAY}"`;
    assert.equal(sample(text, `alipay_mock_gateway_requests_total{${pay},outcome="success"}`), 1);
    assert.equal(sample(text, `alipay_mock_gateway_requests_total{${pay},outcome="failed"}`), 2);
    assert.equal(sample(text, `alipay_mock_gateway_requests_total{${pay},outcome="gateway_error"}`), 1);
    assert.equal(sample(text, `alipay_mock_gateway_errors_total{code="ILLEGAL_SIGN"}`), 1);
    assert.equal(sample(text, `alipay_mock_rule_hits_total{rule="default-pay-9901"}`), 1);
    assert.equal(sample(text, `alipay_mock_rule_hits_total{rule="custom"}`), 1);
    assert.equal(sample(text, `alipay_mock_gateway_request_duration_seconds_count{${pay}}`), 4);
    assert.equal(sample(text, `alipay_mock_gateway_request_duration_seconds_bucket{${pay},le="+Inf"}`), 4);
    // The pays of this test went through whole: no batch was split.
    assert.equal(sample(text, 'alipay_mock_pay_batches_split_total'), 0);
    assert.ok((sample(text, 'process_resident_memory_bytes') ?? 0) > 0);
    assert.match(text, /# TYPE alipay_mock_gateway_request_duration_seconds histogram/);
  });

  it('keeps label values bounded whatever clients send', async () => {
    for (let i = 0; i < 30; i++) await rawRequest(app.url, { path: `/gateway.do?service=made.up.${i}` });
    const { text } = await metrics(app.url);
    assert.equal(
      sample(text, 'alipay_mock_gateway_requests_total{service="other",outcome="gateway_error"}'),
      30,
    );
    assert.doesNotMatch(text, /made\.up/);
  });
});

describe('/readyz when the store is not ready', () => {
  it('answers 503 with the reason when a migration of this version has not run', async () => {
    const file = await tempSqlitePath();
    const app = await startTestApp({ db: `sqlite:${file.path}` });
    try {
      const db = new Database(file.path);
      db.prepare("delete from kysely_migration where name = '007-change-notifications'").run();
      db.close();
      const res = await fetch(`${app.url}/readyz`);
      assert.equal(res.status, 503);
      const body = (await res.json()) as { status: string; reason: string };
      assert.equal(body.status, 'not_ready');
      assert.match(body.reason, /007-change-notifications/);
    } finally {
      await app.close();
      await file.remove();
    }
  });

  it('answers 503 when the store fails, answers the gateway in its envelope and counts store errors', async () => {
    const app = await startTestApp();
    try {
      await app.store.close();
      const res = await fetch(`${app.url}/readyz`);
      assert.equal(res.status, 503);
      assert.match(((await res.json()) as { reason: string }).reason, /store unreachable \(request id /);
      const pay = await callGateway(app.url, PAY, aPay());
      assert.equal(pay.envelope.isSuccess, 'F');
      assert.equal(pay.envelope.error, 'SYSTEM_ERROR');
      const { text } = await metrics(app.url);
      assert.equal(sample(text, 'alipay_mock_store_errors_total{where="gateway"}'), 1);
      assert.equal(sample(text, 'alipay_mock_store_errors_total{where="readiness"}'), 1);
    } finally {
      await app.close().catch(() => undefined);
    }
  });
});
