import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pickDelayMs } from '../../src/rules/pick-delay.js';

test('a fixed delay is exactly its ms', () => {
  assert.equal(pickDelayMs({ type: 'fixed', ms: 1500 }), 1500);
});

test('a uniform delay stays within its bounds, both ends included', () => {
  const delay = { type: 'uniform', minMs: 100, maxMs: 200 } as const;
  assert.equal(
    pickDelayMs(delay, () => 0),
    100,
  );
  assert.equal(
    pickDelayMs(delay, () => 0.999999),
    200,
  );
  for (let i = 0; i < 1000; i += 1) {
    const ms = pickDelayMs(delay);
    assert.ok(ms >= 100 && ms <= 200, String(ms));
  }
});

test('a log-normal delay is its median when the normal sample is 0', () => {
  // u2 = 0.25 makes cos(2πu2) = 0, so the Box–Muller sample is 0 and the result the median.
  const values = [0.5, 0.25];
  assert.equal(
    pickDelayMs({ type: 'lognormal', medianMs: 2000, sigma: 1 }, () => values.shift() ?? 0),
    2000,
  );
});

test('a log-normal delay is positive and never above 120 000 ms', () => {
  for (let i = 0; i < 1000; i += 1) {
    const ms = pickDelayMs({ type: 'lognormal', medianMs: 100_000, sigma: 3 });
    assert.ok(ms >= 0 && ms <= 120_000, String(ms));
  }
  assert.equal(
    pickDelayMs({ type: 'lognormal', medianMs: 100_000, sigma: 3 }, () => 0.999999999),
    120_000,
  );
});

test('delays are whole milliseconds', () => {
  assert.ok(Number.isInteger(pickDelayMs({ type: 'uniform', minMs: 0, maxMs: 7 }, () => 0.3333)));
});
