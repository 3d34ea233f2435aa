import { sql, type Kysely } from 'kysely';
import { Migrator, type Migration } from 'kysely/migration';
import { migrationsFor, staticMigrationProvider } from './migrations/index.js';
import type { Database } from './schema.js';
import type { StoreDialect } from './store-dialect.js';

/**
 * Brings the schema to the latest migration; safe when several instances start at once. The
 * migrations are the store's own unless others are given (a SQLite store's request-log file).
 */
export async function migrateToLatest(
  db: Kysely<Database>,
  dialect: StoreDialect,
  migrations: Readonly<Record<string, Migration>> = migrationsFor(dialect.kind),
): Promise<void> {
  await dialect.withMigrationLock(async (schema) => {
    // The migration tables' schema must be explicit on PostgreSQL: Kysely looks for them across
    // every schema and would find another schema's kysely_migration table otherwise.
    const migrator = new Migrator({
      db,
      provider: staticMigrationProvider(migrations),
      ...(schema === undefined ? {} : { migrationTableSchema: schema }),
    });
    const { error, results } = await migrator.migrateToLatest();
    if (error !== undefined) {
      const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'setup';
      const reason = error instanceof Error ? error.message : 'see cause';
      throw new Error(`storage migration ${failed} failed: ${reason}`, { cause: error });
    }
  });
}

/**
 * Migrations of this version that have not run on the store (for /readyz). Reads Kysely's migration
 * table through the connection's search path, i.e. the store's own schema on PostgreSQL.
 */
export async function pendingMigrations(db: Kysely<Database>, kind: StoreDialect['kind']): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`select name from kysely_migration`.execute(db);
  const ran = new Set(rows.map((row) => row.name));
  return Object.keys(migrationsFor(kind)).filter((name) => !ran.has(name));
}
