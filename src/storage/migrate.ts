import { Migrator, sql, type Kysely } from 'kysely';
import { migrationsFor, staticMigrationProvider } from './migrations/index.js';
import type { Database } from './schema.js';
import type { StoreDialect } from './store-dialect.js';

/** Brings the schema to the latest migration; safe when several instances start at once. */
export async function migrateToLatest(db: Kysely<Database>, dialect: StoreDialect): Promise<void> {
  await dialect.withMigrationLock(async (schema) => {
    // The migration tables' schema must be explicit on PostgreSQL: Kysely looks for them across
    // every schema and would find another schema's kysely_migration table otherwise.
    const migrator = new Migrator({
      db,
      provider: staticMigrationProvider(dialect.kind),
      ...(schema === undefined ? {} : { migrationTableSchema: schema }),
    });
    let { error, results } = await migrator.migrateToLatest();
    // Kysely looks for its own tables by introspecting every schema of the database, and that
    // catalog query fails when another schema is dropped at the same moment (other sandboxes or test
    // runs sharing the database). Nothing was migrated yet then (no results), so trying again is safe.
    for (let attempt = 1; attempt < 5 && results === undefined && isConcurrentDdlError(error); attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
      ({ error, results } = await migrator.migrateToLatest());
    }
    if (error !== undefined) {
      const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'setup';
      const reason = error instanceof Error ? error.message : 'see cause';
      throw new Error(`storage migration ${failed} failed: ${reason}`, { cause: error });
    }
  });
}

/** SQLSTATEs of a catalog lookup that lost a race with DDL elsewhere: schema, column, table gone, cache lookup. */
const CONCURRENT_DDL_CODES: ReadonlySet<string> = new Set(['3F000', '42703', '42P01', 'XX000']);

function isConcurrentDdlError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null | undefined)?.code;
  return typeof code === 'string' && CONCURRENT_DDL_CODES.has(code);
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
