import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

/** Named settings shared by every instance (e.g. the sandbox's own RSA key pair). */
export const settingsMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('settings')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('value', 'text', (c) => c.notNull())
      .execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('settings').execute();
  },
};
