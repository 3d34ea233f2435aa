import { Kysely } from 'kysely';
import { SYSTEM_CLOCK, type Clock } from '../clock.js';
import { createKyselyStore } from './kysely-store.js';
import { migrateToLatest } from './migrate.js';
import { createPostgresDialect } from './postgres-dialect.js';
import type { Database } from './schema.js';
import { createSqliteDialect } from './sqlite-dialect.js';
import { kyselyRequestLog } from './request-log-store.js';
import { requestLogThread } from './request-log-thread.js';
import type { Store } from './store.js';
import type { StoreDialect } from './store-dialect.js';

/** Options of openStore. */
export interface OpenStoreOptions {
  /** PostgreSQL only: size of the connection pool (default 10). */
  poolSize?: number | undefined;
  /** PostgreSQL only: schema to keep the tables in, created when missing (default: the server's). */
  schema?: string | undefined;
  /** Source of createdAt/updatedAt for merchants and buyers (default: the system clock). */
  clock?: Clock | undefined;
}

const SQLITE_PREFIX = 'sqlite:';
const POSTGRES_PREFIXES = ['postgres://', 'postgresql://'];

function dialectFor(url: string, opts: OpenStoreOptions): StoreDialect {
  if (url.startsWith(SQLITE_PREFIX)) {
    const location = url.slice(SQLITE_PREFIX.length);
    if (location === '') {
      throw new Error('store URL "sqlite:" needs a file path, e.g. sqlite:./data/alipay-mock.db');
    }
    // `sqlite://x` would silently mean the absolute path /x; say what the URL form is instead.
    if (location.startsWith('//')) {
      throw new Error(
        'store URL must be sqlite:./relative/path.db or sqlite:/absolute/path.db, not sqlite://…',
      );
    }
    return createSqliteDialect(location, { backgroundCheckpoints: true });
  }
  if (POSTGRES_PREFIXES.some((prefix) => url.startsWith(prefix))) {
    return createPostgresDialect(url, { poolSize: opts.poolSize, schema: opts.schema });
  }
  // Only the scheme is echoed: the rest of a URL may hold a password.
  const scheme = /^[a-z][a-z0-9+.-]*:/i.exec(url)?.[0] ?? '(none)';
  throw new Error(
    `unsupported store URL scheme ${scheme}: use sqlite:<file>, sqlite::memory: or postgres://user@host:port/db`,
  );
}

/**
 * Opens the store a URL names and migrates it to the latest schema:
 * `sqlite:./path.db` (parent folder created), `sqlite::memory:`, `postgres://…` or `postgresql://…`.
 */
export async function openStore(url: string, opts: OpenStoreOptions = {}): Promise<Store> {
  const dialect = dialectFor(url, opts);
  const db = new Kysely<Database>({ dialect: dialect.dialect });
  try {
    await migrateToLatest(db, dialect);
  } catch (err) {
    await db.destroy();
    throw err;
  }
  // SQLite: the request log goes to a file of its own, written by a worker thread; PostgreSQL
  // writes do not hold up the gateway's thread, so the log stays in the store (docs/performance-history.md).
  const requestLog =
    dialect.kind === 'sqlite' ? requestLogThread(url.slice(SQLITE_PREFIX.length)) : kyselyRequestLog(db);
  return createKyselyStore(db, dialect, opts.clock ?? SYSTEM_CLOCK, requestLog);
}
