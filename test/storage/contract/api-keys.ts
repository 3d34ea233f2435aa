import assert from 'node:assert/strict';
import { it } from 'node:test';
import { StoreConflictError } from '../../../src/ports/store-conflict-error.js';
import { aMerchant, anApiKey, aRequestLogEntry } from '../../helpers/store-builders.js';
import { CONTRACT_START, type ContractContext } from './context.js';

const [A, B] = ['2088000000000001', '2088000000000002'];

/** API keys: per merchant, found by hash, deleted alone or with their merchant. */
export function apiKeyContract(ctx: ContractContext): void {
  it('creates a key with createdAt from the clock and no lastUsedAt, and lists it per merchant', async () => {
    const store = ctx.store();
    const created = await store.createApiKey(anApiKey({ partner: A, name: 'first' }));
    assert.deepEqual(created.createdAt, CONTRACT_START);
    assert.equal(created.lastUsedAt, null);
    ctx.clock().advance(1_000);
    const second = await store.createApiKey(anApiKey({ partner: A, name: 'second' }));
    await store.createApiKey(anApiKey({ partner: B }));
    assert.deepEqual(await store.listApiKeys(A), [created, second]);
    assert.equal((await store.listApiKeys(B)).length, 1);
    assert.deepEqual(await store.listApiKeys('2088000000000003'), []);
  });

  it('refuses a second key with the same id or the same hash', async () => {
    const store = ctx.store();
    const key = await store.createApiKey(anApiKey({ partner: A }));
    await assert.rejects(store.createApiKey(anApiKey({ id: key.id })), StoreConflictError);
    await assert.rejects(store.createApiKey(anApiKey({ keyHash: key.keyHash })), StoreConflictError);
  });

  it('finds a key by hash, and records the use only when asked', async () => {
    const store = ctx.store();
    const key = await store.createApiKey(anApiKey({ partner: A }));
    assert.equal(await store.findApiKeyByHash('0'.repeat(64)), undefined);
    assert.equal(await store.findApiKeyByHash('0'.repeat(64), { markUsed: true }), undefined);
    ctx.clock().advance(5_000);
    assert.deepEqual(await store.findApiKeyByHash(key.keyHash), key);
    const used = await store.findApiKeyByHash(key.keyHash, { markUsed: true });
    assert.deepEqual(used, { ...key, lastUsedAt: new Date(CONTRACT_START.getTime() + 5_000) });
    assert.deepEqual(await store.listApiKeys(A), [used]);
  });

  it('deletes a key only through its own merchant', async () => {
    const store = ctx.store();
    const key = await store.createApiKey(anApiKey({ partner: A }));
    assert.equal(await store.deleteApiKey(B, key.id), false);
    assert.equal((await store.findApiKeyByHash(key.keyHash))?.id, key.id);
    assert.equal(await store.deleteApiKey(A, key.id), true);
    assert.equal(await store.deleteApiKey(A, key.id), false);
    assert.equal(await store.findApiKeyByHash(key.keyHash), undefined);
  });

  it('deletes a merchant’s keys with the merchant, and keeps them through a reset', async () => {
    const store = ctx.store();
    await store.createMerchant(aMerchant({ partner: A }));
    await store.createMerchant(aMerchant({ partner: B }));
    const keyA = await store.createApiKey(anApiKey({ partner: A }));
    const keyB = await store.createApiKey(anApiKey({ partner: B }));
    await store.resetMerchantState(A);
    assert.deepEqual(await store.listApiKeys(A), [keyA]);
    assert.equal(await store.deleteMerchant(A), true);
    assert.deepEqual(await store.listApiKeys(A), []);
    assert.equal(await store.findApiKeyByHash(keyA.keyHash), undefined);
    assert.deepEqual(await store.listApiKeys(B), [keyB]);
  });
}

/** The request log's diagnosis column (migration 006). */
export function requestLogDiagnosisContract(ctx: ContractContext): void {
  it('keeps a diagnosis, and stores a missing one as null', async () => {
    const store = ctx.store();
    const { diagnosis: _omitted, ...withoutDiagnosis } = aRequestLogEntry();
    await store.appendRequestLog([
      aRequestLogEntry({ outcome: 'F:ILLEGAL_SIGN', diagnosis: 'most likely a different key' }),
      withoutDiagnosis,
    ]);
    const [plain, refused] = await store.listRequestLog({});
    assert.equal(refused?.diagnosis, 'most likely a different key');
    assert.equal(plain?.diagnosis, null);
  });
}
