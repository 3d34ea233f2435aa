import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI_PATH } from './run-cli.js';
import { TEST_PG_URL, dropSchema, freshSchemaName, postgresSkipReason } from './store-matrix.js';

/** How a sandbox process ended. */
export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** `node dist/src/cli.js serve` in a child process: a real instance, as an operator runs it. */
export interface SandboxProcess {
  url: string;
  pid: number;
  /** Everything written to stdout so far (the banner). */
  stdout(): string;
  /** Everything written to stderr so far (JSON log lines). */
  stderr(): string;
  /** The parsed JSON log lines so far (from stderr). */
  logLines(): Array<Record<string, unknown>>;
  exited: Promise<ProcessExit>;
  /** SIGTERM (graceful shutdown), then waits for the exit. */
  terminate(): Promise<ProcessExit>;
  /** SIGKILL: the crash case. */
  kill(): Promise<ProcessExit>;
}

/** Where the instances of a test keep their data: one SQLite file or one PostgreSQL schema. */
export interface SharedStore {
  name: string;
  /** `serve` flags that put an instance on this store. */
  args: readonly string[];
  /** Why this store is skipped, when it is. */
  skip?: string | undefined;
  /** Removes the file or drops the schema. */
  remove(): Promise<void>;
}

const BANNER = 'alipay-mock listening on ';
const OUTPUT_LIMIT = 4 * 1024 * 1024;

/**
 * Starts `serve --port 0` with the given flags and waits for its banner (the URL is parsed from it).
 * The child gets no ALIPAY_MOCK_* variables of the developer's environment.
 */
export async function spawnSandbox(
  args: readonly string[],
  startTimeoutMs = 60_000,
): Promise<SandboxProcess> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('ALIPAY_MOCK_')));
  const child = spawn(
    process.execPath,
    [CLI_PATH, 'serve', '--port', '0', '--log-level', 'warn', '--notify-schedule', '1h', ...args],
    { stdio: ['ignore', 'pipe', 'pipe'], env },
  );
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    if (out.length < OUTPUT_LIMIT) out += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    if (err.length < OUTPUT_LIMIT) err += chunk;
  });
  const exited = new Promise<ProcessExit>((resolve) =>
    child.once('close', (code, signal) => resolve({ code, signal })),
  );
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`serve did not start within ${startTimeoutMs} ms; stderr: ${err}`));
    }, startTimeoutMs);
    const look = () => {
      const line = out.split('\n').find((l) => l.startsWith(BANNER));
      if (line === undefined) return;
      clearTimeout(timer);
      child.stdout.off('data', look);
      resolve(line.slice(BANNER.length).trim());
    };
    child.stdout.on('data', look);
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`serve exited (${code ?? signal}) before listening; stderr: ${err}`));
    });
  });
  const stop = (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    return exited;
  };
  return {
    url,
    pid: child.pid ?? 0,
    stdout: () => out,
    stderr: () => err,
    logLines: () =>
      err
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as Record<string, unknown>),
    exited,
    terminate: () => stop('SIGTERM'),
    kill: () => stop('SIGKILL'),
  };
}

/** A fresh SQLite file in a temporary folder, for instances sharing one store. */
export async function sharedSqliteFile(): Promise<SharedStore & { path: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'alipay-mock-scale-'));
  const path = join(dir, 'shared.db');
  return {
    name: 'sqlite file',
    path,
    args: ['--db', `sqlite:${path}`],
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

/** A fresh PostgreSQL schema (skipped with the reason when PostgreSQL is not reachable). */
export function sharedPostgresSchema(poolSize = 4): SharedStore & { schema: string; url: string } {
  const schema = freshSchemaName();
  return {
    name: 'postgres',
    schema,
    url: TEST_PG_URL,
    args: ['--db', TEST_PG_URL, '--db-schema', schema, '--db-pool-size', String(poolSize)],
    skip: postgresSkipReason(),
    remove: () => (postgresSkipReason() === undefined ? dropSchema(schema) : Promise.resolve()),
  };
}

/**
 * Starts n instances on one store: the first alone (it migrates and seeds the demo accounts), the
 * others together.
 */
export async function startInstances(store: SharedStore, n: number, extra: readonly string[] = []) {
  const first = await spawnSandbox([...store.args, ...extra]);
  try {
    const rest = await Promise.all(
      Array.from({ length: n - 1 }, () => spawnSandbox([...store.args, ...extra])),
    );
    return [first, ...rest];
  } catch (err) {
    await first.kill();
    throw err;
  }
}

/** Stops every instance gracefully (SIGKILL after 30 s). */
export async function stopAll(instances: readonly SandboxProcess[]): Promise<void> {
  await Promise.all(
    instances.map(async (p) => {
      const timer = setTimeout(() => void p.kill(), 30_000);
      await p.terminate();
      clearTimeout(timer);
    }),
  );
}
