import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GATEWAY_ERROR_CODES } from '../../src/protocol/gateway-errors.js';
import { compileRule, matches } from '../../src/rules/compile-rule.js';
import {
  CANCEL_ERROR_CODES,
  QUERY_ERROR_CODES,
  REFUND_ERROR_CODES,
} from '../../src/rules/default-id-rules.js';
import { PAY_ERROR_CODES } from '../../src/rules/default-pay-rules.js';
import { DEFAULT_RULES, type DefaultRule } from '../../src/rules/default-rules.js';
import { candidates, createRuleIndex } from '../../src/rules/rule-index.js';
import { RULE_SCHEMA } from '../../src/rules/rule-schema.js';

const PAY = 'alipay.acquire.overseas.spot.pay';

function byId(id: string): DefaultRule {
  const rule = DEFAULT_RULES.find((r) => r.id === id);
  assert.ok(rule, id);
  return rule;
}

/** The first default rule that matches, as the engine would pick it. */
function firstDefault(service: string, params: Record<string, string>): string | undefined {
  const index = createRuleIndex(DEFAULT_RULES);
  return candidates(index, '2088101122136241', service).find((c) => matches(c, params))?.rule.id;
}

test('every default rule validates against the rule schema unchanged', () => {
  for (const rule of DEFAULT_RULES) {
    const result = RULE_SCHEMA.safeParse(rule);
    assert.ok(result.success, `${rule.id}: ${JSON.stringify(result.error?.issues)}`);
    assert.deepEqual(result.data, rule, rule.id);
  }
});

test('default rule ids are unique, stable, and the rules belong to no partner', () => {
  assert.equal(new Set(DEFAULT_RULES.map((r) => r.id)).size, DEFAULT_RULES.length);
  for (const rule of DEFAULT_RULES) {
    assert.match(
      rule.id,
      /^default-(pay|cancel|refund|query|precreate|create|qrcode-create|qrcode-modify|qrcode-status)-[a-z0-9-]+$/,
    );
    assert.equal(rule.partner, null);
  }
});

test("Alipay's documented default rule is kept exactly: pay 9901 → FAILED SYSTEM_ERROR, nothing created", () => {
  const rule = byId('default-pay-9901');
  assert.equal(rule.service, PAY);
  assert.deepEqual(rule.when, [{ field: 'trans_amount', op: 'eq', value: '9901' }]);
  assert.deepEqual(rule.then, {
    type: 'business',
    result_code: 'FAILED',
    error: 'SYSTEM_ERROR',
    effect: 'none',
  });
});

test('9901 and 9901.00 both trigger the 9901 rule; 9901.50 triggers nothing', () => {
  assert.equal(firstDefault(PAY, { trans_amount: '9901' }), 'default-pay-9901');
  assert.equal(firstDefault(PAY, { trans_amount: '9901.00' }), 'default-pay-9901');
  assert.equal(firstDefault(PAY, { trans_amount: '9901.50' }), undefined);
  assert.equal(firstDefault(PAY, { trans_amount: '10.00' }), undefined);
});

test('every spot pay error code of §7.1 has its own amount from 9901 up', () => {
  PAY_ERROR_CODES.forEach((code, i) => {
    const then = byId(`default-pay-${9901 + i}`).then;
    assert.deepEqual(then, { type: 'business', result_code: 'FAILED', error: code, effect: 'none' });
  });
  assert.deepEqual(byId('default-pay-9902').then, {
    type: 'business',
    result_code: 'FAILED',
    error: 'BUYER_BALANCE_NOT_ENOUGH',
    effect: 'none',
  });
});

test('every gateway error is triggered by pay amounts 9801… and by MOCK_GW_ prefixes of the other services', () => {
  GATEWAY_ERROR_CODES.forEach((code, i) => {
    assert.deepEqual(byId(`default-pay-${9801 + i}`).then, { type: 'gateway_error', code });
    for (const svc of ['cancel', 'refund', 'query']) {
      assert.deepEqual(byId(`default-${svc}-gw-${code.toLowerCase().replace(/_/g, '-')}`).then, {
        type: 'gateway_error',
        code,
      });
    }
  });
});

