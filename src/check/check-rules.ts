import { CANCEL_SERVICE } from '../protocol/constants.js';
import { RULE_SCHEMA, type Rule } from '../rules/rule-schema.js';
import type { CheckScenario } from './check-scenario.js';

/** Above every rule a merchant is likely to write, so an armed scenario answers its own requests. */
const ARMED_PRIORITY = 1_000_000;

/** The custom rules that arm `scenarios` for a run of `partner` (ids derived from the run's id). */
export function armedRules(runId: string, partner: string, scenarios: readonly CheckScenario[]): Rule[] {
  const rules: Rule[] = [];
  for (const s of scenarios) {
    if (s.prefix === null) continue;
    s.setup.forEach((r, i) => {
      // Cancel names the trade out_trade_no (docs/protocol.md §6.2); the others partner_trans_id.
      const field = r.service === CANCEL_SERVICE ? 'out_trade_no' : 'partner_trans_id';
      rules.push(
        RULE_SCHEMA.parse({
          id: `${runId}.${s.id}.${i}`,
          partner,
          service: r.service,
          name: `check ${runId}: ${s.id}`,
          priority: ARMED_PRIORITY,
          when: [{ field, op: 'prefix', value: s.prefix }],
          then: r.then,
        }),
      );
    });
  }
  return rules;
}
