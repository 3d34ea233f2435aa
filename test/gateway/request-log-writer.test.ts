import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRequestLogWriter } from '../../src/gateway/request-log-writer.js';
import type { GatewayOutcome } from '../../src/gateway/gateway-outcome.js';
import { openStore } from '../../src/storage/open-store.js';
import type { Store } from '../../src/storage/store.js';

function anOutcome(partner: string): GatewayOutcome {
  return {
    receivedAt: new Date(),
    method: 'GET',
    rawQuery: `partner=${partner}`,
    rawBody: '',
    service: 'alipay.acquire.overseas.query',
    partner,
    charset: 'GBK',
    params: [{ name: 'partner', value: partner, source: 'query' }],
    durationMs: 1,
  };
}

/** The store, with appendRequestLog held until release() while `holding` is set. */
function withHeldAppends(store: Store): { store: Store; hold(): void; release(): void } {
  let gate: { promise: Promise<void>; open: () => void } | undefined;
  const held = new Proxy(store, {
    get(target, prop, receiver): unknown {
      if (prop !== 'appendRequestLog') return Reflect.get(target, prop, receiver) as unknown;
      return async (...args: Parameters<Store['appendRequestLog']>) => {
        await gate?.promise;
        return target.appendRequestLog(...args);
      };
    },
  });
  return {
    store: held,
    hold() {
      let open = () => {};
      const promise = new Promise<void>((resolve) => (open = resolve));
      gate = { promise, open };
    },
    release() {
      gate?.open();
      gate = undefined;
    },
  };
}

describe('request log writer', () => {
  it('keeps at most maxBuffered entries while the store is behind, and says how many it dropped', async () => {
    const store = await openStore('sqlite::memory:');
    const slow = withHeldAppends(store);
    const errors: string[] = [];
    const writer = createRequestLogWriter(
      slow.store,
      { maxEntries: 100_000, batchSize: 10, maxBuffered: 50 },
      (err) => errors.push((err as Error).message),
    );
    try {
      slow.hold();
      // A synchronous burst: the buffer fills to 50 before the first (held) write takes it; 50 are dropped.
      for (let i = 0; i < 100; i++) writer.add(anOutcome('2088000000000001'), { status: 200, body: '' });
      slow.release();
      await writer.flush();
      assert.equal(await store.countRequestLog({ partner: '2088000000000001' }), 50);
      assert.deepEqual(errors, ['request log: 50 entries dropped while the store was behind']);

      writer.add(anOutcome('2088000000000001'), { status: 200, body: '' });
      await writer.flush();
      assert.equal(await store.countRequestLog({ partner: '2088000000000001' }), 51);
      assert.equal(errors.length, 1, 'nothing dropped once the store caught up');
    } finally {
      await writer.close();
      await store.close();
    }
  });
});
