/**
 * SIGTERM stops a sandbox gracefully: it stops accepting connections, answers the requests in
 * flight, writes them to the request log and closes the store; a restart finds them.
 */
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { describe, it } from 'node:test';
import { DEMO_MERCHANT } from '../../src/demo-accounts.js';
import { api } from '../helpers/admin-call.js';
import { aPay, uniqueId } from '../helpers/builders.js';
import {
  sharedPostgresSchema,
  sharedSqliteFile,
  spawnSandbox,
  type SandboxProcess,
  type SharedStore,
} from '../helpers/sandbox-process.js';
import { postgresSkipReason } from '../helpers/store-matrix.js';
import { PAY, pause, send } from './scale-calls.js';

/** Resolves true when a new TCP connection to url is refused, false when it is accepted. */
function refusesConnections(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(port) });
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

/** Reads the in-flight gauge from /metrics (the scrape itself counts as one). */
async function inFlight(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith('alipay_mock_http_requests_in_flight '));
  return Number(line?.split(' ')[1] ?? 0);
}

function describeShutdown(makeStore: () => Promise<SharedStore>, name: string, skip?: string) {
  describe(`SIGTERM on a ${name}`, { skip, timeout: 300_000 }, () => {
    it('answers the slow request in flight, refuses new connections, and logs the request before exiting', async (t) => {
      const shared = await makeStore();
      const running: SandboxProcess[] = [];
      try {
        const sandbox = await spawnSandbox(shared.args);
        running.push(sandbox);
        const tag = uniqueId('slow');
        const rule = await api(sandbox.url, 'POST', '/api/rules', {
          partner: DEMO_MERCHANT.partner,
          service: PAY,
          name: 'answer slowly',
          when: [{ field: 'trans_name', op: 'eq', value: tag }],
          then: { type: 'normal', delay: { type: 'fixed', ms: 4000 } },
        });
        assert.equal(rule.status, 201, JSON.stringify(rule.json));

        const pay = aPay({ trans_name: tag });
        const answer = send(sandbox.url, PAY, pay);
        for (let i = 0; (await inFlight(sandbox.url)) < 2; i++) {
          assert.ok(i < 200, 'the slow request never arrived');
          await pause(50);
        }
        process.kill(sandbox.pid, 'SIGTERM');
        let refused = false;
        let answeredFirst = false;
        void answer.then(() => {
          answeredFirst = !refused;
        });
        for (let i = 0; i < 200 && !refused; i++) {
          refused = await refusesConnections(sandbox.url);
          if (!refused) await pause(20);
        }
        assert.ok(refused, 'new connections are refused after SIGTERM');
        t.diagnostic(
          `new connections were refused while the slow request was still in flight: ${!answeredFirst}`,
        );

        const slow = await answer;
        assert.ok(slow.success, `the in-flight request was answered: ${slow.error}`);
        const exit = await sandbox.exited;
        assert.deepEqual(exit, { code: 0, signal: null });

        const restarted = await spawnSandbox(shared.args);
        running.push(restarted);
        const logged = await api(
          restarted.url,
          'GET',
          `/api/requests?tradeId=${encodeURIComponent(pay.partner_trans_id!)}`,
        );
        const items = logged.json.items as Array<{ outcome: string; ruleId: string | null }>;
        assert.equal(items.length, 1, 'the request log has the slow request');
        assert.equal(items[0]?.outcome, 'SUCCESS');
        assert.equal(items[0]?.ruleId, rule.json.id);
      } finally {
        await Promise.all(running.map((p) => p.kill()));
        await shared.remove();
      }
    });
  });
}

describeShutdown(sharedSqliteFile, 'SQLite file');
describeShutdown(() => Promise.resolve(sharedPostgresSchema()), 'PostgreSQL schema', postgresSkipReason());
