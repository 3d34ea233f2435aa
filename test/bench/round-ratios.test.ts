// The benchmark's ratios are taken within each round and their median and range reported
// (bench/round-ratios.ts); a round whose baseline was no measure (capped by wrk, not flat out, or moved
// by its recheck) is named and left out, and with no round left the ratio gets no verdict.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { roundRatios } from '../../bench/round-ratios.js';
import { formatTable } from '../../bench/format-table.js';
import { scenarioResult as result } from '../helpers/scenario-results.js';

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
    lines.includes(
      'b/a = 0.35 (range 0.25–0.37)   target ≥ 0.35   met   (CPU cost ratio 1.00, range 1.00–1.00)',
    ),
    lines.join('\n'),
  );
  assert.ok(
    lines.includes(
      'd/a = 0.35 (range 0.35–0.40)   target ≥ 0.35   met   (CPU cost ratio 1.00, range 1.00–1.00)',
    ),
    lines.join('\n'),
  );
  assert.ok(lines.includes('load average (1 min) during the runs: 1.50–2.50'), lines.join('\n'));
});

test('a round whose baseline wrk could not saturate is named and not counted', () => {
  const capped = ROUNDS.map((round, i) =>
    round.map((r) => (i === 1 && r.scenario.id === 'a' ? result('a', r.rps, 0.97) : r)),
  );
  const text = formatTable(capped);
  // Rounds 1 and 3 give 0.35 and 0.25; round 2's 0.37 is left out of the median and the range.
  assert.match(
    text,
    /^b\/a = 0\.25 \(range 0\.25–0\.35\) in 2 of 3 rounds \[round 2: baseline CAPPED by wrk: not counted\] {3}target ≥ 0\.35 {3}MISSED/m,
  );
  assert.match(text, /^a {2}bare node:http.* CAPPED/m);
  assert.doesNotMatch(formatTable(ROUNDS), /CAPPED|not counted/);
  // Every round capped: the ratio of all of them is shown, labelled, with no verdict.
  const allCapped = ROUNDS.map((round) =>
    round.map((r) => (r.scenario.id === 'a' ? result('a', r.rps, 0.95) : r)),
  );
  assert.match(
    formatTable(allCapped),
    /^b\/a = 0\.35 \(range 0\.25–0\.37\) \[baseline CAPPED by wrk: not a measure\] {3}target ≥ 0\.35 {3}NO VERDICT/m,
  );
});

test('a round whose baseline moved by more than 10 % by its recheck is named and not counted', () => {
  // Round 1: the bare server 8 % faster at the end of the round (counted); round 3: 25 % slower.
  const rechecked = [
    [...(ROUNDS[0] ?? []), result('a2', 10_800)],
    [...(ROUNDS[1] ?? []), result('a2', 19_000)],
    [...(ROUNDS[2] ?? []), result('a2', 9_000)],
  ];
  const text = formatTable(rechecked);
  assert.match(
    text,
    /^b\/a = 0\.35 \(range 0\.35–0\.37\) in 2 of 3 rounds \[round 3: baseline −25 % by its recheck: not counted\] {3}target ≥ 0\.35 {3}met/m,
  );
  assert.ok(
    text
      .split('\n')
      .includes(
        "a2/a per round: +8 %, −5 %, −25 % (the baseline's rate later in the round; a round where it moved more than 10 % does not count)",
      ),
    text,
  );
  // Different reasons in different rounds are each named with their rounds.
  const mixed = rechecked.map((round, i) =>
    round.map((r) => (i === 0 && r.scenario.id === 'a' ? result('a', r.rps, 0.97) : r)),
  );
  assert.match(
    formatTable(mixed),
    /^b\/a = 0\.37 in 1 of 3 rounds \[round 1: baseline CAPPED by wrk; round 3: baseline −25 % by its recheck: not counted\]/m,
  );
});

test('a ratio whose baseline server ran flat out in no round is labelled and gets no verdict', () => {
  // Bare used half of its core in every round (10 000 req/s at 50 µs each, and so on), so something
  // else held it back.
  const idle = ROUNDS.map((round) =>
    round.map((r) => (r.scenario.id === 'a' ? { ...r, serverCpuMicrosPerRequest: 500_000 / r.rps } : r)),
  );
  const text = formatTable(idle);
  assert.match(
    text,
    /^b\/a = 0\.35 \(range 0\.25–0\.37\) \[baseline server at 50 % of its core, not flat out: not a measure\] {3}target ≥ 0\.35 {3}NO VERDICT/m,
  );
  assert.doesNotMatch(formatTable(ROUNDS), /not flat out|NO VERDICT/);
});

