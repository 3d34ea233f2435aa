/**
 * `node dist/bench/alternate.js <pairs> <scenario>[:<build>] <scenario>[:<build>]`: two SQLite servers
 * up at once, both on the server CPU, loaded in turn by wrk (a 1 s warm-up, then BENCH_SECONDS, default
 * here 4), `pairs` times, the order swapped every pair. Prints each measurement and, per side, the
 * median server CPU a request, then B/A per pair. `<build>` is the folder of another build of this
 * package (a copy of its package.json and dist/ beside a node_modules): its own sandbox then serves
 * that side. For comparing two builds, or two scenarios of one build, on a host whose speed drifts
 * within a minute: a full `npm run bench` measures each build minutes apart, this within seconds
 * (docs/performance.md, "Method"). A benchmark, not a test: it asserts nothing.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { benchSettingsOrExit, type BenchSettings } from './bench-settings.js';
import { createFixtures, type BenchFixtures } from './bench-fixtures.js';
import type { ChildTarget } from './child-target.js';
import { median } from './quantile.js';
import { ensureWrk, runWrk, writeWrkScript } from './run-wrk.js';
import { SCENARIOS, type Scenario } from './scenarios.js';
import type { TARGETS } from './targets.js';

type StartTarget = (
  settings: BenchSettings,
  fixtures: BenchFixtures,
  workDir: string,
) => Promise<ChildTarget>;

interface Side {
  label: string;
  scenario: Scenario;
  target: ChildTarget;
  fixtures: BenchFixtures;
  micros: number[];
}

const USAGE = 'usage: alternate.js <pairs> <scenario>[:<build folder>] <scenario>[:<build folder>]';
/** The targets this can run twice at once: each SQLite sandbox keeps its own file. */
const SQLITE_TARGETS = new Set(['sandbox', 'sandboxManyRules']);

/** A wrong command line: what is wrong and the usage, exit 2 (no stack trace). */
function usageError(problem: string): never {
  process.stderr.write(`alternate.js: ${problem}\n${USAGE}\n`);
  process.exit(2);
}

const [pairsArg, ...specs] = process.argv.slice(2);
const pairs = Number(pairsArg);
if (!Number.isInteger(pairs) || pairs < 1) usageError(`pairs must be a whole number ≥ 1, got ${pairsArg}`);
if (specs.length !== 2) usageError(`two sides are needed, got ${specs.length}`);
/** One side of the command line, checked before anything starts: a wrong one leaves no server behind. */
function parseSide(spec: string): { id: string; scenario: Scenario; build: string | undefined } {
  const [id = '', build] = spec.split(':');
  const scenario = SCENARIOS.find((s) => s.id === id);
  if (scenario === undefined || !SQLITE_TARGETS.has(scenario.target))
    usageError(`scenario ${id}: one of the SQLite sandbox's is needed (b, c, d, e)`);
  if (build !== undefined && !existsSync(resolve(build, 'dist/bench/targets.js')))
    usageError(`${build} holds no build (no dist/bench/targets.js)`);
  return { id, scenario, build };
}
const parsed = specs.map(parseSide);
// Each side's run is one piece here: the sides alternate by themselves.
const settings = benchSettingsOrExit(
  { BENCH_SECONDS: '4', ...process.env, BENCH_SLICES: '1' },
  'alternate.js',
);
ensureWrk();
execFileSync('taskset', ['-a', '-p', '-c', settings.loadCpu, String(process.pid)], { stdio: 'ignore' });
const workDir = await mkdtemp(join(tmpdir(), 'alipay-mock-bench-alternate-'));
const scriptFile = await writeWrkScript(workDir);

async function startSide({ id, scenario, build }: ReturnType<typeof parseSide>): Promise<Side> {
  // Another build's own targets module starts that build's sandbox child.
  const targets =
    build === undefined
      ? await import('./targets.js')
      : ((await import(pathToFileURL(resolve(build, 'dist/bench/targets.js')).href)) as {
          TARGETS: typeof TARGETS;
        });
  const start: StartTarget = targets.TARGETS[scenario.target];
  // The SQLite sandboxes make their own fixtures (below); only the bare baseline reads these.
  const target = await start(settings, undefined as unknown as BenchFixtures, workDir);
  return {
    label: `${id}:${build ?? '.'}`,
    scenario,
    target,
    fixtures: await createFixtures(target.url),
    micros: [],
  };
}

const sides: Side[] = [];
for (const side of parsed) sides.push(await startSide(side));

async function load(side: Side, seconds: number, measured: boolean) {
  const paths = side.scenario.prepare({ ...settings, warmupSeconds: seconds }, side.fixtures);
  const file = join(workDir, 'paths.txt');
  await writeFile(file, `${(measured ? paths.measured : paths.warmup).join('\n')}\n`);
  return runWrk({
    url: side.target.url,
    scriptFile,
    pathsFile: file,
    expect: side.scenario.expect,
    seconds,
    connections: settings.connections,
    cpu: settings.loadCpu,
  });
}

try {
  // A fresh server's JIT and caches warm up first, as in the bench.
  for (const side of sides) await load(side, 3 * settings.warmupSeconds, false);
  for (let pair = 0; pair < pairs; pair++) {
    for (const side of pair % 2 === 0 ? sides : [...sides].reverse()) {
      await load(side, 1, false);
      const before = side.target.cpuMicros();
      const wrk = await load(side, settings.seconds, true);
      const micros = (side.target.cpuMicros() - before) / Math.max(1, wrk.requests);
      side.micros.push(micros);
      process.stdout.write(
        `pair ${pair + 1} ${side.label}: ${(wrk.requests / wrk.seconds).toFixed(0)} req/s, ` +
          `${micros.toFixed(1)} µs/req, p99 ${wrk.p99Ms.toFixed(2)} ms, ${wrk.errors} errors\n`,
      );
    }
  }
  const [a, b] = sides as [Side, Side];
  for (const side of sides)
    process.stdout.write(`${side.label}: median ${median(side.micros).toFixed(1)} µs/req\n`);
  const ratios = a.micros.map((m, i) => (b.micros[i] ?? NaN) / m);
  process.stdout.write(
    `B/A server CPU per pair: ${ratios.map((r) => r.toFixed(3)).join(' ')}; median ${median(ratios).toFixed(3)}\n`,
  );
} finally {
  for (const side of sides) await side.target.stop();
  await rm(workDir, { recursive: true, force: true });
}
