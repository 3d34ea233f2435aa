// The benchmark's ratios are taken within each round and their median reported (bench/round-ratios.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { roundRatios } from '../../bench/round-ratios.js';
import { formatTable, type ScenarioResult } from '../../bench/format-table.js';
import { SCENARIOS } from '../../bench/scenarios.js';

/** A result of scenario `id` that answered `requests` in one second. */
function result(id: string, requests: number): ScenarioResult {
  const scenario = SCENARIOS.find((s) => s.id === id);
  if (scenario === undefined) throw new Error(`no scenario ${id}`);
  return {
    scenario,
    load: { requests, allRequests: requests, errors: 0, seconds: 1, latenciesMs: Float64Array.of(1, 2) },
    serverCpuMicrosPerRequest: 100,
    clientCpuMicrosPerRequest: 50,
  };
}

// Round 2 ran on a host twice as fast: its rates are double, its ratios the same as round 1's.
const ROUNDS = [
  [result('a', 10_000), result('b', 3_000), result('d', 4_000)],
  [result('a', 20_000), result('b', 6_400), result('d', 7_000)],
  [result('a', 12_000), result('b', 3_000), result('d', 4_200)],
];

test('each ratio is taken within its round, and the median of the rounds is reported', () => {
  const b = roundRatios(ROUNDS, 'b', 'a');
  assert.deepEqual(b.perRound, [0.3, 0.32, 0.25]);
  assert.equal(b.median, 0.3);
  // The ratio of the median rates (b 3 000, a 12 000) would say 0.25.
  assert.equal(roundRatios(ROUNDS, 'd', 'a').median, 0.35);
});

test('a scenario missing from a round leaves that round out; none at all gives NaN', () => {
  const partial = [ROUNDS[0] ?? [], [result('a', 10_000)], ROUNDS[2] ?? []];
  assert.deepEqual(roundRatios(partial, 'd', 'a').perRound, [0.4, 0.35]);
  assert.equal(roundRatios(partial, 'd', 'a').median, 0.35, 'the lower middle of an even count');
  assert.ok(Number.isNaN(roundRatios(partial, 'e', 'd').median));
});

test('the table prints the median ratio with every round, against its target', () => {
  const medians = [result('a', 12_000), result('b', 3_000), result('d', 4_200)];
  const text = formatTable(medians, ROUNDS);
  const lines = text.split('\n');
  assert.ok(lines.includes('b/a = 0.30 (rounds: 0.30 0.32 0.25)   target b/a ≥ 0.30   met'), text);
  assert.ok(lines.includes('d/a = 0.35 (rounds: 0.40 0.35 0.35)   target d/a ≥ 0.30   met'), text);
});
