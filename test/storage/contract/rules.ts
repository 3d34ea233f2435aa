import assert from 'node:assert/strict';
import { it } from 'node:test';
import { StoreConflictError } from '../../../src/ports/store-conflict-error.js';
import { aRule } from '../../helpers/store-builders.js';
import { CONTRACT_START, type ContractContext } from './context.js';

/** Rules: create, read, list order, update, delete, conflicts, the rules version. */
export function ruleContract(ctx: ContractContext): void {
  it('returns a created rule with hits 0, a seq and timestamps, and reads it back', async () => {
    const rule = aRule({ times: 3, expiresAt: new Date('2026-11-27T00:00:00.001Z') });
    const created = await ctx.store().createRule(rule);
    assert.ok(Number.isSafeInteger(created.seq) && created.seq > 0);
    const expected = {
      ...rule,
      hits: 0,
      seq: created.seq,
      createdAt: CONTRACT_START,
      updatedAt: CONTRACT_START,
    };
    assert.deepEqual(created, expected);
    assert.deepEqual(await ctx.store().getRule(rule.id), expected);
    assert.equal(await ctx.store().getRule('no-such-rule'), undefined);
  });

  it('refuses a second rule with the same id', async () => {
    const rule = aRule();
    await ctx.store().createRule(rule);
    await assert.rejects(ctx.store().createRule({ ...rule, name: 'Other' }), StoreConflictError);
    assert.equal((await ctx.store().getRule(rule.id))?.name, rule.name);
  });

  it('numbers rules in creation order', async () => {
    const seqs: number[] = [];
    for (let i = 0; i < 3; i += 1) seqs.push((await ctx.store().createRule(aRule())).seq);
    assert.deepEqual(
      [...seqs].sort((a, b) => a - b),
      seqs,
    );
    assert.equal(new Set(seqs).size, 3);
  });

  it('lists rules by partner, then priority and creation order, highest first', async () => {
    const [a, b] = ['2088000000000001', '2088000000000002'];
    const created = [];
    for (const [partner, priority] of [
      [b, 5],
      [a, 1],
      [a, 5],
      [a, 1],
      [b, 9],
    ] as const) {
      created.push(await ctx.store().createRule(aRule({ partner, priority })));
    }
    const ids = (list: { id: string }[]) => list.map((r) => r.id);
    const [b5, a1, a5, a1later, b9] = ids(created);
    assert.deepEqual(ids(await ctx.store().listRules()), [a5, a1later, a1, b9, b5]);
    assert.deepEqual(ids(await ctx.store().listRules({ partner: b })), [b9, b5]);
    assert.deepEqual(ids(await ctx.store().listRules({ partner: undefined })), [a5, a1later, a1, b9, b5]);
    assert.deepEqual(await ctx.store().listRules({ partner: '2088000000000003' }), []);
  });

  it('updates only the given fields, keeps hits and seq, and moves updatedAt', async () => {
    const rule = aRule({ times: 5 });
    const created = await ctx.store().createRule(rule);
    await ctx.store().consumeRule(rule.id);
    ctx.clock().advance(60_000);
    const patch = {
      name: 'Renamed',
      enabled: false,
      then: { type: 'fault' as const, fault: 'hang' as const },
      times: null,
      priority: -1,
    };
    const updated = await ctx.store().updateRule(rule.id, patch);
    const expected = {
      ...created,
      ...patch,
      hits: 1,
      updatedAt: new Date(CONTRACT_START.getTime() + 60_000),
    };
    assert.deepEqual(updated, expected);
    assert.deepEqual(await ctx.store().getRule(rule.id), expected);
    assert.equal(await ctx.store().updateRule('no-such-rule', { name: 'x' }), undefined);
  });

  it('deletes a rule once', async () => {
    const rule = aRule();
    await ctx.store().createRule(rule);
    assert.equal(await ctx.store().deleteRule(rule.id), true);
    assert.equal(await ctx.store().deleteRule(rule.id), false);
    assert.equal(await ctx.store().getRule(rule.id), undefined);
    assert.deepEqual(await ctx.store().listRules(), []);
  });

  it('bumps the rules version on definition and switch changes only', async () => {
    const store = ctx.store();
    const versions: number[] = [await store.rulesVersion()];
    const step = async (change: () => Promise<unknown>) => {
      await change().catch(() => undefined);
      versions.push(await store.rulesVersion());
    };
    const rule = aRule({ times: 2 });
    await step(() => store.createRule(rule)); // bump
    await step(() => store.createRule(rule)); // conflict: no bump
    await step(() => store.updateRule(rule.id, { priority: 3 })); // bump
    await step(() => store.updateRule('no-such-rule', { priority: 3 })); // no bump
    await step(() => store.consumeRule(rule.id)); // hits are not the definition
    await step(() => store.resetRuleHits(rule.id));
    await step(() => store.nextCounter(`rule:${rule.id}:`));
    await step(() => store.setDefaultRuleEnabled(rule.partner, 'default-x', false)); // bump
    await step(() => store.setDefaultRuleEnabled(rule.partner, 'default-x', false)); // unchanged
    await step(() => store.setDefaultRuleEnabled(rule.partner, 'default-x', true)); // bump
    await step(() => store.deleteRule(rule.id)); // bump
    await step(() => store.deleteRule(rule.id)); // no bump
    assert.deepEqual(versions, [0, 1, 1, 2, 2, 2, 2, 2, 3, 3, 4, 5, 5]);
  });
}

