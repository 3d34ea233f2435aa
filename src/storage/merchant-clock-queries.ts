import type { Kysely } from 'kysely';
import { fromMillisOrNull, toMillisOrNull } from './columns.js';
import { rowToMerchant } from './merchant-queries.js';
import { precompile } from './precompiled-query.js';
import type { Database } from './schema.js';
import type { MerchantClock } from '../ledger/model.js';
import type { MerchantWithClock } from '../ledger/ledger-store.js';

/** The merchant's sandbox clock, or undefined when it runs on real time. */
export async function selectMerchantClock(
  db: Kysely<Database>,
  partner: string,
): Promise<MerchantClock | undefined> {
  const row = await db
    .selectFrom('merchant_clocks')
    .select(['offset_ms', 'frozen_at'])
    .where('partner', '=', partner)
    .executeTakeFirst();
  return row && { offsetMs: row.offset_ms, frozenAt: fromMillisOrNull(row.frozen_at) };
}

/** Sets (upserts) the merchant's clock, or deletes it when clock is null. */
export async function upsertMerchantClock(
  db: Kysely<Database>,
  partner: string,
  clock: MerchantClock | null,
): Promise<void> {
  if (clock === null) {
    await db.deleteFrom('merchant_clocks').where('partner', '=', partner).execute();
    return;
  }
  // PostgreSQL refuses a fraction in a BIGINT and SQLite would keep it: refuse it on both.
  if (!Number.isSafeInteger(clock.offsetMs))
    throw new RangeError(`offsetMs must be an integer, got ${clock.offsetMs}`);
  const values = { offset_ms: clock.offsetMs, frozen_at: toMillisOrNull(clock.frozenAt) };
  await db
    .insertInto('merchant_clocks')
    .values({ partner, ...values })
    .onConflict((oc) => oc.column('partner').doUpdateSet(values))
    .execute();
}

/** The merchant with this partner id and its sandbox clock (undefined: real time), in one statement. */
export async function selectMerchantWithClock(
  db: Kysely<Database>,
  partner: string,
): Promise<MerchantWithClock | undefined> {
  const row = (await MERCHANT_WITH_CLOCK.execute(db, { partner })).rows[0];
  if (row === undefined) return undefined;
  const { clock_offset_ms: offsetMs, clock_frozen_at: frozenAt, ...merchant } = row;
  return {
    merchant: rowToMerchant(merchant),
    // offset_ms is NOT NULL: null here means the left join found no clock.
    clock: offsetMs === null ? undefined : { offsetMs, frozenAt: fromMillisOrNull(frozenAt) },
  };
}

// Compiled once: every gateway request runs it.
const MERCHANT_WITH_CLOCK = precompile(['partner'], (db, p: { partner: string }) =>
  db
    .selectFrom('merchants')
    .leftJoin('merchant_clocks', 'merchant_clocks.partner', 'merchants.partner')
    .selectAll('merchants')
    .select(['merchant_clocks.offset_ms as clock_offset_ms', 'merchant_clocks.frozen_at as clock_frozen_at'])
    .where('merchants.partner', '=', p.partner),
);
