// The batcher behind PostgreSQL's spot pays: one batch out at a time, a turn's calls together.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createCallBatcher } from '../../src/storage/call-batcher.js';

/** A runner that doubles numbers after a real wait, and keeps every batch it was given. */
function doubling(waitMs: number, failOn?: number) {
  const batches: number[][] = [];
  let running = 0;
  let mostAtOnce = 0;
  const run = async (items: readonly number[]) => {
    batches.push([...items]);
    running += 1;
    mostAtOnce = Math.max(mostAtOnce, running);
    await new Promise((resolve) => setTimeout(resolve, waitMs));
    running -= 1;
    if (failOn !== undefined && items.includes(failOn)) throw new Error(`no ${failOn}`);
    return items.map((n) => n * 2);
  };
  return { run, batches, mostAtOnce: () => mostAtOnce };
}

describe('createCallBatcher', () => {
  it('sends the calls of one turn as one batch, and answers each call its own result', async () => {
    const runner = doubling(5);
    const call = createCallBatcher(runner.run, 64);
    assert.deepEqual(await Promise.all([1, 2, 3, 4].map(call)), [2, 4, 6, 8]);
    assert.deepEqual(runner.batches, [[1, 2, 3, 4]]);
  });

  it('keeps one batch out at a time; the calls made meanwhile go together in the next', async () => {
    const runner = doubling(30);
    const call = createCallBatcher(runner.run, 64);
    const first = call(1);
    await new Promise((resolve) => setTimeout(resolve, 10));
    const later = [2, 3, 4].map(call);
    assert.deepEqual(await Promise.all([first, ...later]), [2, 4, 6, 8]);
    assert.deepEqual(runner.batches, [[1], [2, 3, 4]]);
    assert.equal(runner.mostAtOnce(), 1);
  });

  it('sends at most maxBatch calls a batch, in the order they were made', async () => {
    const runner = doubling(1);
    const call = createCallBatcher(runner.run, 3);
    const items = [1, 2, 3, 4, 5, 6, 7];
    assert.deepEqual(await Promise.all(items.map(call)), [2, 4, 6, 8, 10, 12, 14]);
    assert.deepEqual(runner.batches, [[1, 2, 3], [4, 5, 6], [7]]);
  });

  it('runs the calls of a failed batch again one by one: only the bad one fails', async () => {
    const runner = doubling(1, 3);
    let splits = 0;
    const call = createCallBatcher(runner.run, 64, () => (splits += 1));
    const results = await Promise.allSettled([1, 2, 3, 4].map(call));
    assert.deepEqual(
      results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message)),
      [2, 4, 'no 3', 8],
    );
    assert.deepEqual(runner.batches[0], [1, 2, 3, 4]);
    assert.deepEqual(runner.batches.slice(1).sort(), [[1], [2], [3], [4]]);
    // Told once, for the batch; the bad call failing alone splits nothing more.
    assert.equal(splits, 1);
  });

  it('goes on after a failure: the next calls are batched again', async () => {
    const runner = doubling(1, 1);
    let splits = 0;
    const call = createCallBatcher(runner.run, 64, () => (splits += 1));
    await assert.rejects(call(1), /no 1/);
    assert.equal(splits, 0, 'a batch of one is not split');
    assert.deepEqual(await Promise.all([5, 6].map(call)), [10, 12]);
    assert.deepEqual(runner.batches.at(-1), [5, 6]);
  });
});
