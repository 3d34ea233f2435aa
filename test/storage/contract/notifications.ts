import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { it } from 'node:test';
import type { Store } from '../../../src/storage/store.js';
import type { NewNotification, NotificationAttemptResult } from '../../../src/ports/notification-outbox.js';
import { CONTRACT_START, type ContractContext } from './context.js';

const [A, B] = ['2088000000000001', '2088000000000002'];
const at = (seconds: number) => new Date(CONTRACT_START.getTime() + seconds * 1000);
let seq = 0;

/** A queued notification; override what the test is about. */
function aNotification(overrides: Partial<NewNotification> = {}): NewNotification {
  seq += 1;
  return {
    id: randomUUID(),
    seq,
    partner: A,
    notifyId: randomUUID().replace(/-/g, ''),
    url: 'http://127.0.0.1:9/notify',
    params: { notify_type: 'trade_status_sync', trade_status: 'TRADE_SUCCESS', subject: '咖啡 coffee' },
    action: 'payByAccountAction',
    alipayTransId: `2026112622001443080000${String(seq).padStart(6, '0')}`,
    partnerTransId: `P${seq}`,
    partnerRefundId: null,
    mode: 'normal',
    status: 'pending',
    nextAttemptAt: at(0),
    held: false,
    copyOf: null,
    createdAt: at(0),
    ...overrides,
  };
}

async function queue(store: Store, ...list: NewNotification[]): Promise<void> {
  await store.transaction(async (tx) => {
    for (const n of list) await tx.insertNotification(n);
  });
}

function claim(store: Store, now: Date, limit = 10, token: string = randomUUID()) {
  return store.claimDueNotifications({ now, leaseUntil: new Date(now.getTime() + 60_000), token, limit });
}

function failedAttempt(now: Date, next: Date | null): NotificationAttemptResult {
  return {
    attempt: {
      at: now,
      requestBody: 'a=1',
      responseStatus: 500,
      responseBody: 'fail',
      error: 'not success',
      durationMs: 3.5,
    },
    status: next ? 'pending' : 'failed',
    nextAttemptAt: next,
    now,
  };
}

