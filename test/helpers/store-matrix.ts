import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openStore, type OpenStoreOptions } from '../../src/storage/open-store.js';
import type { Store } from '../../src/storage/store.js';

/** The PostgreSQL the storage tests use (env ALIPAY_MOCK_TEST_PG_URL overrides it). */
export const TEST_PG_URL =
  process.env['ALIPAY_MOCK_TEST_PG_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Options a matrix entry passes on to openStore. */
export type MatrixOpenOptions = Pick<OpenStoreOptions, 'clock'>;

/** One store implementation the contract suite runs against. */
export interface StoreTarget {
  name: string;
  /** A fresh, empty store; its close() also removes what the test left behind. */
  open(opts?: MatrixOpenOptions): Promise<Store>;
  /** Why this target is skipped, when it is. */
  skip?: string;
}

function redacted(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparsable URL)';
  }
}

// Probed once when the module loads, so storeMatrix() can stay synchronous for describe().
async function probePostgres(url: string): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('select 1');
    return undefined;
  } catch (err) {
    return `PostgreSQL not reachable at ${redacted(url)}: ${err instanceof Error ? err.message : 'unknown error'}`;
  } finally {
    await client.end().catch(() => undefined);
  }
}

const PG_UNREACHABLE = await probePostgres(TEST_PG_URL);

/** Why PostgreSQL tests are skipped, or undefined when PostgreSQL is reachable. */
export function postgresSkipReason(): string | undefined {
  return PG_UNREACHABLE;
}

/** A schema name no other test uses. */
export function freshSchemaName(): string {
  return `test_${randomBytes(6).toString('hex')}`;
}

/** Drops a test schema and everything in it. */
export async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_PG_URL });
  await client.connect();
  try {
    await client.query(`drop schema if exists "${schema}" cascade`);
  } finally {
    await client.end();
  }
}

/** A path for a SQLite file in a new temporary folder (the `nested` folder does not exist yet). */
export async function tempSqlitePath(): Promise<{ path: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'alipay-mock-store-'));
  return { path: join(dir, 'nested', 'store.db'), remove: () => rm(dir, { recursive: true, force: true }) };
}

/** The store with cleanup run after its own close(). */
function withCleanup(store: Store, cleanup: () => Promise<void>): Store {
  const close = async (): Promise<void> => {
    try {
      await store.close();
    } finally {
      await cleanup();
    }
  };
  return new Proxy(store, {
    get: (target, prop, receiver): unknown =>
      prop === 'close' ? close : Reflect.get(target, prop, receiver),
  });
}

/** Every store the contract suite must pass: SQLite in memory and on file, PostgreSQL when reachable. */
export function storeMatrix(): StoreTarget[] {
  return [
    { name: 'sqlite::memory:', open: (opts) => openStore('sqlite::memory:', opts) },
    {
      name: 'sqlite file',
      async open(opts) {
        const file = await tempSqlitePath();
        return withCleanup(await openStore(`sqlite:${file.path}`, opts), file.remove);
      },
    },
    {
      name: 'postgres',
      ...(PG_UNREACHABLE === undefined ? {} : { skip: PG_UNREACHABLE }),
      async open(opts) {
        const schema = freshSchemaName();
        // A small pool per test keeps many short-lived stores well under max_connections.
        const store = await openStore(TEST_PG_URL, { ...opts, schema, poolSize: 5 });
        return withCleanup(store, () => dropSchema(schema));
      },
    },
  ];
}
