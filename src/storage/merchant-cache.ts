/**
 * The gateway's read of a merchant and its clock, kept in memory on PostgreSQL, where that read is a
 * round trip on every request (docs/deployment.md, "Caches"). An entry is used only while the store's
 * change feed is listening: every committed change of a merchant or a clock, by any instance, reaches
 * every instance through it (triggers of migrations 007 and 014) and drops the whole cache; this
 * instance's own changes drop it when they return, before their caller goes on. When the feed's
 * connection breaks, the cache is off (every read goes to the database) until it listens again.
 * On SQLite the trade cache keeps its trades in one too (trade-cache.ts).
 */
export interface MerchantCache<T> {
  /** The cached value for partner, or load()'s, kept when nothing changed while it was loading. */
  get(partner: string, load: () => Promise<T>): Promise<T>;
  /** Forgets everything (a change was committed). */
  invalidate(): void;
  /** Whether the change feed is listening; the cache is used only while it is. */
  setLive(live: boolean): void;
}

/** At most this many merchants are kept; beyond, the cache starts again empty (a sandbox has few). */
const MAX_ENTRIES = 10_000;

export function createMerchantCache<T>(): MerchantCache<T> {
  const entries = new Map<string, T>();
  let live = false;
  // Bumped by every invalidation: a load that began before one may have read the old row.
  let generation = 0;
  return {
    async get(partner, load) {
      if (!live) return load();
      if (entries.has(partner)) return entries.get(partner) as T;
      const startedAt = generation;
      const value = await load();
      if (live && generation === startedAt) {
        if (entries.size >= MAX_ENTRIES) entries.clear();
        entries.set(partner, value);
      }
      return value;
    },
    invalidate() {
      generation += 1;
      entries.clear();
    },
    setLive(next) {
      generation += 1;
      entries.clear();
      live = next;
    },
  };
}
