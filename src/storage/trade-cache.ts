import type { Trade } from '../ledger/model.js';
import type { TradeKey } from '../ledger/ledger-store.js';

/**
 * The gateway's plain read of a trade (a query that changes nothing), kept in memory on SQLite, where
 * that read and the read transaction around it were a fifth of a query's CPU (docs/performance.md).
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

/** At most this many trades are kept; beyond, the cache starts again empty. */
const MAX_ENTRIES = 10_000;

export function createTradeCache(writeEpoch: () => number | undefined): TradeCache {
  // By partner, then by 'a' + alipay_trans_id or 'p' + partner_trans_id (alipay_trans_id wins, as
  // selectTrade's lookup does).
  let entries = new Map<string, Map<string, Trade>>();
  let size = 0;
  let epochOfEntries: number | undefined;
  // Bumped whenever the entries are dropped (an invalidation, a new write epoch seen by a later get):
  // a load that began before may have read an older row, or one of a write not yet committed. A load
  // that no later get overtook is kept under the epoch it began in, and dropped with it.
  let generation = 0;

  function forget(): void {
    generation += 1;
    if (size > 0) {
      entries = new Map();
      size = 0;
    }
  }

  return {
    async get(partner, key, load) {
      const epoch = writeEpoch();
      if (epoch !== epochOfEntries) {
        forget();
        epochOfEntries = epoch;
      }
      const id = key.alipayTransId !== undefined ? `a${key.alipayTransId}` : `p${key.partnerTransId}`;
      if (epoch === undefined || (key.alipayTransId === undefined && key.partnerTransId === undefined))
        return load();
      const kept = entries.get(partner)?.get(id);
      if (kept !== undefined) return kept;
      const startedAt = generation;
      const trade = await load();
      if (trade !== undefined && generation === startedAt) {
        if (size >= MAX_ENTRIES) forget();
        let ofPartner = entries.get(partner);
        if (ofPartner === undefined) {
          ofPartner = new Map<string, Trade>();
          entries.set(partner, ofPartner);
        }
        if (!ofPartner.has(id)) size += 1;
        ofPartner.set(id, trade);
      }
      return trade;
    },
    invalidate: forget,
  };
}
