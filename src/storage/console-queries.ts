import type { Kysely, Selectable } from 'kysely';
import { toMillis } from './columns.js';
import type { ConsoleAccount, ConsoleSession, NewConsoleAccount } from '../ports/console-accounts.js';
import type { ConsoleAccountsTable, ConsoleSessionsTable, Database } from './schema.js';

function rowToAccount(row: Selectable<ConsoleAccountsTable>): ConsoleAccount {
  return {
    email: row.email,
    partner: row.partner,
    passwordHash: row.password_hash,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
  };
}

function rowToSession(row: Selectable<ConsoleSessionsTable>): ConsoleSession {
  return {
    idHash: row.id_hash,
    kind: row.kind,
    partner: row.partner,
    email: row.email,
    operatorRef: row.operator_ref,
    csrfToken: row.csrf_token,
    createdAt: new Date(row.created_at),
    expiresAt: new Date(row.expires_at),
  };
}

/** Inserts a login; an existing email surfaces as the dialect's unique violation. */
export async function insertConsoleAccount(
  db: Kysely<Database>,
  account: NewConsoleAccount,
  now: Date,
): Promise<ConsoleAccount> {
  const row: ConsoleAccountsTable = {
    email: account.email,
    partner: account.partner,
    password_hash: account.passwordHash,
    created_at: toMillis(now),
    updated_at: toMillis(now),
  };
  await db.insertInto('console_accounts').values(row).execute();
  return rowToAccount(row);
}

/** The login with this (lower-case) email. */
export async function selectConsoleAccount(
  db: Kysely<Database>,
  email: string,
): Promise<ConsoleAccount | undefined> {
  const row = await db
    .selectFrom('console_accounts')
    .selectAll()
    .where('email', '=', email)
    .executeTakeFirst();
  return row && rowToAccount(row);
}

/** The logins of one merchant, by email. */
export async function selectConsoleAccounts(
  db: Kysely<Database>,
  partner: string,
): Promise<ConsoleAccount[]> {
  const rows = await db
    .selectFrom('console_accounts')
    .selectAll()
    .where('partner', '=', partner)
    .orderBy('email')
    .execute();
  return rows.map(rowToAccount);
}

/** Replaces a login's password hash; false when there is no such login. */
export async function updateConsoleAccountPassword(
  db: Kysely<Database>,
  email: string,
  passwordHash: string,
  now: Date,
): Promise<boolean> {
  const result = await db
    .updateTable('console_accounts')
    .set({ password_hash: passwordHash, updated_at: toMillis(now) })
    .where('email', '=', email)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Deletes a login and its sessions; false when there was no such login. */
export async function deleteConsoleAccountRow(db: Kysely<Database>, email: string): Promise<boolean> {
  await db.deleteFrom('console_sessions').where('email', '=', email).execute();
  const result = await db.deleteFrom('console_accounts').where('email', '=', email).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/** Deletes every login of a merchant and their sessions (the merchant itself is being deleted). */
export async function deleteConsoleAccountsOf(db: Kysely<Database>, partner: string): Promise<void> {
  await db.deleteFrom('console_sessions').where('partner', '=', partner).execute();
  await db.deleteFrom('console_accounts').where('partner', '=', partner).execute();
}

/** Stores a new session. */
export async function insertConsoleSession(db: Kysely<Database>, session: ConsoleSession): Promise<void> {
  await db
    .insertInto('console_sessions')
    .values({
      id_hash: session.idHash,
      kind: session.kind,
      partner: session.partner,
      email: session.email,
      operator_ref: session.operatorRef,
      csrf_token: session.csrfToken,
      created_at: toMillis(session.createdAt),
      expires_at: toMillis(session.expiresAt),
    })
    .execute();
}

/** The session with this id hash, unless it expired by `now`. */
export async function selectConsoleSession(
  db: Kysely<Database>,
  idHash: string,
  now: Date,
): Promise<ConsoleSession | undefined> {
  const row = await db
    .selectFrom('console_sessions')
    .selectAll()
    .where('id_hash', '=', idHash)
    .where('expires_at', '>', toMillis(now))
    .executeTakeFirst();
  return row && rowToSession(row);
}

/** Ends one session. */
export async function deleteConsoleSessionRow(db: Kysely<Database>, idHash: string): Promise<void> {
  await db.deleteFrom('console_sessions').where('id_hash', '=', idHash).execute();
}

/** Ends every session of one login except `keepIdHash` (a password change signs out the other devices). */
export async function deleteOtherConsoleSessions(
  db: Kysely<Database>,
  email: string,
  keepIdHash: string | undefined,
): Promise<void> {
  let query = db.deleteFrom('console_sessions').where('email', '=', email);
  if (keepIdHash !== undefined) query = query.where('id_hash', '!=', keepIdHash);
  await query.execute();
}

/** Deletes sessions that expired by `now`; returns how many. */
export async function pruneConsoleSessionRows(db: Kysely<Database>, now: Date): Promise<number> {
  const result = await db
    .deleteFrom('console_sessions')
    .where('expires_at', '<=', toMillis(now))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/**
 * Adds `delta` to the attempt counter of `key` in the window starting at `windowStart` (creating it)
 * and returns the new count, in one atomic statement; windows that started before `forgetBefore`
 * are deleted first, so the table holds only the current ones.
 */
export async function addLoginAttempt(
  db: Kysely<Database>,
  key: string,
  windowStart: number,
  delta: number,
  forgetBefore: number,
): Promise<number> {
  await db.deleteFrom('console_login_attempts').where('window_start', '<', forgetBefore).execute();
  const row = await db
    .insertInto('console_login_attempts')
    .values({ key, window_start: windowStart, count: delta })
    .onConflict((oc) =>
      oc
        .columns(['key', 'window_start'])
        .doUpdateSet((eb) => ({ count: eb('console_login_attempts.count', '+', delta) })),
    )
    .returning('count')
    .executeTakeFirstOrThrow();
  return row.count;
}