test('a gateway code that starts another code still picks its own rule', () => {
  const query = 'alipay.acquire.overseas.query';
  assert.equal(
    firstDefault(query, { partner_trans_id: 'MOCK_GW_ILLEGAL_SIGN-1' }),
    'default-query-gw-illegal-sign',
  );
  assert.equal(
    firstDefault(query, { partner_trans_id: 'MOCK_GW_ILLEGAL_SIGN_TYPE-1' }),
    'default-query-gw-illegal-sign-type',
  );
});

test('every cancel, refund and query error code has a MOCK_<SERVICE>_<CODE>- prefix', () => {
  const cases = [
    ['alipay.acquire.cancel', 'out_trade_no', 'CANCEL', CANCEL_ERROR_CODES],
    ['alipay.acquire.overseas.spot.refund', 'partner_refund_id', 'REFUND', REFUND_ERROR_CODES],
    ['alipay.acquire.overseas.query', 'partner_trans_id', 'QUERY', QUERY_ERROR_CODES],
  ] as const;
  for (const [service, field, word, codes] of cases) {
    for (const code of codes) {
      const id = firstDefault(service, { [field]: `MOCK_${word}_${code}-0001` });
      assert.equal(id, `default-${word.toLowerCase()}-${code.toLowerCase().replace(/_/g, '-')}`);
    }
  }
});

test('cancel failures carry retry_flag: Y for SYSTEM_ERROR and UNKNOWN, N otherwise', () => {
  const flag = (id: string) => {
    const then = byId(id).then;
    return then.type === 'business' ? then.fields?.retry_flag : undefined;
  };
  assert.equal(flag('default-cancel-system-error'), 'Y');
  assert.equal(flag('default-cancel-unknown'), 'Y');
  assert.equal(flag('default-cancel-trade-not-exist'), 'N');
});

test('no trigger of a service can shadow another: amounts are unique and no prefix starts another', () => {
  for (const service of new Set(DEFAULT_RULES.map((r) => r.service))) {
    const values = DEFAULT_RULES.filter((r) => r.service === service).map(
      (r) => `${r.when[0]?.op}:${String(r.when[0]?.value)}`,
    );
    assert.equal(new Set(values).size, values.length, service);
    const prefixes = values.filter((v) => v.startsWith('prefix:')).map((v) => v.slice(7));
    for (const a of prefixes)
      for (const b of prefixes) if (a !== b) assert.ok(!b.startsWith(a), `${a} shadows ${b}`);
  }
});

test('every pay trigger is a whole amount between 9801 and 9999, so cents never trigger', () => {
  for (const rule of DEFAULT_RULES.filter((r) => r.service === PAY)) {
    assert.deepEqual(rule.when.length, 1);
    const value = rule.when[0]?.value;
    assert.ok(typeof value === 'string' && /^9[89]\d\d$/.test(value), rule.id);
  }
});

test('the unknown-then-paid rule parks the trade and resolves after 30 s or 2 queries', () => {
  assert.deepEqual(byId('default-pay-9941').then, {
    type: 'business',
    result_code: 'UNKNOW',
    effect: 'pending',
    resolve: { to: 'paid', afterSeconds: 30, afterQueries: 2 },
  });
});

test('a trigger rule compiles and matches its own example', () => {
  assert.equal(
    matches(compileRule(byId('default-refund-retry')), { partner_refund_id: 'MOCK_REFUND_RETRY-7' }),
    true,
  );
});

test('docs/rules.md lists every default rule, and every gateway code with its amount', () => {
  const docs = readFileSync('docs/rules.md', 'utf8');
  for (const rule of DEFAULT_RULES.filter((r) => r.then.type !== 'gateway_error')) {
    assert.ok(docs.includes(`\`${rule.id}\``), rule.id);
  }
  GATEWAY_ERROR_CODES.forEach((code, i) => {
    assert.ok(docs.includes(`| \`${code}\` | \`${9801 + i}\` | \`MOCK_GW_${code}-…\` |`), code);
  });
});
