import type { Kysely } from 'kysely';
import type { Database } from './schema.js';
import { nextSequenceValue, RULES_VERSION_COUNTER } from './sequence-queries.js';

// A row means "switched off": a default rule is on for every merchant until it says otherwise.

/** Ids of the default rules this merchant switched off, sorted. */
export async function selectDisabledDefaultRules(db: Kysely<Database>, partner: string): Promise<string[]> {
  const rows = await db
    .selectFrom('default_rule_switches')
    .select('rule_id')
    .where('partner', '=', partner)
    .orderBy('rule_id')
    .execute();
  return rows.map((r) => r.rule_id);
}

/** Switches a default rule on or off for one merchant; bumps the rules version when that changed anything. */
export async function setDefaultRuleSwitch(
  trx: Kysely<Database>,
  partner: string,
  ruleId: string,
  enabled: boolean,
): Promise<void> {
  const changed = enabled
    ? (
        await trx
          .deleteFrom('default_rule_switches')
          .where('partner', '=', partner)
          .where('rule_id', '=', ruleId)
          .executeTakeFirst()
      ).numDeletedRows
    : ((
        await trx
          .insertInto('default_rule_switches')
          .values({ partner, rule_id: ruleId })
          .onConflict((oc) => oc.columns(['partner', 'rule_id']).doNothing())
          .executeTakeFirst()
      ).numInsertedOrUpdatedRows ?? 0n);
  if (changed > 0n) await nextSequenceValue(trx, RULES_VERSION_COUNTER);
}
