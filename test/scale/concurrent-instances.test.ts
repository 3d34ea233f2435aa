/**
 * Several real `alipay-mock serve` processes on one store behave as one sandbox: concurrent requests
 * spread over the instances never pay or refund twice, and a rule's lifetime is shared.
 */
import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { DEMO_MERCHANT } from '../../src/demo-accounts.js';
import type { Store } from '../../src/storage/store.js';
import { api } from '../helpers/admin-call.js';
import { aCancel, aPay, aRefund, uniqueId } from '../helpers/builders.js';
import { ledgerProblems, openShared, readLedger } from '../helpers/ledger-audit.js';
import { postgresSkipReason } from '../helpers/store-matrix.js';
import {
  sharedPostgresSchema,
  sharedSqliteFile,
  startInstances,
  stopAll,
  type SandboxProcess,
  type SharedStore,
} from '../helpers/sandbox-process.js';
import { CANCEL, PAY, REFUND, decimal, minor, pause, send, type Answer } from './scale-calls.js';
import { seededRandom } from '../helpers/seeded-random.js';

const INSTANCES = 3;
const PARTNER = DEMO_MERCHANT.partner;

/** Pays a trade of the default buyer through one instance and returns its partner_trans_id. */
async function paidTrade(url: string, amount: string): Promise<string> {
  const pay = aPay({ trans_amount: amount });
  const answer = await send(url, PAY, pay);
  assert.ok(answer.success, `the set-up payment failed: ${answer.error}`);
  return pay.partner_trans_id!;
}

/** A request sent to instance i % n. */
function spread<T>(
  instances: readonly SandboxProcess[],
  items: readonly T[],
  call: (url: string, item: T) => Promise<Answer>,
) {
  return Promise.all(items.map((item, i) => call(instances[i % instances.length]!.url, item)));
}

/** Every answer is one the protocol allows: SUCCESS or a named error (never a lost connection). */
function assertAnswered(answers: readonly Answer[]): void {
  for (const a of answers) {
    assert.ok(
      a.success || (a.error !== undefined && !a.error.startsWith('transport')),
      `no proper answer: ${a.error}`,
    );
  }
}

