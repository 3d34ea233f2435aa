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
 * Why a ratio to this baseline measures nothing, or undefined: wrk was the limit, or the baseline
 * server did not run flat out (another process on its core, or latency, held it back), so the ratio
 * says as much about the host as about the sandbox.
 */
function notAMeasure(baselineRuns: readonly ScenarioResult[]): string | undefined {
  if (baselineRuns.some(cappedByWrk)) return 'baseline CAPPED by wrk';
  const share = Math.min(...baselineRuns.map(serverCpuShare));
  if (share < BASELINE_FLAT_OUT)
    return `baseline server at ${(share * 100).toFixed(0)} % of its core, not flat out`;
  return undefined;
}

/**
 * The result table (each scenario's median round, with the range of its rounds), then one line per goal
 * and per comparison: the median of the ratios taken within each round (round-ratios.ts), their range,
 * and the verdict, with the ratio of the two servers' CPU per request beside it (what the ratio would
 * be if each server had its CPU to itself). A ratio whose baseline was capped by wrk, or did not run
 * flat out, is labelled so and gets no verdict.
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
    const r = roundRatios(rounds, id, of);
    const why = notAMeasure(runsOf(of));
    const label = why === undefined ? '' : ` [${why}: not a measure]`;
    const range = r.perRound.length > 1 ? ` (range ${r.min.toFixed(2)}–${r.max.toFixed(2)})` : '';
    return { r, measured: why === undefined, text: `${id}/${of} = ${r.median.toFixed(2)}${range}${label}` };
  };
  for (const id of ids) {
    const { goal, compare } = medianOf.get(id)?.scenario ?? {};
    const self = medianOf.get(id);
    const goalBase = goal === undefined ? undefined : medianOf.get(goal.of);
    if (goal !== undefined && goalBase !== undefined && self !== undefined) {
      const { r, measured, text } = ratioText(id, goal.of);
      const verdict = !measured ? 'NO VERDICT' : r.median >= goal.atLeast ? 'met' : 'MISSED';
      // What the ratio would be with the CPU to itself: the two servers' CPU costs per request.
      const cpu = goalBase.serverCpuMicrosPerRequest / self.serverCpuMicrosPerRequest;
      out.push(
        `${text}   target ≥ ${goal.atLeast.toFixed(2)}   ${verdict}   (CPU cost ratio ${cpu.toFixed(2)})`,
      );
    }
    const base = compare === undefined ? undefined : medianOf.get(compare.of);
    if (compare !== undefined && base !== undefined && self !== undefined) {
      const cpu = self.serverCpuMicrosPerRequest / base.serverCpuMicrosPerRequest;
      out.push(`${ratioText(id, compare.of).text}, ${cpu.toFixed(2)} × server CPU/req   ${compare.what}`);
    }
  }
  const loads = rounds.flatMap((r) => r.flatMap((x) => x.load));
  out.push(
    `load average (1 min) during the runs: ${Math.min(...loads).toFixed(2)}–${Math.max(...loads).toFixed(2)}`,
  );
  return out.join('\n');
}
