import { sql, type Kysely, type QueryCreator, type Selectable, type Updateable } from 'kysely';
import { toFlag, toMillis } from './columns.js';
import { precompile } from './precompiled-query.js';
import type { BuyersTable, Database } from './schema.js';
import type { NewBuyer, Payer } from '../ledger/ledger-store.js';
import type { Buyer } from '../ledger/model.js';

/** Fields of a buyer that updateBuyer may change. */
export type BuyerPatch = Partial<Omit<NewBuyer, 'userId'>>;

type Balances = Buyer['balances'];

function rowToBuyer(row: Selectable<BuyersTable>, balances: Balances): Buyer {
  return {
    userId: row.user_id,
    loginId: row.login_id,
    name: row.name,
    wallet: row.wallet,
    paymentCode: row.payment_code,
    isDefault: row.is_default === 1,
    balances,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
  };
}

// Undefined fields are left out: Kysely skips undefined values in SET.
function patchToRow(patch: BuyerPatch): Updateable<BuyersTable> {
  return {
    login_id: patch.loginId,
    name: patch.name,
    wallet: patch.wallet,
    payment_code: patch.paymentCode,
    is_default: patch.isDefault === undefined ? undefined : toFlag(patch.isDefault),
  };
}

async function selectBalances(db: Kysely<Database>, userId: string): Promise<Balances> {
  const rows = await db
    .selectFrom('buyer_balances')
    .select(['currency', 'amount_minor'])
    .where('user_id', '=', userId)
    .orderBy('currency')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.currency, r.amount_minor]));
}

async function insertBalances(db: Kysely<Database>, userId: string, balances: Balances): Promise<void> {
  const rows = Object.entries(balances).map(([currency, amount]) => ({
    user_id: userId,
    currency,
    amount_minor: amount,
  }));
  if (rows.length > 0) await db.insertInto('buyer_balances').values(rows).execute();
}

async function withBalances(
  db: Kysely<Database>,
  row: Selectable<BuyersTable> | undefined,
): Promise<Buyer | undefined> {
  return row && rowToBuyer(row, await selectBalances(db, row.user_id));
}

/** The buyer with this user id; forUpdate adds FOR UPDATE (pass it only on dialects with row locks). */
export async function selectBuyer(
  db: Kysely<Database>,
  userId: string,
  forUpdate = false,
): Promise<Buyer | undefined> {
  const row = await db
    .selectFrom('buyers')
    .selectAll()
    .where('user_id', '=', userId)
    .$if(forUpdate, (q) => q.forUpdate())
    .executeTakeFirst();
  return withBalances(db, row);
}

/** Every buyer with balances, oldest first. */
export async function selectBuyers(db: Kysely<Database>): Promise<Buyer[]> {
  const rows = await db.selectFrom('buyers').selectAll().orderBy('created_at').orderBy('user_id').execute();
  const balances = await db.selectFrom('buyer_balances').selectAll().orderBy('currency').execute();
  const byUser = new Map<string, Balances>();
  for (const b of balances) {
    const map = byUser.get(b.user_id) ?? {};
    map[b.currency] = b.amount_minor;
    byUser.set(b.user_id, map);
  }
  return rows.map((row) => rowToBuyer(row, byUser.get(row.user_id) ?? {}));
}

/** The buyer holding payment code `code`, else the default buyer (code first), with its balances. */
export async function selectBuyerForCode(db: Kysely<Database>, code: string): Promise<Buyer | undefined> {
  return withBalances(db, await selectBuyerRowForCode(db, code));
}

/** selectBuyerForCode without the balances (every spot pay reads it). */
export async function selectPayerForCode(db: Kysely<Database>, code: string): Promise<Payer | undefined> {
  const row = await selectBuyerRowForCode(db, code);
  if (row === undefined) return undefined;
  const { balances: _none, ...payer } = rowToBuyer(row, {});
  return payer;
}

/**
 * One statement: the buyer holding the code, else the first default buyer. Not `payment_code = ? or
 * is_default = 1`, which scans the table and sorts; and not two statements, which on PostgreSQL are
 * two round trips inside every pay's transaction.
 */
async function selectBuyerRowForCode(
  db: Kysely<Database>,
  code: string,
): Promise<Selectable<BuyersTable> | undefined> {
  return (await PAYER_ROW_FOR_CODE.execute(db, { code })).rows[0];
}

/**
 * The query of selectBuyerRowForCode, for it and for the PostgreSQL pay statement, which reads the
 * payer the same way: the buyer whose user id is the code's holder's, else the first default
 * buyer's, three index lookups. SQLite ran it in 1.5 µs where a union of the two candidates ordered
 * by preference took 2.6 (docs/performance-history.md). Literals, not bound parameters, for the constants:
 * SQLite runs a bound `LIMIT ?` 2–3 × slower (measured 7 µs against 19 µs).
 */
export function payerRowForCode(db: QueryCreator<Database>, code: string) {
  return db
    .selectFrom('buyers')
    .selectAll()
    .where('user_id', '=', (eb) =>
      eb.fn.coalesce(
        eb.selectFrom('buyers').select('user_id').where('payment_code', '=', code),
        eb
          .selectFrom('buyers')
          .select('user_id')
          .where('is_default', '=', sql.lit(1))
          .orderBy('user_id')
          .limit(sql.lit(1)),
      ),
    );
}

