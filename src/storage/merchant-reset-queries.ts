import type { Kysely } from 'kysely';
import { deleteNotificationsOf } from './notification-queries.js';
import type { Database } from './schema.js';
import { deleteRuleCounters, nextSequenceValue, RULES_VERSION_COUNTER } from './sequence-queries.js';

/**
 * Deletes everything the ledger database keeps for one merchant except the account itself: refunds,
 * trades, merchant QR codes, rules with their counters, default-rule switches, clock and notifications (the store then
 * deletes its request log entries). Run it in a transaction; rows of other merchants stay.
 */
export async function deleteMerchantState(trx: Kysely<Database>, partner: string): Promise<void> {
  const rules = await trx.selectFrom('rules').select('id').where('partner', '=', partner).execute();
  await deleteRuleCounters(
    trx,
    rules.map((r) => r.id),
  );
  const deletedRules = await trx.deleteFrom('rules').where('partner', '=', partner).executeTakeFirst();
  const deletedSwitches = await trx
    .deleteFrom('default_rule_switches')
    .where('partner', '=', partner)
    .executeTakeFirst();
  await trx.deleteFrom('refunds').where('partner', '=', partner).execute();
  await trx.deleteFrom('trades').where('partner', '=', partner).execute();
  await trx.deleteFrom('merchant_qr_codes').where('partner', '=', partner).execute();
  await trx.deleteFrom('merchant_clocks').where('partner', '=', partner).execute();
  await deleteNotificationsOf(trx, partner);
  if (deletedRules.numDeletedRows + deletedSwitches.numDeletedRows > 0n) {
    await nextSequenceValue(trx, RULES_VERSION_COUNTER);
  }
}
