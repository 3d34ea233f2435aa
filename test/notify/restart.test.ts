import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_MERCHANT } from '../../src/demo-accounts.js';
import { openStore } from '../../src/storage/open-store.js';
import { uniqueId } from '../helpers/builders.js';
import {
  payWithNotify,
  outbox,
  startNotifyApp,
  startNotifyTarget,
  type NotifyTarget,
} from './notify-helpers.js';

const START = new Date('2026-11-26T04:00:00Z');

describe('notifications survive a restart (file store)', () => {
  let dir: string;
  let target: NotifyTarget;
  let answer = 'fail';

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'alipay-mock-notify-'));
    target = await startNotifyTarget(() => answer);
  });
  after(async () => {
    await target.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('a notification still retrying when the sandbox stops is delivered after it starts again', async () => {
    const db = `sqlite:${join(dir, 'sandbox.db')}`;
    const id = uniqueId('RESTART');
    const first = await startNotifyApp({ db }, START);
    await payWithNotify(first, target.url, { partner_trans_id: id });
    await first.deliver();
    assert.equal((await outbox(first, `?tradeId=${id}`))[0]?.status, 'pending');
    await first.close();

    answer = 'success';
    const second = await startNotifyApp({ db }, START);
    try {
      await second.deliver();
      assert.equal(target.received.length, 1, 'not due before the retry time');
      await second.advanceAndDeliver(2_000);
      const [n] = await outbox(second, `?tradeId=${id}`);
      assert.equal(n?.status, 'delivered');
      assert.equal(n?.attempts, 2);
      assert.equal(target.received.length, 2);
      assert.equal(target.received[0]?.params['notify_id'], target.received[1]?.params['notify_id']);
    } finally {
      await second.close();
    }
  });

  it('a delivery cut short by the stop is not counted and is due again at once', async () => {
    const db = `sqlite:${join(dir, 'cut.db')}`;
    const hang = await startNotifyTarget(() => ({ body: 'success', afterMs: 60_000 }));
    const id = uniqueId('CUT');
    const first = await startNotifyApp({ db, notifyTimeoutMs: 30_000 }, START);
    try {
      await payWithNotify(first, hang.url, { partner_trans_id: id });
      // The worker's own poll starts the delivery; wait until the merchant holds the request.
      for (let i = 0; i < 100 && hang.received.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
      assert.equal(hang.received.length, 1);
      const started = Date.now();
      await first.close();
      assert.ok(Date.now() - started < 10_000, 'close does not wait for the merchant');
    } finally {
      await hang.close();
    }
    const store = await openStore(db);
    try {
      const [pending] = await store.listNotifications({ partner: DEMO_MERCHANT.partner, tradeId: id });
      assert.equal(pending?.status, 'pending');
      assert.equal(pending?.attempts, 0, 'the cut attempt is not counted');
      const due = await store.claimDueNotifications({ now: START, leaseUntil: START, token: 't', limit: 10 });
      assert.deepEqual(
        due.map((n) => n.partnerTransId),
        [id],
        'its claim was given back: due at once',
      );
    } finally {
      await store.close();
    }
  });
});

describe('several instances on one store', () => {
  it('deliver every notification exactly once between them', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'alipay-mock-instances-'));
    const target = await startNotifyTarget(() => 'success');
    const db = `sqlite:${join(dir, 'shared.db')}`;
    const a = await startNotifyApp({ db }, START);
    const b = await startNotifyApp({ db }, START);
    try {
      const ids = Array.from({ length: 12 }, () => uniqueId('MULTI'));
      await Promise.all(
        ids.map((id, i) => payWithNotify(i % 2 ? a : b, target.url, { partner_trans_id: id })),
      );
      await Promise.all([a.deliver(), b.deliver(), a.deliver(), b.deliver()]);
      const notifyIds = target.received.map((r) => r.params['notify_id']);
      assert.equal(notifyIds.length, ids.length, 'one delivery per notification');
      assert.equal(new Set(notifyIds).size, ids.length);
      assert.deepEqual(new Set(target.received.map((r) => r.params['out_trade_no'])), new Set(ids));
    } finally {
      await a.close();
      await b.close();
      await target.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