// Compiled once: every spot pay on SQLite runs it (on PostgreSQL it is part of the pay statement).
const PAYER_ROW_FOR_CODE = precompile(['code'], (db, p: { code: string }) => payerRowForCode(db, p.code));

/** Inserts a buyer and its balances; run it in a transaction. Duplicates raise the dialect's unique violation. */
export async function insertBuyer(db: Kysely<Database>, buyer: NewBuyer, now: Date): Promise<Buyer> {
  const row: BuyersTable = {
    user_id: buyer.userId,
    login_id: buyer.loginId,
    name: buyer.name,
    wallet: buyer.wallet,
    payment_code: buyer.paymentCode,
    is_default: toFlag(buyer.isDefault),
    created_at: toMillis(now),
    updated_at: toMillis(now),
  };
  await db.insertInto('buyers').values(row).execute();
  await insertBalances(db, buyer.userId, buyer.balances);
  return rowToBuyer(row, { ...buyer.balances });
}

/** Applies patch (balances replace the whole map); run it in a transaction. Undefined when absent. */
export async function updateBuyerRow(
  db: Kysely<Database>,
  userId: string,
  patch: BuyerPatch,
  now: Date,
): Promise<Buyer | undefined> {
  const row = await db
    .updateTable('buyers')
    .set({ ...patchToRow(patch), updated_at: toMillis(now) })
    .where('user_id', '=', userId)
    .returningAll()
    .executeTakeFirst();
  if (row === undefined) return undefined;
  if (patch.balances !== undefined) {
    await db.deleteFrom('buyer_balances').where('user_id', '=', userId).execute();
    await insertBalances(db, userId, patch.balances);
  }
  return withBalances(db, row);
}

/** Deletes the buyer; its balances go with it (ON DELETE CASCADE). */
export async function deleteBuyerRow(db: Kysely<Database>, userId: string): Promise<boolean> {
  const result = await db.deleteFrom('buyers').where('user_id', '=', userId).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/**
 * Adds deltaMinor to one balance in a single conditional statement, so concurrent debits can never
 * overdraw it: a credit upserts, a debit updates only while the result stays >= 0.
 */
export async function adjustBalanceRow(
  db: Kysely<Database>,
  userId: string,
  currency: string,
  deltaMinor: number,
): Promise<boolean> {
  if (!Number.isSafeInteger(deltaMinor))
    throw new RangeError(`deltaMinor must be an integer, got ${deltaMinor}`);
  if (deltaMinor === 0) return true;
  if (deltaMinor > 0) {
    await db
      .insertInto('buyer_balances')
      .values({ user_id: userId, currency, amount_minor: deltaMinor })
      .onConflict((oc) =>
        oc.columns(['user_id', 'currency']).doUpdateSet((eb) => ({
          amount_minor: eb('buyer_balances.amount_minor', '+', eb.ref('excluded.amount_minor')),
        })),
      )
      .execute();
    return true;
  }
  const result = await DEBIT_BALANCE.execute(db, { userId, currency, deltaMinor });
  return (result.numAffectedRows ?? 0n) > 0n;
}

/**
 * Takes amountMinor (> 0) from one balance while it covers it, in one statement; returns what is left
 * after it, or undefined when the balance is missing or too low (nothing was taken). A batch of spot
 * pays debits a payer once this way and the rest of its pays in memory (pay-new-trades-steps.ts).
 */
export async function debitBalanceRowReturning(
  db: Kysely<Database>,
  userId: string,
  currency: string,
  amountMinor: number,
): Promise<number | undefined> {
  const { rows } = await DEBIT_BALANCE_RETURNING.execute(db, { userId, currency, deltaMinor: -amountMinor });
  const row = rows[0];
  return row === undefined ? undefined : Number(row.amount_minor);
}

const DEBIT_BALANCE_RETURNING = precompile(
  ['userId', 'currency', 'deltaMinor'],
  (db, p: { userId: string; currency: string; deltaMinor: number }) =>
    debitBalance(db, p).returning('amount_minor'),
);

// Compiled once: adjustBalanceRow's debits, a batch of SQLite pays' final write among them.
const DEBIT_BALANCE = precompile(
  ['userId', 'currency', 'deltaMinor'],
  (db, p: { userId: string; currency: string; deltaMinor: number }) => debitBalance(db, p),
);

/** The conditional debit (deltaMinor < 0) of adjustBalanceRow: the balance never goes below zero. */
function debitBalance(db: Kysely<Database>, p: { userId: string; currency: string; deltaMinor: number }) {
  return db
    .updateTable('buyer_balances')
    .set((eb) => ({ amount_minor: eb('amount_minor', '+', p.deltaMinor) }))
    .where('user_id', '=', p.userId)
    .where('currency', '=', p.currency)
    .where((eb) => eb(eb('amount_minor', '+', p.deltaMinor), '>=', 0));
}
