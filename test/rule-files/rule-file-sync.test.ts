import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { openStore } from '../../src/storage/open-store.js';
import type { Store } from '../../src/storage/store.js';
import { syncFileRules } from '../../src/rule-files/rule-file-sync.js';
import { RULE_SCHEMA } from '../../src/rules/rule-schema.js';
import type { FileRule } from '../../src/rule-files/rule-file.js';
import { aMerchant } from '../helpers/store-builders.js';

const PARTNER = '2088101122136241';

function aFileRule(id: string, overrides: Record<string, unknown> = {}): FileRule {
  return RULE_SCHEMA.parse({
    id,
    partner: PARTNER,
    service: 'alipay.acquire.overseas.spot.pay',
    name: id,
    when: [{ field: 'trans_amount', op: 'eq', value: '12.34' }],
    then: { type: 'business', result_code: 'FAILED', error: 'SYSTEM_ERROR' },
    ...overrides,
  }) as FileRule;
}

describe('loading a rule file into the store', () => {
  let store: Store;
  before(async () => {
    store = await openStore('sqlite::memory:');
    await store.createMerchant(aMerchant({ partner: PARTNER }));
  });
  after(async () => store.close());

  it('stores file rules under file:<id>, next to the API rules it leaves alone', async () => {
    await store.createRule({
      id: 'api-rule',
      partner: PARTNER,
      service: '*',
      name: 'by the API',
      priority: 0,
      enabled: true,
      when: [],
      then: { type: 'normal' },
      times: null,
      expiresAt: null,
    });
    const report = await syncFileRules(store, [aFileRule('a'), aFileRule('b')]);
    assert.deepEqual(report.created, ['file:a', 'file:b']);
    assert.deepEqual((await store.listRules()).map((r) => r.id).sort(), ['api-rule', 'file:a', 'file:b']);
  });

  it('an unchanged rule keeps its hit counter; a changed one starts afresh', async () => {
    await store.consumeRule('file:a');
    await store.consumeRule('file:b');
    const report = await syncFileRules(store, [aFileRule('a'), aFileRule('b', { name: 'renamed' })]);
    assert.deepEqual([report.unchanged, report.updated], [1, ['file:b']]);
    assert.equal((await store.getRule('file:a'))?.hits, 1);
    assert.equal((await store.getRule('file:b'))?.hits, 0);
    assert.equal((await store.getRule('file:b'))?.name, 'renamed');
  });

  it('a rule gone from the file is deleted; a new partner replaces the rule', async () => {
    const other = '2088021966388155';
    const report = await syncFileRules(store, [aFileRule('b', { name: 'renamed', partner: other })]);
    assert.deepEqual([report.deleted, report.updated], [['file:a'], ['file:b']]);
    assert.equal((await store.getRule('file:b'))?.partner, other);
    assert.deepEqual(report.unknownPartners, [other]);
    assert.ok(await store.getRule('api-rule'));
  });

  it('key order and the date form do not make a rule look changed', async () => {
    const rule = aFileRule('c', { expiresAt: '2030-01-01T08:00:00+08:00' });
    await syncFileRules(store, [rule]);
    const reordered = { ...rule, then: { error: 'SYSTEM_ERROR', result_code: 'FAILED', type: 'business' } };
    const again = await syncFileRules(store, [
      { ...reordered, expiresAt: '2030-01-01T00:00:00Z' } as FileRule,
    ]);
    assert.deepEqual([again.unchanged, again.updated], [1, []]);
  });
});
