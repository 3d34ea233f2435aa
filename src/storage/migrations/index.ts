import type { Migration, MigrationProvider } from 'kysely';
import { ledgerMigration } from './001-ledger.js';
import { settingsMigration } from './002-settings.js';

/** Every migration, keyed by a name that sorts in the order they must run. Append only. */
export const MIGRATIONS: Readonly<Record<string, Migration>> = {
  '001-ledger': ledgerMigration,
  '002-settings': settingsMigration,
};

/**
 * Serves MIGRATIONS from memory: a file-system provider would look for .ts files next to the
 * compiled output and find nothing in dist/.
 */
export const STATIC_MIGRATION_PROVIDER: MigrationProvider = {
  getMigrations: () => Promise.resolve(MIGRATIONS),
};
