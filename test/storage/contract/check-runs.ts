import assert from 'node:assert/strict';
import { it } from 'node:test';
import { StoreConflictError } from '../../../src/ports/store-conflict-error.js';
import type { CheckVerdict } from '../../../src/check/check-verdict.js';
import type { NewCheckRun } from '../../../src/check/check-run-store.js';
import { CONTRACT_START, type ContractContext } from './context.js';

const [A, B] = ['2088000000000001', '2088000000000002'];

const run = (
  id: string,
  partner = A,
  at = CONTRACT_START,
  keyedBy: NewCheckRun['keyedBy'] = 'prefix',
): NewCheckRun => ({
  id,
  partner,
  scenarios: ['pay-system-error', 'signatures'],
  keyedBy,
  ruleIds: [`${id}-rule`],
  startedAt: at,
});

const REPORT: CheckVerdict[] = [
  {
    scenario: 'signatures',
    title: 'Every request correctly signed',
    status: 'passed',
    findings: ['2 requests, all correctly signed'],
    expected: 'Sign every request',
    cites: ['docs/protocol.md §3'],
    sandboxReading: null,
    flaggedRequestIds: [],
    evidence: [],
  },
];

/** Check runs: one running per merchant, found per merchant, ended once with their report. */
export function checkRunContract(ctx: ContractContext): void {
  it('stores a running run and reads it back through its merchant only', async () => {
    const store = ctx.store();
    const created = await store.insertCheckRun(run('r1'));
    assert.deepEqual(created, { ...run('r1'), endedAt: null, report: null });
    assert.deepEqual(await store.getCheckRun(A, 'r1'), created);
    assert.equal(await store.getCheckRun(B, 'r1'), undefined);
  });

  it('keeps how a run is keyed', async () => {
    const store = ctx.store();
    await store.insertCheckRun(run('r-amount', A, CONTRACT_START, 'amount'));
    assert.equal((await store.getCheckRun(A, 'r-amount'))?.keyedBy, 'amount');
    assert.equal((await store.listCheckRuns(A))[0]?.keyedBy, 'amount');
  });

  it('refuses a second running run of the same merchant, not of another', async () => {
    const store = ctx.store();
    await store.insertCheckRun(run('r1'));
    await assert.rejects(store.insertCheckRun(run('r2')), StoreConflictError);
    await store.insertCheckRun(run('r3', B));
    assert.equal((await store.listCheckRuns(A)).length, 1);
  });

  it('of two concurrent starts for a merchant exactly one wins', async () => {
    const store = ctx.store();
    const results = await Promise.allSettled([
      store.insertCheckRun(run('r1')),
      store.insertCheckRun(run('r2')),
    ]);
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
  });

  it('ends a run once with its report, after which a new run may start; lists newest first', async () => {
    const store = ctx.store();
    await store.insertCheckRun(run('r1'));
    const end = new Date(CONTRACT_START.getTime() + 60_000);
    const ended = await store.endCheckRun(A, 'r1', end, REPORT);
    assert.deepEqual(ended?.endedAt, end);
    assert.deepEqual(ended?.report, REPORT);
    assert.equal(await store.endCheckRun(A, 'r1', end, []), undefined);
    assert.equal(await store.endCheckRun(B, 'nope', end, []), undefined);
    await store.insertCheckRun(run('r2', A, end));
    assert.deepEqual(
      (await store.listCheckRuns(A)).map((r) => r.id),
      ['r2', 'r1'],
    );
    assert.deepEqual((await store.getCheckRun(A, 'r1'))?.report, REPORT);
  });
}
