// The p99 of several wrk runs' requests together, from each run's latency tail (bench/merged-p99.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mergedP99 } from '../../bench/merged-p99.js';

/** A tail of 501 values (95.00 … 100 %): `at(i)` for i = 0 … 500. */
const tail = (at: (i: number) => number) => Array.from({ length: 501 }, (_, i) => at(i));

test('one run, or equal runs: their own p99', () => {
  const run = { requests: 10_000, tailMs: tail((i) => 2 + i / 100) };
  // 99 % is index 400: 2 + 4 ms.
  assert.equal(mergedP99([run]), 6);
  assert.equal(mergedP99([run, run, run]), 6);
});

test("a slow run and a fast one: the p99 of all their requests, below the slow run's own", () => {
  const fast = { requests: 10_000, tailMs: tail(() => 1) };
  const slow = { requests: 10_000, tailMs: tail((i) => 10 + i) };
  // Half the requests are at 1 ms: 99 % of all needs 98 % of the slow run's, index 300.
  assert.equal(mergedP99([fast, slow]), 310);
  // The slow run's own p99 (index 400) is the upper bound.
  assert.ok((mergedP99([fast, slow]) as number) < slow.tailMs[400]!);
  // Counted by requests: with three times as many fast ones, 96 % of the slow run's will do.
  assert.equal(mergedP99([{ ...fast, requests: 30_000 }, slow]), 110);
});

test("a run's requests below its 95 % count as not covered: the result is never too low", () => {
  const many = { requests: 100, tailMs: tail(() => 1) };
  const few = { requests: 1, tailMs: tail(() => 50) };
  // 100 of 101 requests are at 1 ms: 99 % of all.
  assert.equal(mergedP99([many, few]), 1);
  // Two of three at 50 ms: the p99 is 50, though the fast run is unknown below its 95 %.
  assert.equal(
    mergedP99([
      { ...many, requests: 1 },
      { ...few, requests: 2 },
    ]),
    50,
  );
  assert.equal(mergedP99([]), undefined);
});