test('CPU cost ratios are taken within each round too, with their median and range', () => {
  // The sandbox's CPU per request in rounds 1–3 (b), and on PostgreSQL (f); the baseline's stays 100.
  const bCpu = [200, 100, 150];
  const fCpu = [400, 200, 450];
  const rounds = ROUNDS.map((round, i) => [
    ...round.map((r) => (r.scenario.id === 'b' ? { ...r, serverCpuMicrosPerRequest: bCpu[i] ?? 0 } : r)),
    { ...result('f', 1_000), serverCpuMicrosPerRequest: fCpu[i] ?? 0 },
  ]);
  const text = formatTable(rounds);
  // a over b: 0.50, 1.00, 0.67; a ratio of the median rows (round 3's a, round 1's b) would say 0.50.
  assert.match(text, /^b\/a = .*\(CPU cost ratio 0\.67, range 0\.50–1\.00\)$/m);
  // f over b: 2, 2 and 3.
  assert.match(
    text,
    /^f\/b = .*, 2\.00 × server CPU\/req \(range 2\.00–3\.00\) {3}PostgreSQL \/ SQLite, query$/m,
  );
});

test('a round with errors in the scenario or its baseline is named and not counted', () => {
  // Round 2's pays ran past their list: the repeats, cheaper than new pays, would flatter its rate.
  const rounds = [
    [result('a', 10_000), result('c', 2_000)],
    [result('a', 10_000), result('c', 3_000, 0.5, { errors: 1_268 })],
    [result('a', 10_000), result('c', 2_200)],
  ];
  assert.match(
    formatTable(rounds),
    /^c\/a = 0\.20 \(range 0\.20–0\.22\) in 2 of 3 rounds \[round 2: 1268 errors in c: not counted\] {3}target ≥ 0\.20 {3}met/m,
  );
  const baseWrong = rounds.map((round, i) =>
    round.map((r) => (i === 0 && r.scenario.id === 'a' ? { ...r, errors: 3 } : r)),
  );
  assert.match(
    formatTable(baseWrong),
    /^c\/a = .*\[round 1: 3 errors in a; round 2: 1268 errors in c: not counted\]/m,
  );
});

test("the query's p99 gets a verdict: the median of its rounds, their range, and how many were over", () => {
  const withP99 = (ms: number[], errors: number[] = []) =>
    ms.map((p99Ms, i) => {
      const b = result('b', 3_000, 0.5, { errors: errors[i] ?? 0 });
      return [result('a', 10_000), { ...b, wrk: { ...b.wrk, p99Ms } }];
    });
  assert.match(
    formatTable(withP99([8.6, 11.3, 9.4])),
    /^b p99 = 9\.4 ms \(range 8\.6–11\.3, 1 of 3 over\) {3}target ≤ 10 ms {3}met$/m,
  );
  assert.match(
    formatTable(withP99([10.3, 11.3, 9.3])),
    /^b p99 = 10\.3 ms \(range 9\.3–11\.3, 2 of 3 over\) {3}target ≤ 10 ms {3}MISSED$/m,
  );
  // A round with errors is left out: its answers were not all what was asked for.
  assert.match(
    formatTable(withP99([4.0, 12.0, 11.0], [5, 0, 0])),
    /^b p99 = 11\.0 ms \(range 11\.0–12\.0, 2 of 2 over\) in 2 of 3 rounds \[1 with errors or other processes on the server's core: not counted\] {3}target ≤ 10 ms {3}MISSED$/m,
  );
  // So is a round whose window other processes shared.
  const disturbed = withP99([4.0, 12.0, 11.0]).map((round, i) =>
    round.map((r) => (i === 0 && r.scenario.id === 'b' ? { ...r, otherOnServerCore: 0.3 } : r)),
  );
  assert.match(
    formatTable(disturbed),
    /^b p99 = 11\.0 ms \(range 11\.0–12\.0, 2 of 2 over\) in 2 of 3 rounds/m,
  );
  // Scenarios without a p99 goal get no such line.
  assert.doesNotMatch(formatTable(withP99([8, 9, 10])), /^[ad] p99/m);
});

test('a round where other processes took the server core during a window is named and not counted', () => {
  // Round 2: something else ran on the server's core while b was measured, after the check before it.
  const rounds = ROUNDS.map((round, i) =>
    round.map((r) => (i === 1 && r.scenario.id === 'b' ? { ...r, otherOnServerCore: 0.34 } : r)),
  );
  assert.match(
    formatTable(rounds),
    /^b\/a = 0\.25 \(range 0\.25–0\.35\) in 2 of 3 rounds \[round 2: other processes on the server's core 34 % of b's window: not counted\]/m,
  );
  // d's ratio of the same round counts: d's window was clean, and so was the baseline's.
  assert.match(formatTable(rounds), /^d\/a = 0\.35 \(range 0\.35–0\.40\) {3}target/m);
  // Up to 10 % is a clock tick's rounding and the host's own chores, not a disturbance.
  const slight = ROUNDS.map((round) => round.map((r) => ({ ...r, otherOnServerCore: 0.1 })));
  assert.doesNotMatch(formatTable(slight), /not counted/);
});
