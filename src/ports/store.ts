import type { ApiKeys } from './api-keys.js';
import type { ConsoleAccounts } from './console-accounts.js';
import type { LedgerStore } from './ledger-store.js';
import type { NotificationOutbox } from './notification-outbox.js';
import type { RequestLog } from './request-log.js';
import type { RuleStore } from './rule-store.js';
import type { Settings } from './settings.js';

/**
 * A change another instance (or this one) committed: `rules` (rules or default-rule switches),
 * `merchants`, or `resync` (the change feed was interrupted: anything may have changed).
 */
export type StoreChange = 'rules' | 'merchants' | 'resync';

/** A subscription to Store.onChange. */
export interface StoreSubscription {
  /** Resolves once changes are being listened for (at once where there is nothing to listen to). */
  ready: Promise<void>;
  unsubscribe(): void;
}

/** What /readyz learns from the store. */
export type StoreReadiness = { ready: true } | { ready: false; reason: string };

/**
 * The persistent state of the sandbox: every port, as the app is wired with it. Each part depends on
 * the ports it uses; every implementation passes test/storage/store-contract.
 */
export interface Store
  extends LedgerStore, RuleStore, RequestLog, ApiKeys, NotificationOutbox, Settings, ConsoleAccounts {
  /** Which backend this is, for logs and /readyz. */
  readonly kind: 'sqlite' | 'postgres';
  /**
   * Calls listener when any instance commits a change of rules, default-rule switches or merchants.
   * PostgreSQL: LISTEN/NOTIFY on a dedicated connection, opened on the first subscription. SQLite:
   * never called (instances poll rulesVersion instead).
   */
  onChange?(listener: (change: StoreChange) => void): StoreSubscription;
  /** For /readyz: the store answers a trivial query and every migration of this version has run. */
  checkReady?(): Promise<StoreReadiness>;
  /** Forgets one merchant's trades, refunds, rules, default-rule switches, clock, request log and notifications. */
  resetMerchantState(partner: string): Promise<void>;
  close(): Promise<void>;
}