function describeScale(
  makeStore: () => Promise<SharedStore & { path?: string; schema?: string }>,
  name: string,
  skip?: string,
) {
  describe(`${INSTANCES} instances on one ${name}`, { skip, timeout: 600_000 }, () => {
    let shared: SharedStore & { path?: string; schema?: string };
    let instances: SandboxProcess[] = [];
    let ledgerStore: Store;

    before(async () => {
      shared = await makeStore();
      instances = await startInstances(shared, INSTANCES);
      ledgerStore = await openShared(shared);
    });
    after(async () => {
      await ledgerStore?.close();
      await stopAll(instances);
      await shared?.remove();
    });

    it('never refunds more than was paid under 200 concurrent refunds, and the ledger holds every SUCCESS', async () => {
      const partnerTransId = await paidTrade(instances[0]!.url, '100.00');
      const random = seededRandom(20261126);
      // 200 refunds of 0.01–1.50 ask for about 150.00 of the 100.00 paid.
      const refunds = Array.from({ length: 200 }, () =>
        aRefund(partnerTransId, { refund_amount: decimal(1 + Math.floor(random() * 150)) }),
      );
      const answers = await spread(instances, refunds, (url, r) => send(url, REFUND, r));
      assertAnswered(answers);
      const succeeded = refunds.filter((_, i) => answers[i]!.success);
      const successMinor = succeeded.reduce((sum, r) => sum + minor(r.refund_amount!), 0);
      assert.ok(successMinor <= 100_00, `refunded ${successMinor} of 10000`);
      assert.ok(succeeded.length > 0, 'some refunds succeeded');
      const refused = answers.filter((a) => !a.success).map((a) => a.error);
      // Too much for what is left, or the trade closed when the last cent was refunded.
      for (const error of refused)
        assert.ok(['RETURN_AMOUNT_EXCEED', 'TRADE_HAS_CLOSE'].includes(error ?? ''), error);
      assert.ok(refused.length > 0, 'the refunds asked for more than was paid, so some were refused');

      const trade = await ledgerStore.getTrade(PARTNER, { partnerTransId });
      assert.ok(trade);
      const inLedger = await ledgerStore.listRefunds(trade.alipayTransId);
      assert.deepEqual(
        inLedger.map((r) => r.partnerRefundId).sort(),
        succeeded.map((r) => r.partner_refund_id).sort(),
      );
      assert.equal(trade.refundedMinor, successMinor);
      assert.deepEqual(ledgerProblems([{ trade, refunds: inLedger }]), []);

      // Replays of successful refunds, through other instances, answer SUCCESS and change nothing.
      const replays = succeeded.slice(0, 9);
      const again = await spread(instances, replays, (url, r) => send(url, REFUND, r));
      assert.ok(again.every((a) => a.success));
      assert.equal((await ledgerStore.listRefunds(trade.alipayTransId)).length, inLedger.length);
    });

    /** A new buyer with its own payment code and this USD balance, created through one instance. */
    async function aBuyerWith(usd: string): Promise<{ userId: string; paymentCode: string }> {
      const paymentCode = `28${String(randomInt(10 ** 9)).padStart(9, '0')}${String(randomInt(10 ** 7)).padStart(7, '0')}`;
      const created = await api(instances[1]!.url, 'POST', '/api/buyers', {
        loginId: 'scale@example.com',
        paymentCode,
        balances: { USD: usd },
      });
      assert.equal(created.status, 201, JSON.stringify(created.json));
      return { userId: String(created.json.userId), paymentCode };
    }

    /** The trades of these partner_trans_ids in the ledger. */
    async function tradesOf(partnerTransIds: readonly string[]) {
      const wanted = new Set(partnerTransIds);
      return (await readLedger(ledgerStore, PARTNER)).filter((t) => wanted.has(t.trade.partnerTransId));
    }

    // The second case races for the whole balance: a pay that waited for its twin's debit must still
    // answer the twin's trade, not BUYER_BALANCE_NOT_ENOUGH.
    for (const [balance, left] of [
      ['50.00', 45_00],
      ['5.00', 0],
    ] as const) {
      it(`creates one trade and debits the buyer once for identical concurrent payments (balance ${balance})`, async () => {
        const { userId, paymentCode } = await aBuyerWith(balance);
        const pay = aPay({ trans_amount: '5.00', buyer_identity_code: paymentCode });
        const answers = await spread(
          instances,
          Array.from({ length: 30 }, () => pay),
          (url, p) => send(url, PAY, p),
        );
        assertAnswered(answers);
        assert.ok(
          answers.every((a) => a.success),
          JSON.stringify(answers.filter((a) => !a.success)),
        );
        const ids = new Set(answers.map((a) => a.fields.alipay_trans_id));
        assert.equal(ids.size, 1, 'every answer names the same trade');
        assert.equal((await tradesOf([pay.partner_trans_id!])).length, 1);
        assert.equal((await ledgerStore.getBuyer(userId))?.balances.USD, left);
      });
    }

    it('lets exactly 10 of 30 concurrent payments through a balance of 10 of them; the refused leave no trade', async () => {
      const { userId, paymentCode } = await aBuyerWith('10.00');
      const pays = Array.from({ length: 30 }, () =>
        aPay({ trans_amount: '1.00', buyer_identity_code: paymentCode }),
      );
      const answers = await spread(instances, pays, (url, p) => send(url, PAY, p));
      assertAnswered(answers);
      assert.equal(answers.filter((a) => a.success).length, 10);
      assert.deepEqual(
        answers.filter((a) => !a.success).map((a) => a.error),
        Array.from({ length: 20 }, () => 'BUYER_BALANCE_NOT_ENOUGH'),
      );
      const trades = await tradesOf(pays.map((p) => p.partner_trans_id!));
      assert.deepEqual(
        trades.map((t) => t.trade.alipayTransId).sort(),
        answers.flatMap((a) => (a.success ? [a.fields.alipay_trans_id] : [])).sort(),
      );
      assert.equal((await ledgerStore.getBuyer(userId))?.balances.USD, 0);
    });

    it('answers a times: 1 rule exactly once across all instances', async (t) => {
      const tag = uniqueId('once');
      const rule = await api(instances[0]!.url, 'POST', '/api/rules', {
        partner: PARTNER,
        service: PAY,
        name: `decline ${tag} once`,
        when: [{ field: 'trans_name', op: 'eq', value: tag }],
        then: { type: 'business', result_code: 'FAILED', error: 'BUYER_BALANCE_NOT_ENOUGH' },
        times: 1,
      });
      assert.equal(rule.status, 201, JSON.stringify(rule.json));
      // A marker rule created after it: an instance that answers with the marker has loaded both.
      const marker = await api(instances[0]!.url, 'POST', '/api/rules', {
        partner: PARTNER,
        service: PAY,
        name: `marker ${tag}`,
        when: [{ field: 'trans_name', op: 'eq', value: `${tag}-probe` }],
        then: { type: 'business', result_code: 'FAILED', error: 'EXPIRED_BARCODE' },
      });
      assert.equal(marker.status, 201, JSON.stringify(marker.json));
      const started = Date.now();
      for (const instance of instances) {
        for (let attempt = 0; ; attempt++) {
          const probe = await send(instance.url, PAY, aPay({ trans_name: `${tag}-probe` }));
          if (probe.error === 'EXPIRED_BARCODE') break;
          assert.ok(attempt < 200, `instance ${instance.url} never loaded the new rules`);
          await pause(100);
        }
      }
      t.diagnostic(`every instance used the new rules ${Date.now() - started} ms after they were created`);

      const pays = Array.from({ length: 60 }, () => aPay({ trans_name: tag, trans_amount: '0.10' }));
      const answers = await spread(instances, pays, (url, p) => send(url, PAY, p));
      assertAnswered(answers);
      assert.equal(answers.filter((a) => a.error === 'BUYER_BALANCE_NOT_ENOUGH').length, 1);
      assert.equal(answers.filter((a) => a.success).length, 59);
      const stored = await api(instances[2]!.url, 'GET', `/api/rules/${String(rule.json.id)}`);
      assert.equal(stored.json.hits, 1);
    });

    it('leaves a trade consistent when a cancel races refunds: cancelled without refunds, or refunded and the cancel refused', async (t) => {
      const outcomes: string[] = [];
      for (let round = 0; round < 3; round++) {
        const partnerTransId = await paidTrade(instances[round % INSTANCES]!.url, '10.00');
        const refunds = Array.from({ length: 12 }, () => aRefund(partnerTransId, { refund_amount: '1.00' }));
        // Cancels at different places among the refunds, every request on a rotating instance.
        const requests: Array<{ service: string; params: Record<string, string> }> = refunds.map((r) => ({
          service: REFUND,
          params: r,
        }));
        for (const at of [round, 5, 11])
          requests.splice(at, 0, { service: CANCEL, params: aCancel(partnerTransId) });
        const answers = await spread(instances, requests, (url, r) => send(url, r.service, r.params));
        assertAnswered(answers);
        const cancels = answers.filter((_, i) => requests[i]!.service === CANCEL);
        const refundAnswers = answers.filter((_, i) => requests[i]!.service === REFUND);
        const okRefunds = refunds.filter((_, i) => refundAnswers[i]!.success);

        const trade = await ledgerStore.getTrade(PARTNER, { partnerTransId });
        assert.ok(trade);
        const inLedger = await ledgerStore.listRefunds(trade.alipayTransId);
        assert.deepEqual(ledgerProblems([{ trade, refunds: inLedger }]), []);
        assert.deepEqual(
          inLedger.map((r) => r.partnerRefundId).sort(),
          okRefunds.map((r) => r.partner_refund_id).sort(),
        );
        if (cancels.some((c) => c.success)) {
          outcomes.push('cancelled');
          assert.ok(
            cancels.every((c) => c.success),
            'a cancel after a successful cancel replays it',
          );
          assert.equal(okRefunds.length, 0);
          assert.equal(trade.status, 'TRADE_CLOSED');
          assert.equal(trade.closeReason, 'cancel');
          for (const r of refundAnswers) assert.equal(r.error, 'TRADE_HAS_CLOSE');
        } else {
          outcomes.push('refunded');
          assert.ok(okRefunds.length > 0);
          // Refused because of the refunds, or because they closed the trade already.
          for (const c of cancels)
            assert.ok(['REFUND_AMT_NOT_EQUAL_TOTAL', 'TRADE_STATUS_ERROR'].includes(c.error ?? ''), c.error);
          assert.equal(trade.refundedMinor, okRefunds.length * 100);
        }
      }
      t.diagnostic(`race outcomes: ${outcomes.join(', ')}`);
    });

    it('keeps the whole ledger consistent after the load above', async () => {
      assert.deepEqual(ledgerProblems(await readLedger(ledgerStore, PARTNER)), []);
    });
  });
}

describeScale(sharedSqliteFile, 'SQLite file');
describeScale(() => Promise.resolve(sharedPostgresSchema()), 'PostgreSQL schema', postgresSkipReason());