/** The notification outbox: queueing in ledger transactions, claiming, attempts, listing, pruning. */
export function notificationContract(ctx: ContractContext): void {
  it('queues a notification with the ledger transaction, and not when the transaction rolls back', async () => {
    const store = ctx.store();
    const kept = aNotification();
    await queue(store, kept);
    await assert.rejects(
      store.transaction(async (tx) => {
        await tx.insertNotification(aNotification({ partnerTransId: 'ROLLED-BACK' }));
        throw new Error('abort');
      }),
      /abort/,
    );
    const list = await store.listNotifications({ partner: A });
    assert.deepEqual(
      list.map((n) => n.partnerTransId),
      [kept.partnerTransId],
    );
    const stored = list[0];
    assert.ok(stored);
    assert.deepEqual(stored.params, kept.params);
    assert.equal(stored.attempts, 0);
    assert.equal(stored.lastSentAt, null);
    assert.equal(stored.deliveredAt, null);
    assert.deepEqual(stored.nextAttemptAt, kept.nextAttemptAt);
  });

  it('claims due pending notifications in order of due time, then queueing order, once per lease', async () => {
    const store = ctx.store();
    const later = aNotification({ nextAttemptAt: at(5) });
    const first = aNotification();
    const second = aNotification();
    const done = aNotification({ status: 'delivered' });
    const suppressed = aNotification({ status: 'suppressed' });
    await queue(store, later, second, first, done, suppressed);
    // seq orders first before second although second was inserted first: seq was drawn first.
    const claimed = await claim(store, at(1));
    assert.deepEqual(
      claimed.map((n) => n.id),
      [first, second].sort((x, y) => x.seq - y.seq).map((n) => n.id),
    );
    assert.deepEqual(await claim(store, at(2)), [], 'leased: not claimed again');
    assert.deepEqual(
      (await claim(store, at(6))).map((n) => n.id),
      [later.id],
    );
    assert.equal((await claim(store, at(61))).length, 0, 'leases of at(1) run until at(61)');
    assert.equal((await claim(store, at(62))).length, 2, 'expired leases can be taken over');
  });

  it('claims at most limit notifications', async () => {
    const store = ctx.store();
    await queue(store, aNotification(), aNotification(), aNotification());
    assert.equal((await claim(store, at(0), 2)).length, 2);
    assert.equal((await claim(store, at(0), 2)).length, 1);
  });

  it('gives each notification to exactly one of several concurrent claimers', async () => {
    const store = ctx.store();
    const all = Array.from({ length: 20 }, () => aNotification());
    await queue(store, ...all);
    const ids: string[] = [];
    // A claimer that loses a race for a row simply gets fewer this round; later rounds take the rest.
    for (let round = 0; round < 10 && ids.length < all.length; round++) {
      const claimed = await Promise.all(Array.from({ length: 5 }, () => claim(store, at(1), 8)));
      ids.push(...claimed.flat().map((n) => n.id));
    }
    assert.equal(new Set(ids).size, ids.length, 'no notification claimed twice');
    assert.deepEqual(new Set(ids), new Set(all.map((n) => n.id)));
  });

  it('records attempts in order and moves the notification on, only for the claim holder', async () => {
    const store = ctx.store();
    const n = aNotification();
    await queue(store, n);
    const token = randomUUID();
    await claim(store, at(0), 10, token);
    assert.equal(await store.markNotificationSent(n.id, 'another-token', at(0)), false);
    assert.equal(await store.markNotificationSent(n.id, token, at(100)), true);
    assert.equal(
      await store.finishNotificationAttempt(n.id, 'another-token', failedAttempt(at(1), at(3))),
      false,
    );
    assert.equal(await store.finishNotificationAttempt(n.id, token, failedAttempt(at(1), at(3))), true);
    assert.equal(
      await store.finishNotificationAttempt(n.id, token, failedAttempt(at(1), at(3))),
      false,
      'claim released',
    );

    let stored = await store.getNotification(A, n.id);
    assert.equal(stored?.status, 'pending');
    assert.equal(stored?.attempts, 1);
    assert.deepEqual(stored?.nextAttemptAt, at(3));
    assert.deepEqual(stored?.lastSentAt, at(100));
    assert.deepEqual(await claim(store, at(2)), [], 'not due before the next attempt');

    const token2 = randomUUID();
    assert.equal((await claim(store, at(3), 10, token2)).length, 1);
    await store.finishNotificationAttempt(n.id, token2, {
      attempt: {
        at: at(3),
        requestBody: 'a=1',
        responseStatus: 200,
        responseBody: 'success',
        error: null,
        durationMs: 1,
      },
      status: 'delivered',
      nextAttemptAt: null,
      now: at(3),
    });
    stored = await store.getNotification(A, n.id);
    assert.equal(stored?.status, 'delivered');
    assert.equal(stored?.attempts, 2);
    assert.deepEqual(stored?.deliveredAt, at(3));
    const attempts = await store.listNotificationAttempts([n.id]);
    assert.deepEqual(
      attempts.map((a) => [a.attempt, a.responseBody, a.error]),
      [
        [1, 'fail', 'not success'],
        [2, 'success', null],
      ],
    );
    assert.equal(attempts[0]?.durationMs, 3.5);
    assert.deepEqual(await claim(store, at(10)), [], 'a delivered notification is never claimed');
  });

  it('gives a claim back untouched', async () => {
    const store = ctx.store();
    const n = aNotification();
    await queue(store, n);
    const token = randomUUID();
    await claim(store, at(0), 10, token);
    await store.releaseNotificationClaim(n.id, token);
    assert.equal((await claim(store, at(0))).length, 1);
    assert.equal((await store.getNotification(A, n.id))?.attempts, 0);
  });

  it('releases held notifications of the same trade when another one of it is finished', async () => {
    const store = ctx.store();
    const trade = '2026112622001443089999999999';
    const held = aNotification({ alipayTransId: trade, held: true, nextAttemptAt: at(60) });
    const otherTrade = aNotification({ held: true, nextAttemptAt: at(60) });
    const next = aNotification({ alipayTransId: trade });
    await queue(store, held, otherTrade, next);
    const token = randomUUID();
    assert.deepEqual(
      (await claim(store, at(1), 10, token)).map((n) => n.id),
      [next.id],
    );
    await store.finishNotificationAttempt(next.id, token, failedAttempt(at(1), at(3)));
    assert.deepEqual(await claim(store, at(2)), [], 'a retry is not the end: still held');
    const token2 = randomUUID();
    await claim(store, at(3), 10, token2);
    await store.finishNotificationAttempt(next.id, token2, failedAttempt(at(4), null));
    const released = await store.getNotification(A, held.id);
    assert.equal(released?.held, false);
    assert.deepEqual(released?.nextAttemptAt, at(4));
    assert.equal((await store.getNotification(A, otherTrade.id))?.held, true);
  });

  it('lists one merchant newest first, by trade id, notify_id or status, and reads one', async () => {
    const store = ctx.store();
    const a1 = aNotification();
    const a2 = aNotification({ status: 'failed' });
    const b1 = aNotification({ partner: B });
    await queue(store, a1, a2, b1);
    assert.deepEqual(
      (await store.listNotifications({ partner: A })).map((n) => n.id),
      [a2.id, a1.id],
    );
    assert.deepEqual(
      (await store.listNotifications({ partner: A, tradeId: a1.partnerTransId })).map((n) => n.id),
      [a1.id],
    );
    assert.deepEqual(
      (await store.listNotifications({ partner: A, tradeId: a1.alipayTransId })).map((n) => n.id),
      [a1.id],
    );
    assert.deepEqual(
      (await store.listNotifications({ partner: A, notifyId: a2.notifyId })).map((n) => n.id),
      [a2.id],
    );
    assert.deepEqual(
      (await store.listNotifications({ partner: A, status: 'failed' })).map((n) => n.id),
      [a2.id],
    );
    assert.equal((await store.listNotifications({ partner: A, limit: 1 })).length, 1);
    assert.equal(await store.getNotification(B, a1.id), undefined, "another merchant's id is unknown");
    assert.equal((await store.getNotification(B, b1.id))?.partner, B);
  });

  it('resends: pending and due now, whatever it was', async () => {
    const store = ctx.store();
    const n = aNotification({ status: 'failed', held: true });
    await queue(store, n);
    const resent = await store.resendNotification(A, n.id, at(30));
    assert.equal(resent?.status, 'pending');
    assert.equal(resent?.held, false);
    assert.deepEqual(resent?.nextAttemptAt, at(30));
    assert.equal(await store.resendNotification(B, n.id, at(30)), undefined);
  });

  it('prunes finished notifications beyond the newest ones, with their attempts, never pending ones', async () => {
    const store = ctx.store();
    const old = aNotification();
    await queue(store, old);
    const token = randomUUID();
    await claim(store, at(0), 10, token);
    await store.finishNotificationAttempt(old.id, token, failedAttempt(at(0), null));
    const pendingOld = aNotification();
    const newer = [aNotification({ status: 'delivered' }), aNotification({ status: 'suppressed' })];
    await queue(store, pendingOld, ...newer);
    assert.equal(await store.pruneNotifications({ maxEntries: 2 }), 1);
    const left = (await store.listNotifications({ partner: A })).map((n) => n.id).sort();
    assert.deepEqual(left, [pendingOld.id, ...newer.map((n) => n.id)].sort());
    assert.deepEqual(await store.listNotificationAttempts([old.id]), []);
    assert.equal(await store.pruneNotifications({ maxEntries: 2 }), 0);
  });

  it("forgets a merchant's notifications and attempts on reset, not other merchants'", async () => {
    const store = ctx.store();
    const a = aNotification();
    const b = aNotification({ partner: B });
    await queue(store, a, b);
    const token = randomUUID();
    await claim(store, at(0), 10, token);
    await store.finishNotificationAttempt(a.id, token, failedAttempt(at(0), null));
    await store.resetMerchantState(A);
    assert.deepEqual(await store.listNotifications({ partner: A }), []);
    assert.deepEqual(await store.listNotificationAttempts([a.id]), []);
    assert.equal((await store.listNotifications({ partner: B })).length, 1);
  });
}
