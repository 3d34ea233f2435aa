import { LOG_VISIBLE_WITHIN_MS, type LogLag } from './log-lag.js';
import { quantile } from './quantile.js';
import { roundRatios } from './round-ratios.js';
import type { ScenarioResult } from './scenario-result.js';

/** wrk busy this share of its CPU or more: the figure measures wrk, not the server. */
export const LOAD_GENERATOR_CAP = 0.9;

/** True when wrk, not the server, was the limit of a measured window. */
export function cappedByWrk(r: ScenarioResult): boolean {
  return r.wrk.wrkCpuSeconds / r.wrk.seconds >= LOAD_GENERATOR_CAP;
}

/** A baseline server busy less than this share of its core did not run flat out. */
export const BASELINE_FLAT_OUT = 0.9;

/** The share of one core the server(s) used over the measured window. */
export function serverCpuShare(r: ScenarioResult): number {
  return (r.serverCpuMicrosPerRequest * r.rps) / 1e6;
}

/**
 * The baseline's rate may move this share between its run and its recheck in the same round (the
 * scenario with `recheck`): past it, the host's speed changed under the round's scenarios.
 */
export const BASELINE_DRIFT = 0.1;

/** Other processes busy this share of the server's core during a measured window: the window measured them too. */
export const OTHER_WORK_LIMIT = 0.1;

/** A round line's note of other processes on the server's core: `, others on its core 14 %`, or ''. */
export function formatOthers(share: number | undefined): string {
  return share === undefined ? '' : `, others on its core ${(share * 100).toFixed(0)} %`;
}

/**
 * Why one scenario's measured window says nothing of its server, or undefined: it had errors (a wrong
 * answer, or a pay sent again when its list ran out, which costs less than a new one), or other
 * processes took more than OTHER_WORK_LIMIT of the server's core during it.
 */
function windowProblem(r: ScenarioResult): string | undefined {
  if (r.errors > 0) return `${r.errors} errors in ${r.scenario.id}`;
  const others = r.otherOnServerCore ?? 0;
  if (others > OTHER_WORK_LIMIT)
    return `other processes on the server's core ${(others * 100).toFixed(0)} % of ${r.scenario.id}'s window`;
  return undefined;
}

/**
 * Why, in this round, a ratio of scenario `id` to baseline `of` measures nothing, or undefined: either
 * scenario's window said nothing (windowProblem), wrk was the limit, the baseline server did not run
 * flat out (another process on its core, or latency, held it back), or its recheck later in the round
 * found the host faster or slower, so the ratio says as much about the host as about the sandbox.
 */
function roundProblem(round: readonly ScenarioResult[], id: string, of: string): string | undefined {
  const self = round.find((r) => r.scenario.id === id);
  const base = round.find((r) => r.scenario.id === of);
  if (self === undefined || base === undefined) return undefined;
  const spoilt = windowProblem(self) ?? windowProblem(base);
  if (spoilt !== undefined) return spoilt;
  if (cappedByWrk(base)) return 'baseline CAPPED by wrk';
  const share = serverCpuShare(base);
  if (share < BASELINE_FLAT_OUT)
    return `baseline server at ${(share * 100).toFixed(0)} % of its core, not flat out`;
  const again = round.find((r) => r.scenario.recheck === of);
  if (again !== undefined && Math.abs(again.rps / base.rps - 1) > BASELINE_DRIFT)
    return `baseline ${formatShift(again.rps / base.rps)} by its recheck`;
  return undefined;
}

/**
 * The verdict on a scenario's p99 goal: the median of its rounds' p99 (the lower middle one for an
 * even count), their range, and how many rounds were over. A round whose window said nothing
 * (windowProblem) does not count; a p99 depends on no baseline, so every other round does.
 */
function p99Text(runs: readonly ScenarioResult[], atMostMs: number): string {
  const id = runs[0]?.scenario.id ?? '';
  const counted = runs.filter((r) => windowProblem(r) === undefined);
  const p99s = counted.map((r) => r.wrk.p99Ms).sort((p, q) => p - q);
  const left = runs.length - counted.length;
  const label =
    left === 0
      ? ''
      : ` in ${counted.length} of ${runs.length} rounds [${left} with errors or other processes on the server's core: not counted]`;
  if (p99s.length === 0)
    return `${id} p99: no round without errors${label}   target ≤ ${atMostMs} ms   NO VERDICT`;
  const median = quantile(p99s, 0.5);
  const over = p99s.filter((p) => p > atMostMs).length;
  const range =
    p99s.length > 1
      ? ` (range ${p99s[0]?.toFixed(1)}–${p99s[p99s.length - 1]?.toFixed(1)}, ${over} of ${p99s.length} over)`
      : '';
  return `${id} p99 = ${median.toFixed(1)} ms${range}${label}   target ≤ ${atMostMs} ms   ${median <= atMostMs ? 'met' : 'MISSED'}`;
}

