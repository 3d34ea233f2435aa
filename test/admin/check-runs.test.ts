// The integration check over the admin API, on a real server over sockets, on SQLite and PostgreSQL.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { XMLParser } from 'fast-xml-parser';
import { api } from '../helpers/admin-call.js';
import { callGateway } from '../helpers/gateway-call.js';
import { startTestApp, type TestApp } from '../helpers/start-test-app.js';
import { dropSchema, freshSchemaName, postgresSkipReason, TEST_PG_URL } from '../helpers/store-matrix.js';
import { DEMO_MERCHANT } from '../../src/demo-accounts.js';
import { CANCEL_SERVICE, PAY_SERVICE, QUERY_SERVICE, REFUND_SERVICE } from '../../src/protocol/constants.js';
import { aRefund } from '../helpers/builders.js';

const P = DEMO_MERCHANT.partner;
const RUNS = `/api/merchants/${P}/check-runs`;
const STORES = [
  { name: 'SQLite', flags: {}, skip: undefined },
  { name: 'PostgreSQL', flags: { db: TEST_PG_URL, dbSchema: freshSchemaName() }, skip: postgresSkipReason() },
];

const pay = (id: string, amount = '3.50') => ({
  partner_trans_id: id,
  trans_name: 'Coffee',
  currency: 'USD',
  trans_amount: amount,
  buyer_identity_code: '280000000000000001',
});

