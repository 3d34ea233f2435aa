/**
 * A sandbox killed with SIGKILL in the middle of sustained load loses nothing it answered SUCCESS
 * for, and its ledger stays internally consistent, on a SQLite file and on PostgreSQL.
 */
import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import { describe, it } from 'node:test';
import { DEMO_MERCHANT } from '../../src/demo-accounts.js';
import { api } from '../helpers/admin-call.js';
import { aCancel, aPay, aRefund } from '../helpers/builders.js';
import { ledgerProblems, openShared, readLedger, type AuditedTrade } from '../helpers/ledger-audit.js';
import {
  sharedPostgresSchema,
  sharedSqliteFile,
  spawnSandbox,
  type SandboxProcess,
  type SharedStore,
} from '../helpers/sandbox-process.js';
import { postgresSkipReason } from '../helpers/store-matrix.js';
import { CANCEL, PAY, QUERY, REFUND, decimal, minor, send } from './scale-calls.js';
import { seededRandom } from '../helpers/seeded-random.js';

const PARTNER = DEMO_MERCHANT.partner;
const INITIAL_BALANCE = 1_000_000_00;
const WORKERS = 12;
/** SIGKILL once this many requests were answered SUCCESS (the load keeps going until the kill). */
const KILL_AFTER_SUCCESSES = 150;

/** The SUCCESS answers a client received: what the ledger must still hold after the crash. */
interface Acknowledged {
  pays: Map<string, number>;
  refunds: Map<string, { partnerTransId: string; amountMinor: number }>;
  cancels: Set<string>;
  successes: number;
}

/** A buyer of its own with a known balance, so the balance can be checked against the ledger. */
async function createBuyer(url: string): Promise<{ userId: string; code: string }> {
  const code = `28${String(randomInt(10 ** 9)).padStart(9, '0')}${String(randomInt(10 ** 7)).padStart(7, '0')}`;
  const created = await api(url, 'POST', '/api/buyers', {
    loginId: 'crash@example.com',
    paymentCode: code,
    balances: { USD: decimal(INITIAL_BALANCE) },
  });
  assert.equal(created.status, 201, JSON.stringify(created.json));
  return { userId: String(created.json.userId), code };
}

/**
 * Mixed traffic from WORKERS concurrent clients until the instance dies: pays, refunds and cancels of
 * acknowledged trades, queries. Calls onSuccess after every SUCCESS; a worker stops at its first
 * request that got no answer at all (the process is gone).
 */
async function driveUntilDead(
  url: string,
  buyerCode: string,
  acked: Acknowledged,
  onSuccess: () => void,
): Promise<void> {
  const random = seededRandom(7);
  const paid: string[] = [];
  const pick = () => paid[Math.floor(random() * paid.length)];
  async function worker(): Promise<void> {
    for (;;) {
      const roll = random();
      const target = pick();
      let answer;
      if (roll < 0.5 || target === undefined) {
        const pay = aPay({
          trans_amount: decimal(1 + Math.floor(random() * 2000)),
          buyer_identity_code: buyerCode,
        });
        answer = await send(url, PAY, pay);
        if (answer.success) {
          acked.pays.set(pay.partner_trans_id!, minor(pay.trans_amount!));
          paid.push(pay.partner_trans_id!);
        }
      } else if (roll < 0.8) {
        const refund = aRefund(target, { refund_amount: decimal(1 + Math.floor(random() * 500)) });
        answer = await send(url, REFUND, refund);
        if (answer.success)
          acked.refunds.set(refund.partner_refund_id!, {
            partnerTransId: target,
            amountMinor: minor(refund.refund_amount!),
          });
      } else if (roll < 0.9) {
        answer = await send(url, QUERY, { partner_trans_id: target }, 'GET');
      } else {
        answer = await send(url, CANCEL, aCancel(target));
        if (answer.success) acked.cancels.add(target);
      }
      if (answer.error?.startsWith('transport')) return;
      if (answer.success) {
        acked.successes += 1;
        onSuccess();
      }
    }
  }
  await Promise.all(Array.from({ length: WORKERS }, worker));
}

