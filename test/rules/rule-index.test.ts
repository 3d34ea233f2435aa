import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_RULES } from '../../src/rules/default-rules.js';
import { matches } from '../../src/rules/compile-rule.js';
import { candidates, createRuleIndex, matchingRules, type IndexedRule } from '../../src/rules/rule-index.js';
import { aStoredRule } from './rule-builders.js';

const PAY = 'alipay.acquire.overseas.spot.pay';
const REFUND = 'alipay.acquire.overseas.spot.refund';
const ME = '2088101122136241';
const OTHER = '2088000000000002';

function ids(rules: readonly { rule: IndexedRule }[]): string[] {
  return rules.map((c) => c.rule.id);
}

const defaults: IndexedRule[] = [
  { ...aStoredRule('d1', 0, { partner: null, service: PAY }) },
  { ...aStoredRule('d2', 0, { partner: null, service: '*', then: { type: 'normal' } }) },
  { ...aStoredRule('d3', 0, { partner: null, service: REFUND }) },
];

test('custom rules come by priority desc, then newest (highest seq) first', () => {
  const index = createRuleIndex([
    aStoredRule('old-low', 1),
    aStoredRule('new-low', 5),
    aStoredRule('high', 2, { priority: 10 }),
    aStoredRule('negative', 9, { priority: -1 }),
  ]);
  assert.deepEqual(ids(candidates(index, ME, PAY)), ['high', 'new-low', 'old-low', 'negative']);
});

test('without seq, a later position in the input counts as newer', () => {
  const first = { ...aStoredRule('first', 0), seq: undefined };
  const second = { ...aStoredRule('second', 0), seq: undefined };
  assert.deepEqual(ids(candidates(createRuleIndex([first, second]), ME, PAY)), ['second', 'first']);
});

test("a merchant's '*' rules join its rules for every service, and other services' rules stay out", () => {
  const index = createRuleIndex([
    aStoredRule('pay', 1),
    aStoredRule('any', 2, { service: '*', then: { type: 'normal' } }),
    aStoredRule('refund', 3, { service: REFUND, then: { type: 'normal' } }),
  ]);
  assert.deepEqual(ids(candidates(index, ME, PAY)), ['any', 'pay']);
  assert.deepEqual(ids(candidates(index, ME, REFUND)), ['refund', 'any']);
});

test('default rules follow the custom rules, in table order, whatever their priority', () => {
  const index = createRuleIndex([...defaults, aStoredRule('mine', 1, { priority: -5 })]);
  assert.deepEqual(ids(candidates(index, ME, PAY)), ['mine', 'd1', 'd2']);
  assert.deepEqual(ids(candidates(index, OTHER, PAY)), ['d1', 'd2']);
  assert.deepEqual(ids(candidates(index, OTHER, REFUND)), ['d2', 'd3']);
});

test("other merchants' rules are never candidates", () => {
  const index = createRuleIndex([aStoredRule('theirs', 1, { partner: OTHER })]);
  assert.deepEqual(ids(candidates(index, ME, PAY)), []);
});

test('disabled rules are left out of the index', () => {
  const index = createRuleIndex([aStoredRule('off', 1, { enabled: false }), aStoredRule('on', 2)]);
  assert.deepEqual(ids(candidates(index, ME, PAY)), ['on']);
  assert.equal(index.size, 1);
});

test('a merchant can switch individual default rules off', () => {
  const index = createRuleIndex(defaults, { disabledDefaults: new Map([[ME, new Set(['d1'])]]) });
  assert.deepEqual(ids(candidates(index, ME, PAY)), ['d2']);
  assert.deepEqual(ids(candidates(index, OTHER, PAY)), ['d1', 'd2']);
});

test('an unknown service has no candidates', () => {
  assert.deepEqual(ids(candidates(createRuleIndex(defaults), ME, 'alipay.trade.pay')), []);
});

test('matchingRules yields matching, unexpired candidates in precedence order', () => {
  const when = [{ field: 'trans_amount', op: 'eq' as const, value: '12.34' }];
  const index = createRuleIndex([
    aStoredRule('expired', 3, { when, expiresAt: '2020-01-01T00:00:00Z' }),
    aStoredRule('other-amount', 2, { when: [{ field: 'trans_amount', op: 'eq', value: '1' }] }),
    aStoredRule('live', 1, { when }),
    ...defaults,
  ]);
  const found = [
    ...matchingRules(index, ME, PAY, { trans_amount: '12.34' }, new Date('2025-06-01T00:00:00Z')),
  ];
  assert.deepEqual(ids(found), ['live', 'd1', 'd2']);
});

