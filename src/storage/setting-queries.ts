import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

/** The value stored under name, if any. */
export async function selectSetting(db: Kysely<Database>, name: string): Promise<string | undefined> {
  const row = await db.selectFrom('settings').select('value').where('name', '=', name).executeTakeFirst();
  return row?.value;
}

/**
 * Stores value under name unless a value exists, and returns the stored one. The first writer
 * wins on the primary key; settings are never updated, so the read after it sees the winner.
 */
export async function insertSettingIfAbsent(
  db: Kysely<Database>,
  name: string,
  value: string,
): Promise<string> {
  await db
    .insertInto('settings')
    .values({ name, value })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  const stored = await selectSetting(db, name);
  if (stored === undefined) throw new Error(`setting ${name} vanished right after it was written`);
  return stored;
}
