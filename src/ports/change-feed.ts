/**
 * A change another instance (or this one) committed: `rules` (rules or default-rule switches),
 * `merchants` (a merchant or its sandbox clock), `lost` (the feed's connection broke: changes are not
 * heard until `resync`), or `resync` (the feed listens again after an interruption: anything may have
 * changed meanwhile).
 */
export type StoreChange = 'rules' | 'merchants' | 'lost' | 'resync';

/** A subscription to Store.onChange. */
export interface StoreSubscription {
  /** Resolves once changes are being listened for (at once where there is nothing to listen to). */
  ready: Promise<void>;
  unsubscribe(): void;
}

/** How instances learn of each other's committed changes (rules, default-rule switches, merchants). */
export interface ChangeFeed {
  /**
   * Calls listener when any instance commits a change of rules, default-rule switches, merchants or
   * merchant clocks, and when the feed is lost or back.
   * PostgreSQL: LISTEN/NOTIFY on a dedicated connection, opened on the first subscription. SQLite:
   * never called (instances poll rulesVersion instead).
   */
  onChange?(listener: (change: StoreChange) => void): StoreSubscription;
}