/** The buyer's balance the ledger implies: debited for every paid trade, credited for refunds and cancels. */
function expectedBalance(ledger: readonly AuditedTrade[], userId: string): number {
  let balance = INITIAL_BALANCE;
  for (const { trade, refunds } of ledger) {
    if (trade.buyerUserId !== userId || trade.paidAt === null) continue;
    balance -= trade.amountMinor;
    balance += refunds.reduce((sum, r) => sum + r.amountMinor, 0);
    if (trade.closeReason === 'cancel' && trade.cancelAction === 'refund')
      balance += trade.amountMinor - trade.refundedMinor;
  }
  return balance;
}

function describeCrash(
  makeStore: () => Promise<SharedStore & { path?: string; schema?: string }>,
  name: string,
  skip?: string,
) {
  describe(`SIGKILL under load on a ${name}`, { skip, timeout: 600_000 }, () => {
    it('keeps every acknowledged pay, refund and cancel, and a consistent ledger, after a restart', async (t) => {
      const shared = await makeStore();
      const running: SandboxProcess[] = [];
      try {
        const first = await spawnSandbox(shared.args);
        running.push(first);
        const buyer = await createBuyer(first.url);
        const acked: Acknowledged = { pays: new Map(), refunds: new Map(), cancels: new Set(), successes: 0 };
        let killing = false;
        await driveUntilDead(first.url, buyer.code, acked, () => {
          if (killing || acked.successes < KILL_AFTER_SUCCESSES) return;
          killing = true;
          void first.kill();
        });
        const exit = await first.exited;
        assert.equal(exit.signal, 'SIGKILL');
        t.diagnostic(
          `acknowledged before the kill: ${acked.pays.size} pays, ${acked.refunds.size} refunds, ${acked.cancels.size} cancels`,
        );

        const second = await spawnSandbox(shared.args);
        running.push(second);
        const ready = await fetch(`${second.url}/readyz`);
        assert.equal(ready.status, 200);
        for (const partnerTransId of [...acked.pays.keys()].slice(0, 10)) {
          const q = await send(second.url, QUERY, { partner_trans_id: partnerTransId }, 'GET');
          assert.ok(q.success, `query of acknowledged ${partnerTransId}: ${q.error}`);
        }

        const store = await openShared(shared);
        try {
          const ledger = await readLedger(store, PARTNER);
          const byId = new Map(ledger.map((e) => [e.trade.partnerTransId, e]));
          for (const [partnerTransId, amountMinor] of acked.pays) {
            const entry = byId.get(partnerTransId);
            assert.ok(entry, `acknowledged pay ${partnerTransId} is in the ledger`);
            assert.equal(entry.trade.amountMinor, amountMinor);
            assert.notEqual(entry.trade.paidAt, null);
          }
          for (const [refundId, refund] of acked.refunds) {
            const found = byId
              .get(refund.partnerTransId)
              ?.refunds.find((r) => r.partnerRefundId === refundId);
            assert.equal(
              found?.amountMinor,
              refund.amountMinor,
              `acknowledged refund ${refundId} is in the ledger`,
            );
          }
          for (const partnerTransId of acked.cancels) {
            const trade = byId.get(partnerTransId)?.trade;
            assert.equal(
              trade?.closeReason,
              'cancel',
              `acknowledged cancel of ${partnerTransId} is in the ledger`,
            );
          }
          assert.deepEqual(ledgerProblems(ledger), []);
          assert.equal(
            (await store.getBuyer(buyer.userId))?.balances.USD,
            expectedBalance(ledger, buyer.userId),
          );
        } finally {
          await store.close();
        }
      } finally {
        await Promise.all(running.map((p) => p.kill()));
        await shared.remove();
      }
    });
  });
}

describeCrash(sharedSqliteFile, 'SQLite file');
describeCrash(() => Promise.resolve(sharedPostgresSchema()), 'PostgreSQL schema', postgresSkipReason());
