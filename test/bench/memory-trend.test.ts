// The soak's verdict on resident memory (bench/memory-trend.ts): a slope over the samples after the
// warm-up, so a leak of a few MB a minute shows even when the readings are noisy.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { memoryTrend } from '../../bench/memory-trend.js';

const MB = 2 ** 20;
/** A reading every 30 s for 10 minutes, from bytesAt(seconds). */
const soak = (bytesAt: (seconds: number) => number) =>
  Array.from({ length: 20 }, (_, i) => ({ seconds: (i + 1) * 30, bytes: bytesAt((i + 1) * 30) }));

test('a step during the warm-up, then readings within a band, is flat', () => {
  // 240 MB for two minutes, then 330 MB ± 5: the shape of V8 sizing its old generation.
  const trend = memoryTrend(
    soak((s) => (s < 120 ? 240 * MB : (330 + ((s / 30) % 2 === 0 ? 5 : -5)) * MB)),
    150,
  );
  assert.ok(trend);
  assert.equal(trend.samples, 16);
  assert.equal(trend.min, 325 * MB);
  assert.equal(trend.max, 335 * MB);
  assert.ok(trend.flat, `change ${trend.change}`);
  assert.ok(Math.abs(trend.bytesPerMinute) < 0.5 * MB, `slope ${trend.bytesPerMinute / MB} MB/min`);
  // Taken over the whole run, the step is a rise.
  assert.equal(
    memoryTrend(
      soak((s) => (s < 120 ? 240 : 330) * MB),
      0,
    )?.flat,
    false,
  );
});

test('a steady rise of 3 MB a minute after the warm-up is not flat, through noise', () => {
  const trend = memoryTrend(
    soak((s) => (300 + (3 * s) / 60 + ((s / 30) % 3) * 4) * MB),
    150,
  );
  assert.ok(trend);
  assert.ok(Math.abs(trend.bytesPerMinute / MB - 3) < 1, `slope ${trend.bytesPerMinute / MB} MB/min`);
  assert.equal(trend.flat, false);
  assert.ok(trend.change > 0.05 && trend.change < 0.1, `change ${trend.change}`);
});

test('fewer than three readings after the warm-up give no verdict', () => {
  assert.equal(memoryTrend(soak(() => 300 * MB).slice(0, 6), 150), undefined);
});
