import { CANCEL_SERVICE } from '../protocol/constants.js';
import { RULE_SCHEMA, type Rule } from '../rules/rule-schema.js';
import type { Condition } from '../rules/condition-schema.js';
import { amountPattern, type CheckKeying, type CheckScenario, type ScenarioRule } from './check-scenario.js';

/** Above every rule a merchant is likely to write, so an armed scenario answers its own requests. */
const ARMED_PRIORITY = 1_000_000;

/** The condition that triggers a scenario's rule: its amount key in a run keyed by amount, else its prefix. */
function trigger(s: CheckScenario & { prefix: string }, r: ScenarioRule, keying: CheckKeying): Condition {
  if (keying === 'amount' && s.amountKey !== null)
    return { field: s.amountKey.field, op: 'regex', value: amountPattern(s.amountKey) };
  // Cancel names the trade out_trade_no (docs/protocol.md §6.2); the others partner_trans_id.
  const field = r.service === CANCEL_SERVICE ? 'out_trade_no' : 'partner_trans_id';
  return { field, op: 'prefix', value: s.prefix };
}

/** The custom rules that arm `scenarios` for a run of `partner` (ids derived from the run's id). */
export function armedRules(
  runId: string,
  partner: string,
  scenarios: readonly CheckScenario[],
  keying: CheckKeying = 'prefix',
): Rule[] {
  const rules: Rule[] = [];
  for (const s of scenarios) {
    const { prefix } = s;
    if (prefix === null) continue;
    s.setup.forEach((r, i) => {
      rules.push(
        RULE_SCHEMA.parse({
          id: `${runId}.${s.id}.${i}`,
          partner,
          service: r.service,
          name: `check ${runId}: ${s.id}`,
          priority: ARMED_PRIORITY,
          when: [trigger({ ...s, prefix }, r, keying)],
          then: r.then,
        }),
      );
    });
  }
  return rules;
}
