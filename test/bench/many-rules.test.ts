// The benchmark's scenario e is only meaningful if its rule file loads and leaves the 9901 request to
// the default rule: checked here, so a change of the rule model cannot quietly break the benchmark.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MANY_RULES_MERCHANTS, MANY_RULES_PER_MERCHANT, writeManyRulesFile } from '../../bench/many-rules.js';
import { BENCH_PARTNER, payRequest } from '../../bench/bench-fixtures.js';
import { DEFAULT_RULES } from '../../src/rules/default-rules.js';
import { parseRuleFile } from '../../src/rule-files/rule-file.js';
import { createRuleIndex, matchingRules } from '../../src/rules/rule-index.js';

test('the bench rule file: 10 000 valid rules of 1 000 merchants, none answering the 9901 request', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'alipay-mock-many-rules-'));
  try {
    const parsed = parseRuleFile(await readFile(await writeManyRulesFile(dir, BENCH_PARTNER), 'utf8'));
    assert.ok(parsed.ok, JSON.stringify(parsed.ok ? [] : parsed.issues.slice(0, 3)));
    assert.equal(parsed.rules.length, MANY_RULES_MERCHANTS * MANY_RULES_PER_MERCHANT);
    assert.equal(new Set(parsed.rules.map((r) => r.partner)).size, MANY_RULES_MERCHANTS);
    const own = parsed.rules.filter((r) => r.partner === BENCH_PARTNER);
    assert.equal(own.length, MANY_RULES_PER_MERCHANT);

    const index = createRuleIndex([...DEFAULT_RULES, ...parsed.rules.map((rule, seq) => ({ ...rule, seq }))]);
    // The very request scenario e sends, decoded.
    const path = payRequest({ partner: BENCH_PARTNER, md5Key: 'benchkey1234' }, 'E1', '9901').path;
    const request = Object.fromEntries(new URL(path, 'http://x').searchParams);
    const [first] = matchingRules(
      index,
      BENCH_PARTNER,
      'alipay.acquire.overseas.spot.pay',
      request,
      new Date('2026-11-26T04:00:00Z'),
    );
    assert.equal(first?.rule.id, 'default-pay-9901');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
