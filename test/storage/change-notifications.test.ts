import type { NewRule } from '../../src/rules/rule-store.js';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { createRuleEngine } from '../../src/rules/rule-engine.js';
import { openStore } from '../../src/storage/open-store.js';
import type { StoreChange } from '../../src/ports/change-feed.js';
import type { Store } from '../../src/storage/store.js';
import { aMerchant, aRule } from '../helpers/store-builders.js';
import { TEST_PG_URL, dropSchema, freshSchemaName, postgresSkipReason } from '../helpers/store-matrix.js';

/** The changes a store hears, and a way to wait for the next one (bounded, so a bug fails instead of hanging). */
function recordChanges(store: Store) {
  const heard: StoreChange[] = [];
  const waiters: Array<(c: StoreChange) => void> = [];
  const subscription = store.onChange?.((change) => {
    const waiter = waiters.shift();
    if (waiter) waiter(change);
    else heard.push(change);
  });
  assert.ok(subscription, 'the store offers onChange');
  const next = (timeoutMs = 15_000): Promise<StoreChange> => {
    const queued = heard.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no change heard within ${timeoutMs} ms`)), timeoutMs);
      waiters.push((c) => {
        clearTimeout(timer);
        resolve(c);
      });
    });
  };
  return {
    ready: subscription.ready,
    unsubscribe: () => subscription.unsubscribe(),
    next,
    /** Skips changes until this one is heard (changes of an earlier step may still be on their way). */
    async until(expected: StoreChange): Promise<void> {
      while ((await next()) !== expected);
    },
  };
}

const DECLINE_1234 = {
  service: 'alipay.acquire.overseas.spot.pay',
  when: [{ field: 'trans_amount', op: 'eq', value: '12.34' }],
  then: { type: 'business', result_code: 'FAILED', error: 'BUYER_BALANCE_NOT_ENOUGH' },
} as const satisfies Partial<NewRule>;

describe('change notifications on PostgreSQL', { skip: postgresSkipReason() }, () => {
  const schema = freshSchemaName();
  let writer: Store;
  let reader: Store;

  before(async () => {
    writer = await openStore(TEST_PG_URL, { schema, poolSize: 2 });
    reader = await openStore(TEST_PG_URL, { schema, poolSize: 2 });
  });
  after(async () => {
    await Promise.all([writer.close(), reader.close()]);
    await dropSchema(schema);
  });

  it('tells another instance of rule, switch and merchant changes, and of nothing else', async () => {
    const changes = recordChanges(reader);
    await changes.ready;
    const merchant = await writer.createMerchant(aMerchant());
    assert.equal(await changes.next(), 'merchants');
    await writer.createRule(aRule({ partner: merchant.partner, ...DECLINE_1234 }));
    assert.equal(await changes.next(), 'rules');
    await writer.setDefaultRuleEnabled(merchant.partner, 'default-pay-9901', false);
    assert.equal(await changes.next(), 'rules');
    // Ledger counters and rule hits are no definition change; notifications arrive in commit order,
    // so the next one heard must be the merchant update that follows them.
    await writer.nextCounter('some-ledger-counter');
    await writer.updateMerchant(merchant.partner, { name: 'Renamed' });
    assert.equal(await changes.next(), 'merchants');
    changes.unsubscribe();
  });

  it('keeps schemas apart: a store does not hear changes in another schema', async () => {
    const other = freshSchemaName();
    const elsewhere = await openStore(TEST_PG_URL, { schema: other, poolSize: 1 });
    try {
      const changes = recordChanges(reader);
      await changes.ready;
      await elsewhere.createMerchant(aMerchant());
      await writer.createMerchant(aMerchant());
      assert.equal(await changes.next(), 'merchants');
      await writer.createRule(aRule(DECLINE_1234));
      // Had the other schema's merchant been heard, this would be the writer's 'merchants'.
      assert.equal(await changes.next(), 'rules');
      changes.unsubscribe();
    } finally {
      await elsewhere.close();
      await dropSchema(other);
    }
  });

  it('lets a rule engine use a rule created through another instance without waiting for its poll', async () => {
    // A poll interval of an hour: only the notification can make the engine reload.
    const engine = createRuleEngine(reader, { pollMs: 3_600_000 });
    const changes = recordChanges(reader);
    try {
      await changes.ready;
      const merchant = await writer.createMerchant(aMerchant());
      await changes.until('merchants');
      const now = new Date();
      const params = { trans_amount: '12.34' };
      assert.equal(await engine.decide(merchant.partner, DECLINE_1234.service, params, now), null);
      const rule = await writer.createRule(aRule({ partner: merchant.partner, ...DECLINE_1234 }));
      assert.equal(await changes.next(), 'rules');
      const decision = await engine.decide(merchant.partner, DECLINE_1234.service, params, now);
      assert.equal(decision?.ruleId, rule.id);
    } finally {
      engine.close();
      changes.unsubscribe();
    }
  });

  it('reconnects after losing its connection and asks for a resync', async () => {
    const changes = recordChanges(reader);
    await changes.ready;
    const admin = new pg.Client({ connectionString: TEST_PG_URL });
    await admin.connect();
    try {
      const killed = await admin.query(
        'select pg_terminate_backend(pid) from pg_stat_activity where application_name = $1',
        [`alipay-mock listen ${schema}`],
      );
      assert.ok(killed.rowCount !== null && killed.rowCount >= 1, 'the listening connection was found');
    } finally {
      await admin.end();
    }
    await changes.until('resync');
    await writer.createRule(aRule(DECLINE_1234));
    assert.equal(await changes.next(), 'rules');
    changes.unsubscribe();
  });
});

describe('change notifications on SQLite', () => {
  it('offers a subscription that is ready at once and never needs a connection', async () => {
    const store = await openStore('sqlite::memory:');
    try {
      const subscription = store.onChange?.(() => assert.fail('SQLite has no change feed'));
      assert.ok(subscription);
      await subscription.ready;
      await store.createMerchant(aMerchant());
      subscription.unsubscribe();
    } finally {
      await store.close();
    }
  });
});
