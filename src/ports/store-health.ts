/** What /readyz learns from the store. */
export type StoreReadiness = { ready: true } | { ready: false; reason: string };

/** The store as /readyz sees it. */
export interface StoreHealth {
  /** For /readyz: the store answers a trivial query and every migration of this version has run. */
  checkReady?(): Promise<StoreReadiness>;
}
