import { randomBytes } from 'node:crypto';

/** How long and how hard every scenario runs; from BENCH_* environment variables (bench only). */
export interface BenchSettings {
  /** Measured seconds per scenario and round (BENCH_SECONDS, default 3). */
  seconds: number;
  /** Unmeasured warm-up seconds before each scenario (BENCH_WARMUP_SECONDS, default 1). */
  warmupSeconds: number;
  /** Requests in flight at any time (BENCH_CONCURRENCY, default 32). */
  concurrency: number;
  /**
   * Run the whole list this many times and report each scenario's median round, and each ratio's
   * median over the rounds (BENCH_ROUNDS, default 3).
   */
  rounds: number;
  /** Only these scenario ids (BENCH_SCENARIOS=a,c); all when empty. */
  only: string[];
  /** Write a CPU profile of each child process into this folder (BENCH_CPU_PROF=dir). */
  cpuProfDir: string | undefined;
  /**
   * PostgreSQL of the PostgreSQL scenarios (BENCH_PG_URL, else ALIPAY_MOCK_TEST_PG_URL, else the test
   * default); they are skipped with the reason when it is not reachable.
   */
  pgUrl: string;
  /** A fresh schema for this run, dropped at the end. */
  pgSchema: string;
}

/** Reads the settings; a malformed number is an error, not a silent default. */
export function readBenchSettings(env: NodeJS.ProcessEnv): BenchSettings {
  return {
    seconds: positive(env['BENCH_SECONDS'], 3, 'BENCH_SECONDS'),
    warmupSeconds: positive(env['BENCH_WARMUP_SECONDS'], 1, 'BENCH_WARMUP_SECONDS', true),
    concurrency: Math.round(positive(env['BENCH_CONCURRENCY'], 32, 'BENCH_CONCURRENCY')),
    rounds: Math.round(positive(env['BENCH_ROUNDS'], 3, 'BENCH_ROUNDS')),
    only: (env['BENCH_SCENARIOS'] ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    cpuProfDir: env['BENCH_CPU_PROF'] || undefined,
    pgUrl: env['BENCH_PG_URL'] || env['ALIPAY_MOCK_TEST_PG_URL'] || 'postgres://postgres@127.0.0.1:5432/test',
    pgSchema: `bench_${randomBytes(4).toString('hex')}`,
  };
}

function positive(text: string | undefined, fallback: number, name: string, zeroOk = false): number {
  if (text === undefined || text === '') return fallback;
  const n = Number(text);
  if (!Number.isFinite(n) || n < 0 || (n === 0 && !zeroOk))
    throw new Error(`${name} must be a positive number`);
  return n;
}
