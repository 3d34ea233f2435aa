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
import { benchSettingsOrExit, SLICE_WARMUP_SECONDS } from './bench-settings.js';
import { createFixtures, type BenchFixtures } from './bench-fixtures.js';
import type { ChildTarget } from './child-target.js';
import { cappedByWrk, formatLogLag, formatOthers, formatShift, formatTable } from './format-table.js';
import { watchLogLag, type LogLagWatch } from './log-lag.js';
import { combineSlices, type SliceMeasure } from './combine-slices.js';
import {
  coreTimes,
  coreTimesBetween,
  cpuMicrosByThread,
  formatThreadSplit,
  threadMicrosUsed,
  loadAverage,
  waitForQuietCpu,
} from './proc-stat.js';
import { ensureWrk, runWrk, writeWrkScript } from './run-wrk.js';
import type { ScenarioResult } from './scenario-result.js';
import { SCENARIOS } from './scenarios.js';
import { TARGETS, type TargetName } from './targets.js';
import { dropBenchSchema, postgresUnavailable } from './postgres-targets.js';

const settings = benchSettingsOrExit(process.env, 'npm run bench');
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
    `${settings.warmupSeconds} s warm-up (×3 on a fresh server), ${settings.seconds} s measured` +
    `${settings.slices > 1 ? ` in ${settings.slices} interleaved slices of ${settings.seconds / settings.slices} s, each after ${SLICE_WARMUP_SECONDS} s of warm-up but the first` : ''}, ` +
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

/** A scenario made ready for a round: its server and its files of paths. */
interface Prepared {
  scenario: (typeof scenarios)[number];
  target: ChildTarget;
  /** One file of paths per slice for its warm-up, and one for its measured run. */
  warmupFiles: string[];
  sliceFiles: string[];
  /** Its requests must be new (a pay): a request sent again is an error. */
  once: boolean;
  slices: SliceMeasure[];
}

/**
 * The list cut into parts, one per run of the given seconds: a scenario whose requests must be new (a
 * pay) gets its own share of the list in each, in proportion to the run's seconds; the others the
 * whole list each time.
 */
function partsBySeconds(
  list: readonly string[],
  once: boolean,
  seconds: readonly number[],
): (readonly string[])[] {
  if (!once) return seconds.map(() => list);
  const perSecond = list.length / seconds.reduce((a, b) => a + b, 0);
  let from = 0;
  return seconds.map((s) => {
    const part = list.slice(Math.round(from), Math.round(from + s * perSecond));
    from += s * perSecond;
    return part;
  });
}

async function prepareScenario(scenario: (typeof scenarios)[number]): Promise<Prepared> {
  const { target, fixtures } = await targetOf(scenario.target);
  const paths = scenario.prepare(settings, fixtures);
  const once = paths.once === true;
  const slices = Array.from({ length: settings.slices }, (_, k) => k);
  const write = async (name: string, part: readonly string[]) => {
    const file = join(workDir, `${scenario.id}-${name}.txt`);
    await writeFile(file, `${part.join('\n')}\n`);
    return file;
  };
  const warmups = partsBySeconds(
    paths.warmup,
    once,
    slices.map((k) => (k === 0 ? 3 * settings.warmupSeconds : SLICE_WARMUP_SECONDS)),
  );
  const measured = partsBySeconds(
    paths.measured,
    once,
    slices.map(() => settings.seconds / settings.slices),
  );
  return {
    scenario,
    target,
    warmupFiles: await Promise.all(warmups.map((part, k) => write(`warmup-${k + 1}`, part))),
    sliceFiles: await Promise.all(measured.map((part, k) => write(`measured-${k + 1}`, part))),
    once,
    slices: [],
  };
}

/**
 * One round: every scenario is prepared, then measured in `settings.slices` slices, the slices
 * interleaved (a b c … a2 f …, then again), so that a scenario and its baseline are measured seconds
 * apart: on a host whose speed moves in phases of tens of seconds, a ratio of two scenarios measured
 * minutes apart measured the phases (docs/performance-history.md). Every slice is warmed up first: the
 * scenario's warm-up before its first, SLICE_WARMUP_SECONDS before the others.
 */