test('10 000 rules across 1 000 merchants: one merchant sees only its own rules, then the defaults', () => {
  const services = [PAY, REFUND, 'alipay.acquire.cancel', 'alipay.acquire.overseas.query', '*'] as const;
  const rules: IndexedRule[] = [...DEFAULT_RULES];
  for (let i = 0; i < 10_000; i += 1) {
    const partner = `2088${String(i % 1000).padStart(12, '0')}`;
    const service = services[Math.floor(i / 1000) % services.length] ?? '*';
    rules.push(aStoredRule(`r${i}`, i, { partner, service, priority: i % 3, then: { type: 'normal' } }));
  }
  const index = createRuleIndex(rules);
  const got = ids(candidates(index, '2088000000000042', PAY));
  const defaultPay = DEFAULT_RULES.filter((d) => d.service === PAY || d.service === '*').map((d) => d.id);
  // Merchant 42 owns r42, r1042 … r9042. Pay: r42 (priority 0) and r5042 (2); '*': r4042 (1) and r9042 (0).
  assert.deepEqual(got, ['r5042', 'r4042', 'r9042', 'r42', ...defaultPay]);
  assert.equal(index.size, 10_000 + DEFAULT_RULES.length);
});

test('matchingRules finds exactly what testing every candidate finds (eq, prefix and other conditions)', () => {
  const QUERY = 'alipay.acquire.overseas.query';
  const custom: IndexedRule[] = [
    aStoredRule('eq-decimal', 1, { when: [{ field: 'trans_amount', op: 'eq', value: '12.30' }] }),
    aStoredRule('eq-text', 2, { when: [{ field: 'trans_name', op: 'eq', value: 'Coffee' }] }),
    aStoredRule('eq-empty', 3, { when: [{ field: 'trans_name', op: 'eq', value: '' }] }),
    aStoredRule('prefix', 4, { when: [{ field: 'partner_trans_id', op: 'prefix', value: 'MOCK_A' }] }),
    aStoredRule('prefix-empty', 5, { when: [{ field: 'memo', op: 'prefix', value: '' }] }),
    aStoredRule('two-conditions', 6, {
      when: [
        { field: 'currency', op: 'in', value: ['USD', 'HKD'] },
        { field: 'trans_amount', op: 'eq', value: '9901' },
      ],
    }),
    aStoredRule('json-path', 7, { when: [{ field: 'extend_info.store', op: 'eq', value: '7' }] }),
    aStoredRule('ordering', 8, { when: [{ field: 'trans_amount', op: 'gt', value: '100' }] }),
    aStoredRule('always', 9),
    aStoredRule('query-prefix', 10, {
      service: QUERY,
      when: [{ field: 'partner_trans_id', op: 'prefix', value: 'MOCK_QUERY_' }],
      then: { type: 'business', result_code: 'FAIL', error: 'SYSTEM_ERROR' },
    }),
  ];
  const index = createRuleIndex([...custom, ...DEFAULT_RULES]);
  const amounts = ['12.3', '12.30', '012.30', '9901', '9901.00', '9901.0001', '-0', '0.01', '101', 'abc', ''];
  const transIds = ['MOCK_A1', 'MOCK_B', 'MOCK_QUERY_TRADE_NOT_EXIST-1', 'MOCK_GW_ILLEGAL_SIGN-x', 'P1', ''];
  const now = new Date('2026-11-26T04:00:00Z');
  let compared = 0;
  for (const service of [PAY, QUERY]) {
    for (const trans_amount of amounts) {
      for (const partner_trans_id of transIds) {
        const extras: Record<string, string>[] = [
          {},
          { trans_name: 'Coffee', currency: 'USD', memo: 'm', extend_info: '{"store":7}' },
        ];
        for (const extra of extras) {
          const params: Record<string, string> = { trans_amount, partner_trans_id, ...extra };
          for (const partner of [ME, OTHER]) {
            const brute = candidates(index, partner, service).filter((c) => matches(c, params));
            assert.deepEqual(ids([...matchingRules(index, partner, service, params, now)]), ids(brute));
            compared += 1;
          }
        }
      }
    }
  }
  assert.equal(compared, 2 * amounts.length * transIds.length * 2 * 2);
});
