import type { Kysely, Selectable } from 'kysely';
import { fromMillisOrNull, toMillis } from './columns.js';
import type { ApiKeysTable, Database } from './schema.js';
import type { NewApiKey } from '../ports/api-keys.js';
import type { ApiKey } from '../ports/api-keys.js';

function rowToApiKey(row: Selectable<ApiKeysTable>): ApiKey {
  return {
    id: row.id,
    partner: row.partner,
    name: row.name,
    keyHash: row.key_hash,
    createdAt: new Date(row.created_at),
    lastUsedAt: fromMillisOrNull(row.last_used_at),
  };
}

/** Inserts a key; a duplicate id or hash surfaces as the dialect's unique violation. */
export async function insertApiKey(db: Kysely<Database>, key: NewApiKey, now: Date): Promise<ApiKey> {
  const row: ApiKeysTable = {
    id: key.id,
    partner: key.partner,
    name: key.name,
    key_hash: key.keyHash,
    created_at: toMillis(now),
    last_used_at: null,
  };
  await db.insertInto('api_keys').values(row).execute();
  return rowToApiKey(row);
}

/** The keys of one merchant, oldest first. */
export async function selectApiKeys(db: Kysely<Database>, partner: string): Promise<ApiKey[]> {
  const rows = await db
    .selectFrom('api_keys')
    .selectAll()
    .where('partner', '=', partner)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map(rowToApiKey);
}

/** Deletes one key of one merchant; true when a row went away (another merchant's key never does). */
export async function deleteApiKeyRow(db: Kysely<Database>, partner: string, id: string): Promise<boolean> {
  const result = await db
    .deleteFrom('api_keys')
    .where('partner', '=', partner)
    .where('id', '=', id)
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/** Deletes every key of a merchant (the merchant itself is being deleted). */
export async function deleteApiKeysOf(db: Kysely<Database>, partner: string): Promise<void> {
  await db.deleteFrom('api_keys').where('partner', '=', partner).execute();
}

/**
 * The key with this hash. With `usedAt`, records the use in the same statement (UPDATE … RETURNING),
 * so an authentication costs one round trip.
 */
export async function selectApiKeyByHash(
  db: Kysely<Database>,
  keyHash: string,
  usedAt: Date | undefined,
): Promise<ApiKey | undefined> {
  const row =
    usedAt === undefined
      ? await db.selectFrom('api_keys').selectAll().where('key_hash', '=', keyHash).executeTakeFirst()
      : await db
          .updateTable('api_keys')
          .set({ last_used_at: toMillis(usedAt) })
          .where('key_hash', '=', keyHash)
          .returningAll()
          .executeTakeFirst();
  return row && rowToApiKey(row);
}