async function runRound(round: number): Promise<ScenarioResult[]> {
  const prepared: Prepared[] = [];
  for (const scenario of scenarios) prepared.push(await prepareScenario(scenario));
  // One watch of each request log for the round: what became visible between two slices counts in the
  // next slice measured on that server, so that nothing goes unseen.
  const lagWatches = new Map<string, LogLagWatch>();
  try {
    for (let slice = 0; slice < settings.slices; slice++) {
      const line: string[] = [];
      for (const p of prepared) {
        const measure = await measureSlice(round, p, slice, lagWatches);
        p.slices.push(measure);
        const { wrk, logLag } = measure;
        line.push(
          `${p.scenario.id} ${(wrk.requests / wrk.seconds).toFixed(0)}/s ` +
            `${(measure.serverMicros / Math.max(1, wrk.requests)).toFixed(0)} µs p99 ${wrk.p99Ms.toFixed(1)} ms` +
            `${logLag === undefined ? '' : ` lag ${logLag.maxMs.toFixed(0)} ms`}`,
        );
      }
      if (settings.slices > 1)
        process.stdout.write(`round ${round} slice ${slice + 1}/${settings.slices}: ${line.join(', ')}\n`);
    }
  } finally {
    for (const watch of lagWatches.values()) watch.stop();
  }
  const results: ScenarioResult[] = [];
  for (const p of prepared) {
    const all = combineSlices(p.slices);
    const { wrk } = all;
    const result: ScenarioResult = {
      scenario: p.scenario,
      rps: wrk.requests / wrk.seconds,
      wrk,
      errors: wrk.errors + (p.once ? wrk.wrapped : 0),
      serverCpuMicrosPerRequest: all.serverMicros / Math.max(1, wrk.requests),
      logLag: all.logLag,
      otherOnServerCore: all.others,
      load: all.load,
    };
    const threads = formatThreadSplit(all.threadMicros, wrk.requests);
    process.stdout.write(
      `round ${round} ${p.scenario.id}: ${result.rps.toFixed(0)} req/s, p50 ${wrk.p50Ms.toFixed(2)} ms, ` +
        `p99 ${wrk.p99Ms.toFixed(2)} ms, server ${result.serverCpuMicrosPerRequest.toFixed(0)} µs/req ` +
        `(${((all.serverMicros / 1e6 / wrk.seconds) * 100).toFixed(0)} % of a CPU; by thread ${threads}), wrk ` +
        `${((wrk.wrkCpuSeconds / wrk.seconds) * 100).toFixed(0)} %${cappedByWrk(result) ? ' CAPPED' : ''}, ` +
        `${result.errors} errors${formatLogLag(all.logLag)}${formatOthers(all.others)}, load ${result.load[0].toFixed(2)}→${result.load[1].toFixed(2)}` +
        `${recheckNote(result, results)}\n`,
    );
    results.push(result);
  }
  return results;
}

/** One slice of a scenario: a quiet core, its warm-up, then the measured wrk run and what the server used. */
async function measureSlice(
  round: number,
  p: Prepared,
  slice: number,
  lagWatches: Map<string, LogLagWatch>,
): Promise<SliceMeasure> {
  const wrkRun = (pathsFile: string, seconds: number) =>
    runWrk({
      url: p.target.url,
      secondUrl: p.target.urls?.[1],
      scriptFile,
      pathsFile,
      expect: p.scenario.expect,
      seconds,
      connections: settings.connections,
      cpu: settings.loadCpu,
    });
  const cpu = Number(settings.serverCpu);
  if (Number.isInteger(cpu)) {
    const { waitedMs, quiet } = await waitForQuietCpu(cpu);
    if (!quiet || waitedMs > 1_000)
      process.stdout.write(
        `round ${round} ${p.scenario.id}: waited ${(waitedMs / 1000).toFixed(1)} s for CPU ${cpu} to be quiet` +
          `${quiet ? '' : ', and it did not get quiet'}\n`,
      );
  }
  const warmup =
    slice > 0 ? SLICE_WARMUP_SECONDS : (warm.has(p.scenario.target) ? 1 : 3) * settings.warmupSeconds;
  await wrkRun(p.warmupFiles[slice] as string, warmup);
  warm.add(p.scenario.target);
  const folder = p.target.requestLogFolder;
  let lagWatch = folder === undefined ? undefined : lagWatches.get(folder);
  if (folder !== undefined && lagWatch === undefined) {
    lagWatch = watchLogLag(folder);
    lagWatches.set(folder, lagWatch);
  }
  const loadBefore = loadAverage();
  const cpuBefore = p.target.cpuMicros();
  const threadsBefore = cpuMicrosByThread(p.target.pids);
  // PostgreSQL, which the bench does not pin, shares the server's core as part of its scenarios.
  const alone = p.scenario.target !== 'postgres' && p.scenario.target !== 'postgresPair';
  const coreBefore = alone && Number.isInteger(cpu) ? coreTimes(cpu) : undefined;
  const wrk = await wrkRun(p.sliceFiles[slice] as string, settings.seconds / settings.slices);
  const serverMicros = p.target.cpuMicros() - cpuBefore;
  const coreAfter = coreBefore === undefined ? undefined : coreTimes(cpu);
  return {
    wrk,
    serverMicros,
    threadMicros: threadMicrosUsed(threadsBefore, cpuMicrosByThread(p.target.pids)),
    core:
      coreBefore === undefined || coreAfter === undefined
        ? undefined
        : coreTimesBetween(coreBefore, coreAfter),
    logLag: lagWatch?.take(),
    load: [loadBefore, loadAverage()],
  };
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
