import type { Scenario } from './scenarios.js';
import { quantile, rpsOf, type LoadResult } from './drive-load.js';
import { roundRatios } from './round-ratios.js';

/** A scenario with what it measured. */
export interface ScenarioResult {
  scenario: Scenario;
  load: LoadResult;
  /** Server CPU time per answered request (warm-up included), in microseconds. */
  serverCpuMicrosPerRequest: number;
  /** CPU time of the load generator (this process) per answered request, in microseconds. */
  clientCpuMicrosPerRequest: number;
}

/**
 * The result table (each scenario's median round), then one line per goal: the median of the ratios
 * taken within each round (round-ratios.ts) next to its target, with every round's own ratio.
 */
export function formatTable(
  results: readonly ScenarioResult[],
  rounds: readonly (readonly ScenarioResult[])[] = [results],
): string {
  const rows = results.map(({ scenario, load, serverCpuMicrosPerRequest, clientCpuMicrosPerRequest }) => [
    `${scenario.id}  ${scenario.title}`,
    String(load.requests),
    rpsOf(load).toFixed(0),
    quantile(load.latenciesMs, 0.5).toFixed(2),
    quantile(load.latenciesMs, 0.99).toFixed(2),
    serverCpuMicrosPerRequest.toFixed(0),
    clientCpuMicrosPerRequest.toFixed(0),
    String(load.errors),
  ]);
  const header = [
    'scenario',
    'requests',
    'req/s',
    'p50 ms',
    'p99 ms',
    'server CPU µs/req',
    'client CPU µs/req',
    'errors',
  ];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  const out = [line(header), ...rows.map(line), ''];
  for (const { scenario } of results) {
    if (scenario.goal === undefined) continue;
    const base = results.find((r) => r.scenario.id === scenario.goal?.of);
    const name = `${scenario.id}/${scenario.goal.of}`;
    const target = `target ${name} ≥ ${scenario.goal.atLeast.toFixed(2)}`;
    if (base === undefined) {
      out.push(`${name} = n/a (scenario ${scenario.goal.of} did not run)   ${target}`);
      continue;
    }
    const { perRound, median } = roundRatios(rounds, scenario.id, scenario.goal.of);
    const verdict = median >= scenario.goal.atLeast ? 'met' : 'MISSED';
    const each = perRound.length > 1 ? ` (rounds: ${perRound.map((r) => r.toFixed(2)).join(' ')})` : '';
    out.push(`${name} = ${median.toFixed(2)}${each}   ${target}   ${verdict}`);
  }
  for (const { scenario, serverCpuMicrosPerRequest } of results) {
    if (scenario.compare === undefined) continue;
    const base = results.find((r) => r.scenario.id === scenario.compare?.of);
    const name = `${scenario.id}/${scenario.compare.of}`;
    if (base === undefined) {
      out.push(`${name} = n/a (scenario ${scenario.compare.of} did not run)   ${scenario.compare.what}`);
      continue;
    }
    const ratio = roundRatios(rounds, scenario.id, scenario.compare.of).median;
    const cpu = serverCpuMicrosPerRequest / base.serverCpuMicrosPerRequest;
    out.push(
      `${name} = ${ratio.toFixed(2)} req/s, ${cpu.toFixed(2)} server CPU/req   ${scenario.compare.what}`,
    );
  }
  return out.join('\n');
}
