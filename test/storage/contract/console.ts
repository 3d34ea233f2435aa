import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { ConsoleSession } from '../../../src/ports/console-accounts.js';
import { StoreConflictError } from '../../../src/ports/store-conflict-error.js';
import { aMerchant } from '../../helpers/store-builders.js';
import { CONTRACT_START, type ContractContext } from './context.js';

const [A, B] = ['2088000000000001', '2088000000000002'];
const HOUR = 3_600_000;

function aSession(overrides: Partial<ConsoleSession> = {}): ConsoleSession {
  return {
    idHash: 'a'.repeat(64),
    kind: 'merchant',
    partner: A,
    email: 'a@shop.test',
    operatorRef: null,
    csrfToken: 'csrf-token',
    createdAt: CONTRACT_START,
    expiresAt: new Date(CONTRACT_START.getTime() + HOUR),
    ...overrides,
  };
}

/** Web console logins, sessions and sign-in attempt counters. */
export function consoleContract(ctx: ContractContext): void {
  it('creates a login, finds it by email and per merchant, refuses the same email twice', async () => {
    const store = ctx.store();
    const created = await store.createConsoleAccount({
      email: 'a@shop.test',
      partner: A,
      passwordHash: 'h1',
    });
    assert.deepEqual(created.createdAt, CONTRACT_START);
    await store.createConsoleAccount({ email: 'b@shop.test', partner: B, passwordHash: 'h2' });
    assert.deepEqual(await store.getConsoleAccount('a@shop.test'), created);
    assert.deepEqual(
      (await store.listConsoleAccounts(A)).map((a) => a.email),
      ['a@shop.test'],
    );
    await assert.rejects(
      store.createConsoleAccount({ email: 'a@shop.test', partner: B, passwordHash: 'h3' }),
      StoreConflictError,
    );
  });

  it('sets a new password hash, and deleting a login ends its sessions', async () => {
    const store = ctx.store();
    await store.createConsoleAccount({ email: 'a@shop.test', partner: A, passwordHash: 'h1' });
    ctx.clock().advance(1000);
    assert.equal(await store.setConsoleAccountPassword('a@shop.test', 'h9'), true);
    assert.equal(await store.setConsoleAccountPassword('nobody@shop.test', 'h9'), false);
    const account = await store.getConsoleAccount('a@shop.test');
    assert.equal(account?.passwordHash, 'h9');
    assert.deepEqual(account?.updatedAt, new Date(CONTRACT_START.getTime() + 1000));
    await store.createConsoleSession(aSession());
    assert.equal(await store.deleteConsoleAccount('a@shop.test'), true);
    assert.equal(await store.getConsoleSession('a'.repeat(64), CONTRACT_START), undefined);
    assert.equal(await store.deleteConsoleAccount('a@shop.test'), false);
  });

  it('keeps sessions until they expire, deletes one, the others of a login, or the expired ones', async () => {
    const store = ctx.store();
    const s1 = aSession();
    const s2 = aSession({ idHash: 'b'.repeat(64) });
    const op = aSession({
      idHash: 'c'.repeat(64),
      kind: 'operator',
      partner: null,
      email: null,
      operatorRef: 'loopback',
    });
    for (const s of [s1, s2, op]) await store.createConsoleSession(s);
    assert.deepEqual(await store.getConsoleSession(s1.idHash, CONTRACT_START), s1);
    assert.deepEqual(await store.getConsoleSession(op.idHash, CONTRACT_START), op);
    assert.equal(await store.getConsoleSession(s1.idHash, s1.expiresAt), undefined);
    await store.deleteOtherConsoleSessions('a@shop.test', s1.idHash);
    assert.equal(await store.getConsoleSession(s2.idHash, CONTRACT_START), undefined);
    assert.ok(await store.getConsoleSession(s1.idHash, CONTRACT_START));
    await store.deleteConsoleSession(s1.idHash);
    assert.equal(await store.getConsoleSession(s1.idHash, CONTRACT_START), undefined);
    assert.equal(await store.pruneConsoleSessions(new Date(CONTRACT_START.getTime() + 2 * HOUR)), 1);
  });

  it('deleting a merchant deletes its console logins and sessions', async () => {
    const store = ctx.store();
    await store.createMerchant(aMerchant({ partner: A }));
    await store.createConsoleAccount({ email: 'a@shop.test', partner: A, passwordHash: 'h1' });
    await store.createConsoleSession(aSession());
    await store.deleteMerchant(A);
    assert.equal(await store.getConsoleAccount('a@shop.test'), undefined);
    assert.equal(await store.getConsoleSession(aSession().idHash, CONTRACT_START), undefined);
  });

  it('counts sign-in attempts per key and window atomically, and forgets old windows', async () => {
    const store = ctx.store();
    const counts = await Promise.all(
      Array.from({ length: 8 }, () => store.addLoginAttempts('ip:1', 60_000, 1, 0)),
    );
    assert.deepEqual(
      [...counts].sort((a, b) => a - b),
      [1, 2, 3, 4, 5, 6, 7, 8],
    );
    assert.equal(await store.addLoginAttempts('ip:2', 60_000, 1, 0), 1);
    assert.equal(await store.addLoginAttempts('ip:1', 60_000, -1, 0), 7);
    // A later window starts afresh, and the old one is gone.
    assert.equal(await store.addLoginAttempts('ip:1', 180_000, 1, 120_000), 1);
    assert.equal(await store.addLoginAttempts('ip:1', 60_000, 1, 0), 1);
  });
}
