// The share of the server's core that other processes used during a measured window
// (bench/proc-stat.ts otherShare): the core's process time less the server's own.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { coreTimes, coreTimesBetween, otherShare } from '../../bench/proc-stat.js';

test("what the core ran beyond the server's own time, as a share of the window", () => {
  const before = { processMicros: 1_000_000, totalMicros: 10_000_000 };
  // 8 s later: the core ran processes for 7.6 s, the server for 6 s of them.
  const after = { processMicros: 8_600_000, totalMicros: 18_000_000 };
  assert.equal(otherShare(coreTimesBetween(before, after), 6_000_000), 0.2);
  // The server alone: nothing else; read a moment apart, its time may pass the core's: never below 0.
  assert.equal(otherShare(coreTimesBetween(before, after), 7_600_000), 0);
  assert.equal(otherShare(coreTimesBetween(before, after), 7_700_000), 0);
  // No time passed: nothing to share.
  assert.equal(otherShare(coreTimesBetween(before, before), 0), 0);
});

test(
  'reads a core of this machine from /proc/stat',
  { skip: process.platform !== 'linux' && 'reads /proc/stat' },
  () => {
    const first = coreTimes(0);
    assert.ok(first.totalMicros > 0 && first.processMicros <= first.totalMicros, JSON.stringify(first));
    assert.throws(() => coreTimes(100_000), /has no cpu100000/);
  },
);
