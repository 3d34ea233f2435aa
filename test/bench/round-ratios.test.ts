// The benchmark's ratios are taken within each round and their median and range reported
// (bench/round-ratios.ts); a baseline that wrk could not saturate is labelled, not reported as a measure.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { roundRatios } from '../../bench/round-ratios.js';
import { formatTable } from '../../bench/format-table.js';
import type { ScenarioResult } from '../../bench/scenario-result.js';
import { SCENARIOS } from '../../bench/scenarios.js';

/** A result of scenario `id` that answered `requests` in one second, wrk busy `wrkCpu` of its CPU. */
function result(id: string, requests: number, wrkCpu = 0.5): ScenarioResult {
  const scenario = SCENARIOS.find((s) => s.id === id);
  if (scenario === undefined) throw new Error(`no scenario ${id}`);
  return {
    scenario,
    rps: requests,
    wrk: { requests, seconds: 1, p50Ms: 1, p99Ms: 2, errors: 0, wrapped: 0, wrkCpuSeconds: wrkCpu },
    errors: 0,
    serverCpuMicrosPerRequest: 100,
    load: [1.5, 2.5],
  };
}

// Round 2 ran on a host twice as fast: its rates are double, its ratios the same as round 1's.
const ROUNDS = [
  [result('a', 10_000), result('b', 3_500), result('d', 4_000)],
  [result('a', 20_000), result('b', 7_400), result('d', 7_000)],
  [result('a', 12_000), result('b', 3_000), result('d', 4_200)],
];

test('each ratio is taken within its round; the median and the range of the rounds are reported', () => {
  const b = roundRatios(ROUNDS, 'b', 'a');
  assert.deepEqual(b.perRound, [0.35, 0.37, 0.25]);
  assert.equal(b.median, 0.35);
  assert.equal(b.min, 0.25);
  assert.equal(b.max, 0.37);
  // The ratio of the median rates (b 3 500, a 12 000) would say 0.29.
  assert.equal(roundRatios(ROUNDS, 'd', 'a').median, 0.35);
});

test('a scenario missing from a round leaves that round out; none at all gives NaN', () => {
  const partial = [ROUNDS[0] ?? [], [result('a', 10_000)], ROUNDS[2] ?? []];
  assert.deepEqual(roundRatios(partial, 'd', 'a').perRound, [0.4, 0.35]);
  assert.equal(roundRatios(partial, 'd', 'a').median, 0.35, 'the lower middle of an even count');
  assert.ok(Number.isNaN(roundRatios(partial, 'e', 'd').median));
});

test('the table prints each median ratio with its range against its target, and the load average', () => {
  const lines = formatTable(ROUNDS).split('\n');
  assert.ok(
    lines.includes('b/a = 0.35 (range 0.25–0.37)   target ≥ 0.35   met   (CPU cost ratio 1.00)'),
    lines.join('\n'),
  );
  assert.ok(
    lines.includes('d/a = 0.35 (range 0.35–0.40)   target ≥ 0.35   met   (CPU cost ratio 1.00)'),
    lines.join('\n'),
  );
  assert.ok(lines.includes('load average (1 min) during the runs: 1.50–2.50'), lines.join('\n'));
});

test('a ratio to a baseline that wrk could not saturate is labelled, not reported as a measure', () => {
  const capped = ROUNDS.map((round, i) =>
    round.map((r) => (i === 1 && r.scenario.id === 'a' ? result('a', r.rps, 0.97) : r)),
  );
  const text = formatTable(capped);
  assert.match(text, /^b\/a = 0\.35 \(range 0\.25–0\.37\) \[baseline CAPPED by wrk: not a measure\]/m);
  assert.match(text, /^a {2}bare node:http.* CAPPED/m);
  assert.doesNotMatch(formatTable(ROUNDS), /CAPPED/);
});

test('a ratio to a baseline server that did not run flat out is labelled and gets no verdict', () => {
  // Bare answered 10 000 req/s at 50 µs each: half of its core, so something else held it back.
  const idle = ROUNDS.map((round) =>
    round.map((r) => (r.scenario.id === 'a' ? { ...r, serverCpuMicrosPerRequest: 50 } : r)),
  );
  const text = formatTable(idle);
  assert.match(
    text,
    /^b\/a = 0\.35 \(range 0\.25–0\.37\) \[baseline server at 50 % of its core, not flat out: not a measure\] {3}target ≥ 0\.35 {3}NO VERDICT/m,
  );
  assert.doesNotMatch(formatTable(ROUNDS), /not flat out|NO VERDICT/);
});
