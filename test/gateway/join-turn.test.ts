// When a gateway answer leaves (src/gateway/join-turn.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { joinTurn } from '../../src/gateway/join-turn.js';

/** Resolves after every setImmediate queued before it (they run in order): after the turn's end. */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

test('answers ready in the turn their requests arrived in leave together at its end, in order', async () => {
  const sent: string[] = [];
  const first = joinTurn();
  const second = joinTurn();
  second(() => sent.push('second'));
  first(() => sent.push('first'));
  // Microtasks and nextTicks of the turn run before its end: nothing has left yet.
  for (let i = 0; i < 10; i++) await Promise.resolve();
  await new Promise<void>((resolve) => process.nextTick(resolve));
  assert.deepEqual(sent, []);
  await nextTurn();
  assert.deepEqual(sent, ['second', 'first']);
});

test('an answer ready after its turn ended leaves at once', async () => {
  const deliver = joinTurn();
  await nextTurn();
  let sent = false;
  deliver(() => (sent = true));
  assert.equal(sent, true);
});

test('a request of a later turn waits for that turn, not for the one before', async () => {
  const sent: string[] = [];
  const early = joinTurn();
  await nextTurn();
  const late = joinTurn();
  late(() => sent.push('late'));
  early(() => sent.push('early'));
  assert.deepEqual(sent, ['early']);
  await nextTurn();
  assert.deepEqual(sent, ['early', 'late']);
});

test('answers of a turn leave before a timer set during it', async () => {
  const order: string[] = [];
  await new Promise<void>((resolve) => {
    setTimeout(() => {
      joinTurn()(() => order.push('answer'));
      setTimeout(() => {
        order.push('next timer');
        resolve();
      }, 0);
    }, 0);
  });
  assert.deepEqual(order, ['answer', 'next timer']);
});
