/**
 * `npm run bench`: the sandbox against a bare node:http baseline in the same run, measured with wrk.
 * Every server runs in a child process pinned to one CPU (BENCH_SERVER_CPU, 0), wrk and this process
 * to the other (BENCH_LOAD_CPU, 1). A benchmark, not a test: it prints figures and asserts nothing
 * (docs/performance.md explains the method).
 */
import { execFileSync } from 'node:child_process';
import { cpus, tmpdir } from 'node:os';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readBenchSettings } from './bench-settings.js';
import { createFixtures, type BenchFixtures } from './bench-fixtures.js';
import type { ChildTarget } from './child-target.js';
import { cappedByWrk, formatLogLag, formatOthers, formatShift, formatTable } from './format-table.js';
import { watchLogLag } from './log-lag.js';
import {
  coreTimes,
  cpuMicrosByThread,
  formatThreadSplit,
  loadAverage,
  otherShare,
  waitForQuietCpu,
} from './proc-stat.js';
import { ensureWrk, runWrk, writeWrkScript } from './run-wrk.js';
import type { ScenarioResult } from './scenario-result.js';
import { SCENARIOS } from './scenarios.js';
import { TARGETS, type TargetName } from './targets.js';
import { dropBenchSchema, postgresUnavailable } from './postgres-targets.js';

const settings = readBenchSettings(process.env);
ensureWrk();
// This process only prepares requests and reads /proc between runs: it keeps off the servers' CPU too.
execFileSync('taskset', ['-a', '-p', '-c', settings.loadCpu, String(process.pid)], { stdio: 'ignore' });
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
/** Each target's fixtures: the bench merchant and its paid trades (the baseline uses the sandbox's). */
const fixturesOf = new Map<TargetName, BenchFixtures>();
const workDir = await mkdtemp(join(tmpdir(), 'alipay-mock-bench-run-'));
const scriptFile = await writeWrkScript(workDir);
const running = new Map<TargetName, ChildTarget>();
/** Targets that have had a scenario: a fresh one warms up three times as long. */
const warm = new Set<TargetName>();

process.stdout.write(
  `alipay-mock bench: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, node ${process.version}; servers on ` +
    `CPU ${settings.serverCpu}, wrk -t1 -c${settings.connections} on CPU ${settings.loadCpu}; ` +
    `${settings.warmupSeconds} s warm-up (×3 on a fresh server), ${settings.seconds} s measured, ` +
    `${settings.rounds} round(s); load average ${loadAverage().toFixed(2)}\n`,
);

async function targetOf(name: TargetName): Promise<{ target: ChildTarget; fixtures: BenchFixtures }> {
  let target = running.get(name);
  if (target === undefined) {
    target = await TARGETS[name](settings, fixturesOf.get('sandbox') as BenchFixtures, workDir);
    running.set(name, target);
    if (name !== 'bare') fixturesOf.set(name, await createFixtures(target.url));
  }
  const fixtures = fixturesOf.get(name) ?? fixturesOf.get('sandbox');
  if (fixtures === undefined) throw new Error('the sandbox fixtures are missing');
  return { target, fixtures };
}

