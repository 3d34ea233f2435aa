import pg from 'pg';
import { sandboxOptions, type BenchSettings } from './bench-settings.js';
import { startChildTarget, type ChildTarget } from './child-target.js';

/** Why the PostgreSQL scenarios cannot run, or undefined when the server answers. */
export async function postgresUnavailable(url: string): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('select 1');
    return undefined;
  } catch (err) {
    return `PostgreSQL not reachable (${err instanceof Error ? err.message : 'unknown error'})`;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Drops the run's schema (best effort: the benchmark's figures are printed already). */
export async function dropBenchSchema(settings: BenchSettings): Promise<void> {
  const client = new pg.Client({ connectionString: settings.pgUrl });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query(`drop schema if exists "${settings.pgSchema}" cascade`);
  } catch {
    // unreachable or never created: nothing to drop
  } finally {
    await client.end().catch(() => undefined);
  }
}

function pgArgs(settings: BenchSettings): string[] {
  return ['--db', settings.pgUrl, '--db-schema', settings.pgSchema];
}

/** The sandbox on the run's PostgreSQL schema. */
export function startPostgresSandbox(settings: BenchSettings): Promise<ChildTarget> {
  return startChildTarget('./sandbox-child.js', pgArgs(settings), sandboxOptions(settings));
}

/**
 * Two sandboxes on the same PostgreSQL schema, as one target: wrk's two threads send to one each
 * (`urls`), CPU time is the sum of both.
 */
export async function startPostgresPair(settings: BenchSettings): Promise<ChildTarget> {
  // One after the other: the first migrates and seeds, the second finds the schema ready.
  const first = await startChildTarget('./sandbox-child.js', pgArgs(settings), sandboxOptions(settings));
  const second = await startChildTarget(
    './sandbox-child.js',
    pgArgs(settings),
    sandboxOptions(settings),
  ).catch(async (err: unknown) => {
    await first.stop();
    throw err;
  });
  return {
    url: first.url,
    urls: [first.url, second.url],
    pids: [...first.pids, ...second.pids],
    cpuMicros: () => first.cpuMicros() + second.cpuMicros(),
    stop: async () => {
      await Promise.all([first.stop(), second.stop()]);
    },
  };
}
