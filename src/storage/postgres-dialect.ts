import pg from 'pg';
import type { StoreDialect } from './store-dialect.js';
import { startChangeListener } from './postgres-change-listener.js';
import { StorePostgresDialect } from './postgres-introspector.js';

/** Default size of the PostgreSQL connection pool. */
export const DEFAULT_POOL_SIZE = 10;

/** OID of PostgreSQL's int8 (BIGINT), which pg returns as a string by default. */
const INT8_OID = 20;
/** SQLSTATE of unique_violation. */
const UNIQUE_VIOLATION = '23505';
/** First key of the two-key advisory lock that serialises migrations (second key: the schema). */
const MIGRATION_LOCK_NAMESPACE = 'alipay-mock:migrate';

// Schema names go into a connection startup parameter and DDL, so only plain identifiers pass.
const SCHEMA_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/** Options of the PostgreSQL dialect. */
export interface PostgresOptions {
  poolSize?: number | undefined;
  /** Schema to use instead of the server's default one; created when missing. */
  schema?: string | undefined;
}

// Money and times are BIGINT. Every value this store writes is a safe integer, so parsing to number
// is exact; a value beyond 2^53 would mean corruption, and failing loudly beats rounding money.
function parseInt8(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new RangeError(`BIGINT ${text} does not fit a JavaScript number`);
  return value;
}

function connectionConfig(url: string, schema: string | undefined): pg.ClientConfig {
  // Per-pool type parsers: pg.types.setTypeParser would change every pg user in the process.
  const types = new pg.TypeOverrides();
  types.setTypeParser(INT8_OID, parseInt8);
  // search_path as a startup parameter applies to every pooled connection before its first query.
  return {
    connectionString: url,
    types,
    ...(schema === undefined ? {} : { options: `-c search_path=${schema}` }),
  };
}

function isPgUniqueViolation(err: unknown): boolean {
  return (err as { code?: unknown } | null)?.code === UNIQUE_VIOLATION;
}

async function withMigrationLock<T>(
  config: pg.ClientConfig,
  schema: string | undefined,
  fn: (schema: string) => Promise<T>,
): Promise<T> {
  // A dedicated connection, outside the pool, holds the session lock while the migrator uses the
  // pool: it works with any pool size, and the lock goes away with the connection if we crash.
  const client = new pg.Client(config);
  // A broken connection also surfaces as the failing query's rejection; unhandled, the event would crash.
  client.on('error', () => undefined);
  await client.connect();
  try {
    const target = schema ?? (await currentSchema(client));
    await client.query('select pg_advisory_lock(hashtext($1), hashtext($2))', [
      MIGRATION_LOCK_NAMESPACE,
      target,
    ]);
    try {
      // Under the lock: concurrent CREATE SCHEMA IF NOT EXISTS can still fail on PostgreSQL.
      if (schema !== undefined) await client.query(`create schema if not exists "${schema}"`);
      return await fn(target);
    } finally {
      // Best effort: ending the session below releases the lock anyway, and a failed unlock must
      // not hide the migration's own error.
      await client
        .query('select pg_advisory_unlock(hashtext($1), hashtext($2))', [MIGRATION_LOCK_NAMESPACE, target])
        .catch(() => undefined);
    }
  } finally {
    await client.end();
  }
}

async function currentSchema(client: pg.Client): Promise<string> {
  const result = await client.query<{ schema: string | null }>('select current_schema() as schema');
  const schema = result.rows[0]?.schema;
  if (!schema)
    throw new Error('PostgreSQL has no current schema: set one with the schema option or search_path');
  return schema;
}

/** The PostgreSQL dialect over a pg Pool (READ COMMITTED, row locks, advisory-locked migrations). */
export function createPostgresDialect(url: string, options: PostgresOptions = {}): StoreDialect {
  const { poolSize = DEFAULT_POOL_SIZE, schema } = options;
  if (!Number.isSafeInteger(poolSize) || poolSize < 1)
    throw new Error(`poolSize must be a positive integer, got ${poolSize}`);
  if (schema !== undefined && !SCHEMA_NAME.test(schema))
    throw new Error(`invalid PostgreSQL schema name: ${schema}`);
  const config = connectionConfig(url, schema);
  const pool = new pg.Pool({ ...config, max: poolSize });
  // An idle client that loses its connection emits 'error' on the pool, which would crash the
  // process unhandled; pg already drops that client and the next query opens a fresh one.
  pool.on('error', () => undefined);
  return {
    kind: 'postgres',
    dialect: new StorePostgresDialect({ pool }),
    rowLocks: true,
    isolationLevel: 'read committed',
    isUniqueViolation: isPgUniqueViolation,
    withMigrationLock: (fn) => withMigrationLock(config, schema, fn),
    listenForChanges: (onChange) => startChangeListener({ config, schema, onChange }),
  };
}
