/** What /readyz learns from the store. */
export type StoreReadiness = { ready: true } | { ready: false; reason: string };

/** The store as /readyz and /metrics see it. */
export interface StoreHealth {
  /** For /readyz: the store answers a trivial query and every migration of this version has run. */
  checkReady?(): Promise<StoreReadiness>;
  /**
   * For /metrics: how many batches of spot pays the database refused whole, so that their pays ran
   * again one at a time (docs/deployment.md). Zero when every batch went through.
   */
  payBatchesSplit?(): number;
}