for (const store of STORES) {
  describe(`check runs over the admin API on ${store.name}`, { skip: store.skip }, () => {
    let app: TestApp;
    before(async () => {
      app = await startTestApp(store.flags);
    });
    after(async () => {
      await app.close();
      if (store.flags.dbSchema !== undefined) await dropSchema(store.flags.dbSchema);
    });

    it('arms SYSTEM_ERROR by prefix, judges query-then-cancel passed and a lone pay failed, in JSON and JUnit', async () => {
      const started = await api(app.url, 'POST', RUNS, { scenarios: ['pay-system-error', 'signatures'] });
      assert.equal(started.status, 201, JSON.stringify(started.json));
      const id = started.json['id'] as string;
      assert.equal(started.json['status'], 'running');

      const first = await callGateway(app.url, PAY_SERVICE, pay('CHK-SYSERR-A'));
      assert.equal(first.envelope.response['error'], 'SYSTEM_ERROR');
      await callGateway(app.url, QUERY_SERVICE, { partner_trans_id: 'CHK-SYSERR-A' });
      await callGateway(app.url, CANCEL_SERVICE, {
        out_trade_no: 'CHK-SYSERR-A',
        timestamp: String(Date.now()),
      });
      let report = await api(app.url, 'GET', `${RUNS}/${id}`);
      const verdict = (r: typeof report, s: string) =>
        (r.json['report'] as Array<Record<string, unknown>>).find((v) => v['scenario'] === s);
      assert.equal(verdict(report, 'pay-system-error')?.['status'], 'passed', JSON.stringify(report.json));
      const evidence = verdict(report, 'pay-system-error')?.['evidence'] as Array<Record<string, unknown>>;
      assert.deepEqual(
        evidence.map((e) => e['service']),
        [PAY_SERVICE, QUERY_SERVICE, CANCEL_SERVICE],
      );
      const link = await api(app.url, 'GET', evidence[0]?.['apiLink'] as string);
      assert.equal(link.json['partnerTransId'], 'CHK-SYSERR-A');

      await callGateway(app.url, PAY_SERVICE, pay('CHK-SYSERR-B'));
      report = await api(app.url, 'GET', `${RUNS}/${id}`);
      assert.equal(verdict(report, 'pay-system-error')?.['status'], 'failed');
      assert.equal(verdict(report, 'signatures')?.['status'], 'passed');
      assert.deepEqual(report.json['summary'], { passed: 1, failed: 1, notExercised: 0 });

      const junit = await fetch(`${app.url}${RUNS}/${id}/junit`);
      assert.match(junit.headers.get('content-type') ?? '', /^application\/xml/);
      const xml = new XMLParser({ ignoreAttributes: false, parseTagValue: false }).parse(
        await junit.text(),
      ) as {
        testsuites: { testsuite: { '@_failures': string; testcase: Array<Record<string, unknown>> } };
      };
      const suite = xml.testsuites.testsuite;
      assert.equal(suite['@_failures'], '1');
      const failed = suite.testcase.find((c) => c['@_name'] === 'pay-system-error');
      assert.match(JSON.stringify(failed?.['failure']), /CHK-SYSERR-B: never queried/);

      const ended = await api(app.url, 'POST', `${RUNS}/${id}/end`);
      assert.equal(ended.status, 200);
      assert.equal(ended.json['status'], 'ended');
      // Disarmed: the prefix pays normally again, and the stored report no longer changes.
      const after = await callGateway(app.url, PAY_SERVICE, pay('CHK-SYSERR-C'));
      assert.equal(after.envelope.response['result_code'], 'SUCCESS');
      const stored = await api(app.url, 'GET', `${RUNS}/${id}`);
      assert.deepEqual(stored.json['report'], ended.json['report']);
      const again = await api(app.url, 'POST', `${RUNS}/${id}/end`);
      assert.equal(again.status, 409);
      assert.equal(again.json['code'], 'conflict');
    });

    it('answers problem+json: unknown scenario, a second running run, an unknown run or merchant', async () => {
      const unknown = await api(app.url, 'POST', RUNS, { scenarios: ['nope'] });
      assert.equal(unknown.status, 400);
      assert.equal(unknown.contentType, 'application/problem+json; charset=utf-8');
      assert.equal(unknown.json['code'], 'invalid_request');
      assert.match(unknown.json['detail'] as string, /no scenario "nope"/);
      const run = await api(app.url, 'POST', RUNS, {});
      assert.equal(run.status, 201);
      const second = await api(app.url, 'POST', RUNS, {});
      assert.equal(second.status, 409);
      assert.equal(second.json['code'], 'conflict');
      assert.equal((await api(app.url, 'GET', `${RUNS}/chk-000000000000`)).json['code'], 'not_found');
      assert.equal(
        (await api(app.url, 'POST', '/api/merchants/2088999999999999/check-runs', {})).status,
        404,
      );
      const listed = await api(app.url, 'GET', RUNS);
      assert.equal((listed.json['items'] as unknown[]).length, 2);
      await api(app.url, 'POST', `${RUNS}/${run.json['id'] as string}/end`);
    });

    it('judges time limits on the merchant sandbox clock, kept with each request log entry', async () => {
      const started = await api(app.url, 'POST', RUNS, { scenarios: ['pay-system-error'] });
      assert.equal(started.status, 201, JSON.stringify(started.json));
      const id = started.json['id'] as string;
      const clockAt = app.clock.now().getTime();
      await callGateway(app.url, PAY_SERVICE, pay('CHK-SYSERR-CLOCK'));
      await callGateway(app.url, QUERY_SERVICE, { partner_trans_id: 'CHK-SYSERR-CLOCK' });
      // Within a second of wall-clock time, but 121 s later on the merchant's clock: past the 120 s limit.
      const moved = await api(app.url, 'POST', `/api/merchants/${P}/clock`, { advanceSeconds: 121 });
      assert.equal(moved.status, 200, JSON.stringify(moved.json));
      await callGateway(app.url, CANCEL_SERVICE, {
        out_trade_no: 'CHK-SYSERR-CLOCK',
        timestamp: String(Date.now()),
      });
      const ended = await api(app.url, 'POST', `${RUNS}/${id}/end`);
      const verdict = (ended.json['report'] as Array<Record<string, unknown>>)[0] ?? {};
      assert.equal(verdict['status'], 'failed', JSON.stringify(verdict));
      assert.match(JSON.stringify(verdict['findings']), /no cancel followed within 120 s/);
      const evidence = verdict['evidence'] as Array<Record<string, unknown>>;
      assert.deepEqual(
        evidence.map((e) => Date.parse(e['sandboxAt'] as string) - clockAt),
        [0, 0, 121_000],
      );
      const cancel = await api(app.url, 'GET', evidence[2]?.['apiLink'] as string);
      assert.equal(cancel.json['sandboxAt'], new Date(clockAt + 121_000).toISOString());
      assert.ok(Math.abs(Date.parse(cancel.json['receivedAt'] as string) - Date.now()) < 60_000);
      await api(app.url, 'DELETE', `/api/merchants/${P}/clock`);
    });

    it('arms and judges a run keyed by amount: trades found by their amounts, whatever their ids', async () => {
      const bad = await api(app.url, 'POST', RUNS, { keyedBy: 'colour' });
      assert.equal(bad.status, 400);
      assert.equal(bad.json['code'], 'invalid_request');
      const catalogue = await api(app.url, 'GET', '/api/check-scenarios');
      const sysErr = (catalogue.json['items'] as Array<Record<string, unknown>>)[0];
      assert.deepEqual(sysErr?.['amountKey'], {
        field: 'trans_amount',
        cents: '61',
        pattern: '^[0-9]+\\.61$',
      });

      const started = await api(app.url, 'POST', RUNS, {
        scenarios: ['pay-system-error', 'refund-retry-same-id', 'cancel-after-pay', 'signatures'],
        keyedBy: 'amount',
      });
      assert.equal(started.status, 201, JSON.stringify(started.json));
      assert.equal(started.json['keyedBy'], 'amount');
      const id = started.json['id'] as string;

      const first = await callGateway(app.url, PAY_SERVICE, pay('ORDER-AMT-1', '7.61'));
      assert.equal(first.envelope.response['error'], 'SYSTEM_ERROR');
      await callGateway(app.url, QUERY_SERVICE, { partner_trans_id: 'ORDER-AMT-1' });
      await callGateway(app.url, CANCEL_SERVICE, {
        out_trade_no: 'ORDER-AMT-1',
        timestamp: String(Date.now()),
      });
      // The prefix arms nothing in a run keyed by amount.
      const prefixed = await callGateway(app.url, PAY_SERVICE, pay('CHK-SYSERR-AMT'));
      assert.equal(prefixed.envelope.response['result_code'], 'SUCCESS');
      await callGateway(app.url, PAY_SERVICE, pay('ORDER-AMT-2', '10.00'));
      const refund = aRefund('ORDER-AMT-2', { refund_amount: '2.65' });
      const unknown = await callGateway(app.url, REFUND_SERVICE, refund);
      assert.equal(unknown.envelope.response['result_code'], 'UNKNOW');
      const retried = await callGateway(app.url, REFUND_SERVICE, refund);
      assert.equal(retried.envelope.response['result_code'], 'SUCCESS');

      const ended = await api(app.url, 'POST', `${RUNS}/${id}/end`);
      assert.equal(ended.json['keyedBy'], 'amount');
      const report = ended.json['report'] as Array<Record<string, unknown>>;
      const of = (s: string) => report.find((v) => v['scenario'] === s) ?? {};
      const trades = (s: string) => [
        ...new Set((of(s)['evidence'] as Array<Record<string, unknown>>).map((e) => e['partnerTransId'])),
      ];
      assert.equal(of('pay-system-error')['status'], 'passed', JSON.stringify(of('pay-system-error')));
      assert.deepEqual(trades('pay-system-error'), ['ORDER-AMT-1']);
      assert.equal(
        of('refund-retry-same-id')['status'],
        'passed',
        JSON.stringify(of('refund-retry-same-id')),
      );
      assert.deepEqual(trades('refund-retry-same-id'), ['ORDER-AMT-2']);
      assert.equal(of('cancel-after-pay')['status'], 'not_exercised');
      const listed = await api(app.url, 'GET', RUNS);
      assert.equal((listed.json['items'] as Array<Record<string, unknown>>)[0]?.['keyedBy'], 'amount');
    });
  });
}