/** A round line's note of the request log's lag: `, log lag p99 80 ms, max 95 ms`, or '' without a watch. */
export function formatLogLag(lag: LogLag | undefined): string {
  return lag === undefined ? '' : `, log lag p99 ${lag.p99Ms.toFixed(0)} ms, max ${lag.maxMs.toFixed(0)} ms`;
}

/** A ratio of two rates as a signed percentage: `+12 %`, `−3 %`. */
export function formatShift(ratio: number): string {
  const percent = Math.round((ratio - 1) * 100);
  return `${percent < 0 ? '−' : '+'}${Math.abs(percent)} %`;
}

/**
 * Scenario `id`'s server CPU per request over scenario `of`'s, taken within each round like the rates'
 * ratios: the median, and the range (`a–b`) when there is more than one round, else ''.
 */
function cpuRatio(
  rounds: readonly (readonly ScenarioResult[])[],
  id: string,
  of: string,
): { median: string; range: string } {
  const r = roundRatios(rounds, id, of, (x) => x.serverCpuMicrosPerRequest);
  const range = r.perRound.length > 1 ? `${r.min.toFixed(2)}–${r.max.toFixed(2)}` : '';
  return { median: r.median.toFixed(2), range };
}

/** The rounds' problems, grouped by reason; one reason of every round is said once. */
function describeProblems(problems: ReadonlyArray<{ round: number; why: string }>, every: boolean): string {
  const roundsOf = new Map<string, number[]>();
  for (const { round, why } of problems) roundsOf.set(why, [...(roundsOf.get(why) ?? []), round]);
  const [only] = roundsOf.keys();
  if (every && roundsOf.size === 1 && only !== undefined) return only;
  return [...roundsOf].map(([why, rounds]) => `round ${rounds.join(', ')}: ${why}`).join('; ');
}

/**
 * The result table (each scenario's median round, with the range of its rounds), then one line per goal
 * and per comparison: the median of the ratios taken within each round (round-ratios.ts), their range,
 * and the verdict, with the ratio of the two servers' CPU per request beside it (what the ratio would
 * be if each server had its CPU to itself). Only the rounds whose baseline was a measure count
 * (roundProblem); the others are named, and with none left the ratio is labelled and gets no verdict.
 */