async function runRound(round: number): Promise<ScenarioResult[]> {
  const results: ScenarioResult[] = [];
  for (const scenario of scenarios) {
    const { target, fixtures } = await targetOf(scenario.target);
    const paths = scenario.prepare(settings, fixtures);
    const warmupFile = join(workDir, `${scenario.id}-warmup.txt`);
    const measuredFile = join(workDir, `${scenario.id}-measured.txt`);
    await writeFile(warmupFile, `${paths.warmup.join('\n')}\n`);
    await writeFile(measuredFile, `${paths.measured.join('\n')}\n`);
    const wrkRun = (pathsFile: string, seconds: number) =>
      runWrk({
        url: target.url,
        secondUrl: target.urls?.[1],
        scriptFile,
        pathsFile,
        expect: scenario.expect,
        seconds,
        connections: settings.connections,
        cpu: settings.loadCpu,
      });
    const cpu = Number(settings.serverCpu);
    if (Number.isInteger(cpu)) {
      const { waitedMs, quiet } = await waitForQuietCpu(cpu);
      if (!quiet || waitedMs > 1_000)
        process.stdout.write(
          `round ${round} ${scenario.id}: waited ${(waitedMs / 1000).toFixed(1)} s for CPU ${cpu} to be quiet` +
            `${quiet ? '' : ', and it did not get quiet'}\n`,
        );
    }
    await wrkRun(warmupFile, (warm.has(scenario.target) ? 1 : 3) * settings.warmupSeconds);
    warm.add(scenario.target);
    const loadBefore = loadAverage();
    const cpuBefore = target.cpuMicros();
    const threadsBefore = cpuMicrosByThread(target.pids);
    // PostgreSQL, which the bench does not pin, shares the server's core as part of its scenarios.
    const alone = scenario.target !== 'postgres' && scenario.target !== 'postgresPair';
    const coreBefore = alone && Number.isInteger(cpu) ? coreTimes(cpu) : undefined;
    const lagWatch = target.requestLogFolder === undefined ? undefined : watchLogLag(target.requestLogFolder);
    const wrk = await wrkRun(measuredFile, settings.seconds);
    const logLag = lagWatch?.stop();
    const serverCpu = target.cpuMicros() - cpuBefore;
    const others = coreBefore === undefined ? undefined : otherShare(coreBefore, coreTimes(cpu), serverCpu);
    const threads = formatThreadSplit(threadsBefore, cpuMicrosByThread(target.pids), wrk.requests);
    const result: ScenarioResult = {
      scenario,
      rps: wrk.requests / wrk.seconds,
      wrk,
      errors: wrk.errors + (paths.once === true ? wrk.wrapped : 0),
      serverCpuMicrosPerRequest: serverCpu / Math.max(1, wrk.requests),
      logLag,
      otherOnServerCore: others,
      load: [loadBefore, loadAverage()],
    };
    process.stdout.write(
      `round ${round} ${scenario.id}: ${result.rps.toFixed(0)} req/s, p50 ${wrk.p50Ms.toFixed(2)} ms, ` +
        `p99 ${wrk.p99Ms.toFixed(2)} ms, server ${result.serverCpuMicrosPerRequest.toFixed(0)} µs/req ` +
        `(${((serverCpu / 1e6 / wrk.seconds) * 100).toFixed(0)} % of a CPU; by thread ${threads}), wrk ` +
        `${((wrk.wrkCpuSeconds / wrk.seconds) * 100).toFixed(0)} %${cappedByWrk(result) ? ' CAPPED' : ''}, ` +
        `${result.errors} errors${formatLogLag(logLag)}${formatOthers(others)}, load ${result.load[0].toFixed(2)}→${result.load[1].toFixed(2)}` +
        `${recheckNote(result, results)}\n`,
    );
    results.push(result);
  }
  return results;
}

/** For a scenario that measures an earlier one's server again: how far its rate moved since. */
function recheckNote(result: ScenarioResult, earlier: readonly ScenarioResult[]): string {
  const first = earlier.find((r) => r.scenario.id === result.scenario.recheck);
  if (first === undefined) return '';
  return `; ${formatShift(result.rps / first.rps)} from ${first.scenario.id}`;
}

try {
  // The sandbox comes first: the baseline serves the answer of a query made in it.
  await targetOf('sandbox');
  const rounds: ScenarioResult[][] = [];
  for (let round = 1; round <= settings.rounds; round++) rounds.push(await runRound(round));
  process.stdout.write(`\n${formatTable(rounds)}\n`);
} finally {
  await Promise.all([...running.values()].map((t) => t.stop()));
  await rm(workDir, { recursive: true, force: true });
  if ([...running.keys()].some((name) => POSTGRES_TARGETS.has(name))) await dropBenchSchema(settings);
}
if (settings.cpuProfDir !== undefined) process.stdout.write(`CPU profiles in ${settings.cpuProfDir}\n`);
