import { randomBytes } from 'node:crypto';
import type { ChildOptions } from './child-target.js';

/** How long and how hard every scenario runs; from BENCH_* environment variables (bench only). */
export interface BenchSettings {
  /** Measured seconds per scenario and round (BENCH_SECONDS, default 8). */
  seconds: number;
  /**
   * The measured seconds are run in this many slices, every scenario's slices interleaved within the
   * round (BENCH_SLICES, default 4: 2 s each), so that a scenario and its baseline are measured
   * seconds apart, not minutes; `seconds` must be a whole multiple of it (wrk runs whole seconds).
   */
  slices: number;
  /** Warm-up seconds before each scenario, not counted (BENCH_WARMUP_SECONDS, default 2). */
  warmupSeconds: number;
  /** Connections of wrk, each with one request in flight (BENCH_CONNECTIONS, default 32). */
  connections: number;
  /**
   * Run the whole list this many times and report each scenario's median round, and each ratio's
   * median and range over the rounds (BENCH_ROUNDS, default 3).
   */
  rounds: number;
  /** Only these scenario ids (BENCH_SCENARIOS=a,c); all when empty. */
  only: string[];
  /** Write a CPU profile of each server process into this folder (BENCH_CPU_PROF=dir). */
  cpuProfDir: string | undefined;
  /** Pre-signed new pays per second of a pay scenario (BENCH_PAY_POOL_RATE, default 30 000). */
  payPoolRate: number;
  /** The CPU of the servers (BENCH_SERVER_CPU, default 0) and of wrk (BENCH_LOAD_CPU, default 1). */
  serverCpu: string;
  loadCpu: string;
  /**
   * PostgreSQL of the PostgreSQL scenarios (BENCH_PG_URL, else ALIPAY_MOCK_TEST_PG_URL, else the test
   * default); they are skipped with the reason when it is not reachable.
   */
  pgUrl: string;
  /** A fresh schema for this run, dropped at the end. */
  pgSchema: string;
}

/**
 * Warm-up of each slice after a scenario's first (whose warm-up is `warmupSeconds`): the servers ran
 * other scenarios meanwhile, and V8 re-optimises a sandbox's code for this one's requests (without it,
 * a query's slices after rule hits had a p99 of 28–52 ms where the others had 7–12). wrk's shortest run.
 */
export const SLICE_WARMUP_SECONDS = 1;

/** Reads the settings; a malformed number is an error, not a silent default. */
export function readBenchSettings(env: NodeJS.ProcessEnv): BenchSettings {
  const seconds = positiveNumber(env['BENCH_SECONDS'], 8, 'BENCH_SECONDS');
  const slices = Math.round(positiveNumber(env['BENCH_SLICES'], 4, 'BENCH_SLICES'));
  if (!Number.isInteger(seconds / slices))
    throw new Error(`BENCH_SECONDS (${seconds}) must be a whole multiple of BENCH_SLICES (${slices})`);
  return {
    seconds,
    slices,
    warmupSeconds: positiveNumber(env['BENCH_WARMUP_SECONDS'], 2, 'BENCH_WARMUP_SECONDS'),
    connections: Math.round(positiveNumber(env['BENCH_CONNECTIONS'], 32, 'BENCH_CONNECTIONS')),
    rounds: Math.round(positiveNumber(env['BENCH_ROUNDS'], 3, 'BENCH_ROUNDS')),
    only: (env['BENCH_SCENARIOS'] ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    cpuProfDir: env['BENCH_CPU_PROF'] || undefined,
    payPoolRate: positiveNumber(env['BENCH_PAY_POOL_RATE'], 30_000, 'BENCH_PAY_POOL_RATE'),
    serverCpu: env['BENCH_SERVER_CPU'] || '0',
    loadCpu: env['BENCH_LOAD_CPU'] || '1',
    pgUrl: env['BENCH_PG_URL'] || env['ALIPAY_MOCK_TEST_PG_URL'] || 'postgres://postgres@127.0.0.1:5432/test',
    pgSchema: `bench_${randomBytes(4).toString('hex')}`,
  };
}

/** readBenchSettings for a script's start: a bad setting ends the script with its message, no stack. */
export function benchSettingsOrExit(env: NodeJS.ProcessEnv, script: string): BenchSettings {
  try {
    return readBenchSettings(env);
  } catch (err) {
    process.stderr.write(`${script}: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(2);
  }
}

/** A positive number from an environment variable, `fallback` when unset; anything else throws. */
export function positiveNumber(text: string | undefined, fallback: number, name: string): number {
  if (text === undefined || text === '') return fallback;
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number`);
  return n;
}

/** Servers are pinned to the server CPU, with a CPU profile when asked for. */
/**
 * Node options of the sandbox's server wherever this project starts it to be used: `npm start`, the
 * Dockerfile and the systemd unit of docs/deployment.md (test/deploy/node-flags.test.ts keeps them in
 * step), so the bench and the soak measure it as it is run. Under load V8 grows the young generation
 * to 2 × 64 MB, which kept resident memory growing for minutes and made the pay's p99 worse
 * (docs/performance-history.md); 16 MB semi-spaces cost no measurable CPU. The old generation starts
 * at 128 MB: from V8's default start, and again after every idle spell (V8 shrinks it then), it was
 * collected in full twice in the first seconds of load, each pause 5–17 ms, the query's p99 12–25 ms
 * in a slice of 2 s instead of 4–5 (docs/performance-history.md).
 */
export const SANDBOX_NODE_FLAGS: readonly string[] = [
  '--max-semi-space-size=16',
  '--initial-old-space-size=128',
];

/** How a sandbox server of the bench is started: pinned as serverOptions, with SANDBOX_NODE_FLAGS. */
export function sandboxOptions(settings: BenchSettings): ChildOptions {
  return { ...serverOptions(settings), nodeArgs: SANDBOX_NODE_FLAGS };
}

export function serverOptions(settings: BenchSettings): ChildOptions {
  return { cpu: settings.serverCpu, cpuProfDir: settings.cpuProfDir };
}
