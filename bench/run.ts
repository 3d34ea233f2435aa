/**
 * `npm run bench`: loopback throughput of the sandbox against a bare node:http baseline in the same
 * run. Servers run in child processes; this process only sends pre-signed requests. A benchmark, not a
 * test: it prints figures and asserts nothing (docs/performance.md explains the method).
 */
import { cpus, tmpdir } from 'node:os';
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { readBenchSettings } from './bench-settings.js';
import { createFixtures, type BenchFixtures } from './bench-fixtures.js';
import type { ChildTarget } from './child-target.js';
import { driveLoad, rpsOf } from './drive-load.js';
import { formatTable, type ScenarioResult } from './format-table.js';
import { SCENARIOS } from './scenarios.js';
import { TARGETS, type TargetName } from './targets.js';
import { dropBenchSchema, postgresUnavailable } from './postgres-targets.js';

const settings = readBenchSettings(process.env);
const POSTGRES_TARGETS: ReadonlySet<TargetName> = new Set(['postgres', 'postgresPair']);
const wanted = SCENARIOS.filter((s) => settings.only.length === 0 || settings.only.includes(s.id));
const pgProblem = wanted.some((s) => POSTGRES_TARGETS.has(s.target))
  ? await postgresUnavailable(settings.pgUrl)
  : undefined;
if (pgProblem !== undefined) {
  const skipped = wanted.filter((s) => POSTGRES_TARGETS.has(s.target)).map((s) => s.id);
  process.stdout.write(`skipping scenarios ${skipped.join(', ')}: ${pgProblem}\n`);
}
const scenarios = wanted.filter((s) => pgProblem === undefined || !POSTGRES_TARGETS.has(s.target));
/** Each sandbox target's own paid trade and query (a PostgreSQL sandbox cannot query SQLite's trade). */
const fixturesOf = new Map<TargetName, BenchFixtures>();
const workDir = await mkdtemp(join(tmpdir(), 'alipay-mock-bench-run-'));
const running = new Map<TargetName, ChildTarget>();
/** Targets that have had a scenario: the others get a longer warm-up. */
const measured = new Set<TargetName>();

process.stdout.write(
  `alipay-mock bench: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, node ${process.version}, ` +
    `concurrency ${settings.concurrency}, ${settings.seconds} s per scenario after ${settings.warmupSeconds} s ` +
    `warm-up (${3 * settings.warmupSeconds} s on a server's first), ${settings.rounds} round(s)\n`,
);

/** Runs every scenario once, in order; scenario a's rate of this round sizes the later pools. */
async function runRound(round: number, fixtures: BenchFixtures): Promise<ScenarioResult[]> {
  const results: ScenarioResult[] = [];
  for (const scenario of scenarios) {
    let target = running.get(scenario.target);
    if (target === undefined) {
      target = await TARGETS[scenario.target](settings, fixtures, workDir);
      running.set(scenario.target, target);
      if (scenario.target !== 'bare' && scenario.target !== 'sandbox')
        fixturesOf.set(scenario.target, await createFixtures(target.url));
    }
    // A server's first scenario warms it three times as long: V8 takes seconds to compile its hot code
    // fully, and a fresh server would otherwise lose its first round to that.
    const runSettings = {
      ...settings,
      warmupSeconds: (measured.has(scenario.target) ? 1 : 3) * settings.warmupSeconds,
    };
    measured.add(scenario.target);
    const baseline = results.find((r) => r.scenario.id === 'a');
    const source = scenario.prepare({
      settings: runSettings,
      fixtures: fixturesOf.get(scenario.target) ?? fixtures,
      baselineRps: baseline === undefined ? undefined : rpsOf(baseline.load),
    });
    const cpuBefore = await target.cpuMicros();
    const ownBefore = process.cpuUsage();
    const load = await driveLoad({ baseUrl: target.url, baseUrls: target.urls, source, ...runSettings });
    const own = process.cpuUsage(ownBefore);
    const answered = Math.max(1, load.allRequests);
    const serverCpuMicrosPerRequest = ((await target.cpuMicros()) - cpuBefore) / answered;
    const clientCpuMicrosPerRequest = (own.user + own.system) / answered;
    process.stdout.write(
      `round ${round} ${scenario.id}: ${rpsOf(load).toFixed(0)} req/s, CPU/req: server ` +
        `${serverCpuMicrosPerRequest.toFixed(0)} µs, load generator ${clientCpuMicrosPerRequest.toFixed(0)} µs, ` +
        `${load.errors} errors (pid ${target.pid})\n`,
    );
    results.push({ scenario, load, serverCpuMicrosPerRequest, clientCpuMicrosPerRequest });
  }
  return results;
}

/** Per scenario, the round with the median rate: one noisy round on a shared machine does not decide. */
function medianRounds(rounds: ScenarioResult[][]): ScenarioResult[] {
  return scenarios.map((scenario) => {
    const runs = rounds
      .map((r) => r.find((x) => x.scenario.id === scenario.id))
      .filter((x): x is ScenarioResult => x !== undefined)
      .sort((x, y) => rpsOf(x.load) - rpsOf(y.load));
    const median = runs[Math.floor((runs.length - 1) / 2)];
    if (median === undefined) throw new Error(`scenario ${scenario.id} has no result`);
    return median;
  });
}

try {
  // The sandbox comes first: the fixtures (a paid trade, its query answer) are made in it.
  const sandbox = await TARGETS.sandbox(settings);
  running.set('sandbox', sandbox);
  const fixtures = await createFixtures(sandbox.url);
  const rounds: ScenarioResult[][] = [];
  for (let round = 1; round <= settings.rounds; round++) rounds.push(await runRound(round, fixtures));
  process.stdout.write(`\n${formatTable(medianRounds(rounds), rounds)}\n`);
} finally {
  await Promise.all([...running.values()].map((t) => t.stop()));
  await rm(workDir, { recursive: true, force: true });
  if ([...running.keys()].some((name) => POSTGRES_TARGETS.has(name))) await dropBenchSchema(settings);
}
if (settings.cpuProfDir !== undefined) process.stdout.write(`CPU profiles in ${settings.cpuProfDir}\n`);