export function formatTable(rounds: readonly (readonly ScenarioResult[])[]): string {
  const ids = [...new Set(rounds.flatMap((r) => r.map((x) => x.scenario.id)))];
  const runsOf = (id: string) =>
    rounds
      .map((r) => r.find((x) => x.scenario.id === id))
      .filter((x): x is ScenarioResult => x !== undefined)
      .sort((x, y) => x.rps - y.rps);
  const header = [
    'scenario',
    'req/s',
    'range',
    'p50 ms',
    'p99 ms',
    'p99 range',
    'CPU µs/req',
    'wrk CPU',
    'errors',
  ];
  const rows: string[][] = [];
  const medianOf = new Map<string, ScenarioResult>();
  for (const id of ids) {
    const runs = runsOf(id);
    const median = runs[Math.floor((runs.length - 1) / 2)];
    if (median === undefined) continue;
    medianOf.set(id, median);
    const p99s = runs.map((r) => r.wrk.p99Ms).sort((p, q) => p - q);
    const wrkShare = Math.max(...runs.map((r) => r.wrk.wrkCpuSeconds / r.wrk.seconds));
    rows.push([
      `${id}  ${median.scenario.title}`,
      median.rps.toFixed(0),
      `${runs[0]?.rps.toFixed(0)}–${runs[runs.length - 1]?.rps.toFixed(0)}`,
      median.wrk.p50Ms.toFixed(2),
      median.wrk.p99Ms.toFixed(2),
      `${p99s[0]?.toFixed(1)}–${p99s[p99s.length - 1]?.toFixed(1)}`,
      median.serverCpuMicrosPerRequest.toFixed(0),
      `${(wrkShare * 100).toFixed(0)} %${runs.some(cappedByWrk) ? ' CAPPED' : ''}`,
      String(runs.reduce((n, r) => n + r.errors, 0)),
    ]);
  }
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  const out = [line(header), ...rows.map(line), ''];
  const ratioText = (id: string, of: string) => {
    // Each round's reason not to count, if any (a round without scenario id has nothing to count).
    const whyNot = rounds.map((round) => roundProblem(round, id, of));
    const problems = whyNot.flatMap((why, i) => (why === undefined ? [] : [{ round: i + 1, why }]));
    const all = roundRatios(rounds, id, of);
    const counted = roundRatios(
      rounds.filter((_, i) => whyNot[i] === undefined),
      id,
      of,
    );
    const measured = counted.perRound.length > 0;
    const r = measured ? counted : all;
    const label =
      problems.length === 0
        ? ''
        : measured
          ? ` in ${counted.perRound.length} of ${all.perRound.length} rounds [${describeProblems(problems, false)}: not counted]`
          : ` [${describeProblems(problems, true)}: not a measure]`;
    const range = r.perRound.length > 1 ? ` (range ${r.min.toFixed(2)}–${r.max.toFixed(2)})` : '';
    return { r, measured, text: `${id}/${of} = ${r.median.toFixed(2)}${range}${label}` };
  };
  for (const id of ids) {
    const { goal, compare } = medianOf.get(id)?.scenario ?? {};
    const self = medianOf.get(id);
    const goalBase = goal === undefined ? undefined : medianOf.get(goal.of);
    if (goal !== undefined && goalBase !== undefined && self !== undefined) {
      const { r, measured, text } = ratioText(id, goal.of);
      const verdict = !measured ? 'NO VERDICT' : r.median >= goal.atLeast ? 'met' : 'MISSED';
      // What the ratio would be with the CPU to itself: the two servers' CPU costs per request.
      const cpu = cpuRatio(rounds, goal.of, id);
      out.push(
        `${text}   target ≥ ${goal.atLeast.toFixed(2)}   ${verdict}   (CPU cost ratio ${cpu.median}${cpu.range === '' ? '' : `, range ${cpu.range}`})`,
      );
    }
    const base = compare === undefined ? undefined : medianOf.get(compare.of);
    if (compare !== undefined && base !== undefined && self !== undefined) {
      const cpu = cpuRatio(rounds, id, compare.of);
      out.push(
        `${ratioText(id, compare.of).text}, ${cpu.median} × server CPU/req` +
          `${cpu.range === '' ? '' : ` (range ${cpu.range})`}   ${compare.what}`,
      );
    }
  }
  for (const id of ids) {
    const p99Goal = medianOf.get(id)?.scenario.p99Goal;
    if (p99Goal !== undefined) out.push(p99Text(runsOf(id), p99Goal.atMostMs));
  }
  for (const { id, recheck } of ids.flatMap((id) => medianOf.get(id)?.scenario ?? [])) {
    if (recheck === undefined) continue;
    const shifts = roundRatios(rounds, id, recheck).perRound.map(formatShift);
    out.push(
      `${id}/${recheck} per round: ${shifts.join(', ')} (the baseline's rate later in the round; ` +
        `a round where it moved more than ${BASELINE_DRIFT * 100} % does not count)`,
    );
  }
  const lags = ids.flatMap((id) => {
    const seen = runsOf(id).flatMap((r) => (r.logLag === undefined ? [] : [r.logLag.maxMs]));
    return seen.length === 0 ? [] : [{ id, maxMs: Math.max(...seen) }];
  });
  if (lags.length > 0) {
    const over = lags.some((l) => l.maxMs > LOG_VISIBLE_WITHIN_MS);
    out.push(
      `request log lag, the most over the rounds: ${lags.map((l) => `${l.id} ${l.maxMs.toFixed(0)} ms`).join(', ')}` +
        `   bound ${LOG_VISIBLE_WITHIN_MS} ms   ${over ? 'EXCEEDED' : 'met'}`,
    );
  }
  const loads = rounds.flatMap((r) => r.flatMap((x) => x.load));
  out.push(
    `load average (1 min) during the runs: ${Math.min(...loads).toFixed(2)}–${Math.max(...loads).toFixed(2)}`,
  );
  return out.join('\n');
}
