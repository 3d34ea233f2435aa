// The turn-end every gateway answer waits for (src/gateway/end-of-turn.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { endOfTurn } from '../../src/gateway/end-of-turn.js';

test('endOfTurn is one promise for every caller of a turn, resolved only after the turn', async () => {
  const first = endOfTurn();
  assert.equal(endOfTurn(), first, 'callers of the same turn share it');
  let resolved = false;
  void first.then(() => (resolved = true));
  // Microtasks and timers queued before it do not see it resolved: it waits for the check phase.
  for (let i = 0; i < 10; i++) await Promise.resolve();
  assert.equal(resolved, false);
  await first;
  assert.equal(resolved, true);
  const next = endOfTurn();
  assert.notEqual(next, first, 'a call after the turn ended waits for the next one');
  await next;
});

test('endOfTurn resolves in the same loop iteration, before timers set during it', async () => {
  const order: string[] = [];
  // A due timer runs before the check phase; one set now runs in the next iteration, after the answers.
  await new Promise<void>((resolve) => {
    setTimeout(() => {
      void endOfTurn().then(() => {
        order.push('turn end');
        resolve();
      });
      setTimeout(() => order.push('next timer'), 0);
      process.nextTick(() => order.push('tick'));
    }, 0);
  });
  assert.deepEqual(order, ['tick', 'turn end']);
});