/** Rule hits and counters: conditional consumption, resets, named counters. */
export function ruleHitContract(ctx: ContractContext): void {
  it('consumes a limited rule until its lifetime is used up', async () => {
    const rule = aRule({ times: 2 });
    await ctx.store().createRule(rule);
    const hits = [];
    for (let i = 0; i < 4; i += 1) hits.push(await ctx.store().consumeRule(rule.id));
    assert.deepEqual(hits, [1, 2, null, null]);
    assert.equal((await ctx.store().getRule(rule.id))?.hits, 2);
  });

  it('consumes an unlimited rule for ever, and leaves expiry to the caller', async () => {
    const rule = aRule({ times: null, expiresAt: new Date(CONTRACT_START.getTime() - 1) });
    await ctx.store().createRule(rule);
    for (let i = 1; i <= 3; i += 1) assert.equal(await ctx.store().consumeRule(rule.id), i);
  });

  it('does not consume a disabled or unknown rule', async () => {
    const rule = aRule({ enabled: false });
    await ctx.store().createRule(rule);
    assert.equal(await ctx.store().consumeRule(rule.id), null);
    assert.equal(await ctx.store().consumeRule('no-such-rule'), null);
    assert.equal((await ctx.store().getRule(rule.id))?.hits, 0);
    await ctx.store().updateRule(rule.id, { enabled: true });
    assert.equal(await ctx.store().consumeRule(rule.id), 1);
  });

  it('counts each named counter from 1', async () => {
    const store = ctx.store();
    assert.deepEqual(
      [await store.nextCounter('a'), await store.nextCounter('a'), await store.nextCounter('b')],
      [1, 2, 1],
    );
    assert.equal(await store.transaction((tx) => tx.nextSequence('a')), 3);
  });

  it('resets hits and the rule’s own counters, and nothing else', async () => {
    const store = ctx.store();
    // `_` is a LIKE wildcard and SQLite's LIKE ignores case: neither may widen the reset.
    const rule = await store.createRule(aRule({ id: 'pay_1', times: 1 }));
    const lookAlikes = ['payX1', 'PAY_1', 'pay_10'];
    const counters = [`rule:${rule.id}:`, `rule:${rule.id}:2088/P1`];
    const others = [...lookAlikes.map((id) => `rule:${id}:`), `rule:${rule.id}`, 'trade'];
    for (const name of [...counters, ...others]) await store.nextCounter(name);
    assert.equal(await store.consumeRule(rule.id), 1);
    assert.equal(await store.consumeRule(rule.id), null);

    assert.equal(await store.resetRuleHits(rule.id), true);
    assert.equal((await store.getRule(rule.id))?.hits, 0);
    assert.equal(await store.consumeRule(rule.id), 1);
    for (const name of counters) assert.equal(await store.nextCounter(name), 1, name);
    for (const name of others) assert.equal(await store.nextCounter(name), 2, name);
    assert.equal(await store.resetRuleHits('no-such-rule'), false);
  });

  it('forgets a deleted rule’s counters, so a new rule with its id starts afresh', async () => {
    const store = ctx.store();
    const rule = aRule();
    await store.createRule(rule);
    await store.nextCounter(`rule:${rule.id}:`);
    await store.deleteRule(rule.id);
    await store.createRule(rule);
    assert.equal(await store.nextCounter(`rule:${rule.id}:`), 1);
  });
}
