import { test } from 'node:test';
import assert from 'node:assert/strict';
import { armedRules } from '../../src/check/check-rules.js';
import { CHECK_SCENARIOS } from '../../src/check/check-scenarios.js';
import { evaluateCheck } from '../../src/check/evaluate-check.js';
import { PAY_SERVICE, REFUND_SERVICE } from '../../src/protocol/constants.js';
import { compileRule, matches } from '../../src/rules/compile-rule.js';
import { DEFAULT_RULES } from '../../src/rules/default-rules.js';
import { entryList } from './check-entries.js';

const P = '2088101122136241';
const keyed = CHECK_SCENARIOS.filter((s) => s.amountKey !== null);

test('amount keys: two distinct cents per scenario, on the field of the service its rules answer', () => {
  const cents = keyed.map((s) => s.amountKey?.cents ?? '');
  assert.equal(new Set(cents).size, cents.length);
  for (const s of keyed) {
    assert.match(s.amountKey?.cents ?? '', /^(?!00)[0-9]{2}$/, s.id);
    const field = s.amountKey?.field === 'refund_amount' ? REFUND_SERVICE : PAY_SERVICE;
    for (const r of s.setup) assert.equal(r.service, field, s.id);
  }
  // Only the cancel scenarios (a cancel carries no amount) and the whole-run one have none.
  assert.deepEqual(
    CHECK_SCENARIOS.filter((s) => s.amountKey === null).map((s) => s.id),
    ['cancel-after-pay', 'cancel-unknown-trade', 'signatures'],
  );
});

test('an amount-keyed run arms rules on the amount, which match its cents only and no default rule amount', () => {
  const rules = armedRules('chk-1', P, CHECK_SCENARIOS, 'amount');
  const sysErr = rules.find((r) => r.id === 'chk-1.pay-system-error.0');
  assert.ok(sysErr);
  assert.deepEqual(sysErr.when, [{ field: 'trans_amount', op: 'regex', value: '^[0-9]+\\.61$' }]);
  const compiled = compileRule(sysErr);
  for (const amount of ['12.61', '0.61', '9901.61'])
    assert.ok(matches(compiled, { trans_amount: amount }), amount);
  for (const amount of ['12.6', '1261', '12.610', '9901', '9901.00', '12.62'])
    assert.ok(!matches(compiled, { trans_amount: amount }), amount);
  const retry = rules.find((r) => r.id === 'chk-1.refund-retry-same-id.0');
  assert.deepEqual(retry?.when, [{ field: 'refund_amount', op: 'regex', value: '^[0-9]+\\.65$' }]);
  // The cancel scenario keeps its prefix.
  const cancel = rules.find((r) => r.id === 'chk-1.cancel-after-pay.0');
  assert.deepEqual(cancel?.when, [{ field: 'out_trade_no', op: 'prefix', value: 'CHK-CANCEL-' }]);
  // No amount that carries a key triggers a default pay rule (they take whole amounts only).
  const defaults = DEFAULT_RULES.filter((r) => r.service === PAY_SERVICE).map((r) => compileRule(r));
  for (const s of keyed) {
    for (const whole of ['9801', '9901', '9947', '9974']) {
      const amount = `${whole}.${s.amountKey?.cents ?? ''}`;
      assert.ok(!defaults.some((d) => matches(d, { trans_amount: amount })), amount);
    }
  }
  // A prefix-keyed run arms the same scenarios on their prefixes.
  const byPrefix = armedRules('chk-1', P, CHECK_SCENARIOS);
  assert.equal(byPrefix.length, rules.length);
  assert.ok(byPrefix.every((r) => r.when[0]?.op === 'prefix'));
});

test('keyed by amount, a scenario judges the trades whose pay (or refund) carried its amount, whatever their ids', () => {
  const l = entryList();
  l.add('pay', 'ORDER-1', 'FAILED:SYSTEM_ERROR', { params: { trans_amount: '12.61' } });
  l.add('query', 'ORDER-1', 'FAIL:TRADE_NOT_EXIST');
  l.add('cancel', 'ORDER-1', 'FAIL:TRADE_NOT_EXIST');
  l.add('pay', 'ORDER-2', 'FAILED:SYSTEM_ERROR', { params: { trans_amount: '3.61' } });
  l.add('pay', 'ORDER-3', 'SUCCESS', { params: { trans_amount: '20.00' } });
  l.add('refund', 'ORDER-3', 'UNKNOW', { params: { refund_amount: '5.65', partner_refund_id: 'R1' } });
  l.add('refund', 'ORDER-3', 'SUCCESS', { params: { refund_amount: '5.65', partner_refund_id: 'R1' } });
  const report = evaluateCheck({ entries: l.entries, deliveries: [] }, CHECK_SCENARIOS, 'amount');
  const of = (id: string) => report.find((v) => v.scenario === id);
  const sysErr = of('pay-system-error');
  assert.equal(sysErr?.status, 'failed');
  assert.deepEqual(
    sysErr?.evidence.map((e) => e.requestId),
    [1, 2, 3, 4],
  );
  assert.match(sysErr?.findings[0] ?? '', /ORDER-2: never queried/);
  const retry = of('refund-retry-same-id');
  assert.equal(retry?.status, 'passed', retry?.findings.join());
  assert.deepEqual(
    retry?.evidence.map((e) => e.requestId),
    [5, 6, 7],
  );
  assert.deepEqual(of('pay-no-answer')?.findings, ['no pay with a trans_amount of *.62']);
  // The same requests in a prefix-keyed run trigger nothing: no id is under a prefix.
  const byPrefix = evaluateCheck({ entries: l.entries, deliveries: [] });
  assert.ok(byPrefix.filter((v) => v.scenario !== 'signatures').every((v) => v.status === 'not_exercised'));
});
