// A scenario's interleaved slices of one round taken together (bench/combine-slices.ts), and the
// setting that cuts the measured seconds into slices (bench/bench-settings.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { combineSlices, type SliceMeasure } from '../../bench/combine-slices.js';
import { readBenchSettings } from '../../bench/bench-settings.js';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

function slice(over: Partial<SliceMeasure> & { requests: number; p99Ms: number }): SliceMeasure {
  return {
    wrk: {
      requests: over.requests,
      seconds: 2,
      p50Ms: over.p99Ms / 4,
      p99Ms: over.p99Ms,
      errors: 0,
      wrapped: 0,
      wrkCpuSeconds: 0.5,
    },
    serverMicros: 1_900_000,
    threadMicros: new Map([
      ['MainThread', 1_800_000],
      ['V8Worker', 100_000],
    ]),
    core: { processMicros: 1_900_000, totalMicros: 2_000_000 },
    load: [1, 1],
    ...over,
  };
}

test('adds up the slices: the rate and CPU per request of all of them, the worst percentiles', () => {
  const all = combineSlices([
    slice({ requests: 40_000, p99Ms: 3, load: [1.5, 1.6], logLag: { p99Ms: 120, maxMs: 130, polls: 70 } }),
    slice({
      requests: 20_000,
      p99Ms: 9,
      wrk: { requests: 20_000, seconds: 2, p50Ms: 1, p99Ms: 9, errors: 2, wrapped: 5, wrkCpuSeconds: 0.25 },
    }),
    slice({ requests: 30_000, p99Ms: 4, load: [1.7, 1.8], logLag: { p99Ms: 140, maxMs: 145, polls: 60 } }),
  ]);
  assert.equal(all.wrk.requests, 90_000);
  assert.equal(all.wrk.seconds, 6);
  assert.equal(all.wrk.requests / all.wrk.seconds, 15_000);
  // An upper bound of the round's own percentiles: the largest slice's.
  assert.equal(all.wrk.p99Ms, 9);
  assert.equal(all.wrk.p50Ms, 1);
  assert.equal(all.wrk.errors, 2);
  assert.equal(all.wrk.wrapped, 5);
  assert.equal(all.wrk.wrkCpuSeconds, 1.25);
  assert.equal(all.serverMicros, 5_700_000);
  assert.deepEqual(
    [...all.threadMicros],
    [
      ['MainThread', 5_400_000],
      ['V8Worker', 300_000],
    ],
  );
  // 5.7 s of 6 on the core were processes, all of it the server's own.
  assert.equal(all.others, 0);
  assert.deepEqual(all.logLag, { p99Ms: 140, maxMs: 145, polls: 130 });
  assert.deepEqual(all.load, [1.5, 1.8]);
});

test("others on the core over all slices; none counted when a slice's core was not read", () => {
  const busy = slice({
    requests: 10_000,
    p99Ms: 5,
    core: { processMicros: 2_000_000, totalMicros: 2_000_000 },
    serverMicros: 1_200_000,
  });
  const calm = slice({ requests: 10_000, p99Ms: 5 });
  // (2.0 + 1.9 − 1.2 − 1.9) / 4 s = 0.2.
  assert.equal(Number(combineSlices([busy, calm]).others?.toFixed(6)), 0.2);
  assert.equal(combineSlices([busy, { ...calm, core: undefined }]).others, undefined);
  assert.equal(combineSlices([calm]).logLag, undefined);
  assert.throws(() => combineSlices([]), /no slice/);
});

test('the measured seconds are cut into whole-second slices', () => {
  const settings = readBenchSettings({});
  assert.equal(settings.seconds, 8);
  assert.equal(settings.slices, 4);
  assert.equal(readBenchSettings({ BENCH_SECONDS: '6', BENCH_SLICES: '3' }).slices, 3);
  assert.equal(readBenchSettings({ BENCH_SECONDS: '5', BENCH_SLICES: '1' }).slices, 1);
  assert.throws(() => readBenchSettings({ BENCH_SECONDS: '6' }), /whole multiple of BENCH_SLICES/);
  assert.throws(() => readBenchSettings({ BENCH_SLICES: 'x' }), /BENCH_SLICES must be a positive number/);
});

test("with the slices' tails the p99 is that of all their requests, not the worst slice's", () => {
  const withTail = (requests: number, at: (i: number) => number): SliceMeasure => {
    const tailMs = Array.from({ length: 501 }, (_, i) => at(i));
    const s = slice({ requests, p99Ms: tailMs[400] as number });
    return { ...s, wrk: { ...s.wrk, tailMs } };
  };
  const all = combineSlices([withTail(10_000, () => 1), withTail(10_000, (i) => 10 + i)]);
  assert.equal(all.wrk.p99Ms, 310);
});

test('npm run bench with a bad setting says which, without a stack, and starts nothing', () => {
  const run = spawnSync(process.execPath, [fileURLToPath(new URL('../../bench/run.js', import.meta.url))], {
    env: { ...process.env, BENCH_SECONDS: '5', BENCH_SLICES: '4' },
    encoding: 'utf8',
  });
  assert.equal(run.status, 2);
  assert.equal(run.stderr, 'npm run bench: BENCH_SECONDS (5) must be a whole multiple of BENCH_SLICES (4)\n');
  assert.equal(run.stdout, '');
});
