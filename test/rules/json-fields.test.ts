import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileRule, createMatchContext, matches } from '../../src/rules/compile-rule.js';
import { ruleWhen } from './rule-builders.js';

const extendInfo = JSON.stringify({
  secondary_merchant_id: 'MID0071525932232000',
  secondary_merchant_industry: '5300',
  store: { id: 'S1', tags: ['a', 'b'] },
});

function hit(
  field: string,
  op: string,
  value: string | string[] | undefined,
  params: Record<string, string>,
): boolean {
  return matches(compileRule(ruleWhen(field, op, value)), params);
}

test('param.key looks inside a JSON-valued parameter', () => {
  const params = { extend_info: extendInfo };
  assert.equal(hit('extend_info.secondary_merchant_id', 'eq', 'MID0071525932232000', params), true);
  assert.equal(hit('extend_info.secondary_merchant_industry', 'in', ['5300', '5812'], params), true);
});

test('param.a.b goes deeper, and numeric keys index arrays', () => {
  const params = { extend_info: extendInfo };
  assert.equal(hit('extend_info.store.id', 'eq', 'S1', params), true);
  assert.equal(hit('extend_info.store.tags.1', 'eq', 'b', params), true);
});

test('JSON numbers compare as written, and numerically', () => {
  const params = { client_info: '{"amount": 12.50, "id": 20880000000000000001}' };
  assert.equal(hit('client_info.amount', 'eq', '12.50', params), true);
  assert.equal(hit('client_info.amount', 'gt', '12.4', params), true);
  assert.equal(hit('client_info.id', 'eq', '20880000000000000001', params), true);
});

test('non-string leaves compare by their JSON text', () => {
  const params = { client_info: '{"vip": true, "tags": ["x", 1]}' };
  assert.equal(hit('client_info.vip', 'eq', 'true', params), true);
  assert.equal(hit('client_info.tags', 'eq', '["x",1]', params), true);
});

test('a missing key, JSON null, invalid JSON or a missing parameter all count as absent', () => {
  assert.equal(hit('extend_info.store_id', 'absent', undefined, { extend_info: extendInfo }), true);
  assert.equal(hit('client_info.x', 'absent', undefined, { client_info: '{"x": null}' }), true);
  assert.equal(hit('client_info.x', 'absent', undefined, { client_info: '{"x": ' }), true);
  assert.equal(hit('client_info.x', 'absent', undefined, {}), true);
  assert.equal(hit('client_info.x.y', 'absent', undefined, { client_info: '{"x": "text"}' }), true);
});

test('a JSON-valued parameter is parsed at most once per request, however many rules read it', () => {
  let reads = 0;
  const params = {};
  Object.defineProperty(params, 'extend_info', {
    enumerable: true,
    get: () => {
      reads += 1;
      return extendInfo;
    },
  });
  const ctx = createMatchContext(params);
  const rules = ['store.id', 'secondary_merchant_id', 'store.tags.0'].map((path) =>
    compileRule(ruleWhen(`extend_info.${path}`, 'exists')),
  );
  for (const rule of rules) assert.equal(matches(rule, ctx), true);
  assert.equal(reads, 1);
});
