import type { Trade } from '../ledger/model.js';
import type { TradeKey } from '../ledger/ledger-store.js';
import { createMerchantCache } from './merchant-cache.js';

/**
 * The gateway's plain read of a trade (a query that changes nothing), kept in memory on SQLite, where
 * that read and the read transaction around it were a fifth of a query's CPU (docs/performance-history.md).
 * An entry stands only while the database is as it was read: the cache empties when this connection
 * may begin to change the database (`writeEpoch` moves: a write batch opens), is not used while it may
 * hold changes not yet committed (`writeEpoch` is undefined), and empties when another connection has
 * committed (the store calls `invalidate` when `changedByOthers` says so). A read made while any of
 * that happened is answered but not kept. Callers must not change the trade they are given.
 */
export interface TradeCache {
  /** The trade of partner by key: the kept one, or load()'s, kept when nothing changed meanwhile. */
  get(partner: string, key: TradeKey, load: () => Promise<Trade | undefined>): Promise<Trade | undefined>;
  /** Forgets everything (another connection committed). */
  invalidate(): void;
}

export function createTradeCache(writeEpoch: () => number | undefined): TradeCache {
  // The merchant cache's bounded map and its rule for loads that an invalidation overtook, keyed by
  // the partner and 'a' + alipay_trans_id or 'p' + partner_trans_id (alipay_trans_id wins, as in
  // selectTrade); the partner's length first, so no two keys run together.
  const entries = createMerchantCache<Trade | undefined>();
  entries.setLive(true);
  let epochOfEntries: number | undefined;
  return {
    get(partner, key, load) {
      const epoch = writeEpoch();
      if (epoch !== epochOfEntries) {
        entries.invalidate();
        epochOfEntries = epoch;
      }
      if (epoch === undefined || (key.alipayTransId === undefined && key.partnerTransId === undefined))
        return load();
      const id = key.alipayTransId !== undefined ? `a${key.alipayTransId}` : `p${key.partnerTransId}`;
      return entries.get(`${partner.length}:${partner}${id}`, load);
    },
    invalidate: () => entries.invalidate(),
  };
}
