import type { ApiKeys } from './api-keys.js';
import type { ChangeFeed } from './change-feed.js';
import type { ConsoleAccounts } from './console-accounts.js';
import type { LedgerStore } from './ledger-store.js';
import type { NotificationOutbox } from './notification-outbox.js';
import type { RequestLog } from './request-log.js';
import type { RuleStore } from './rule-store.js';
import type { Settings } from './settings.js';

/** What /readyz learns from the store. */
export type StoreReadiness = { ready: true } | { ready: false; reason: string };

/**
 * The persistent state of the sandbox: every port, as the app is wired with it. Each part depends on
 * the ports it uses; every implementation passes test/storage/store-contract.
 */
export interface Store
  extends
    LedgerStore,
    RuleStore,
    RequestLog,
    ApiKeys,
    NotificationOutbox,
    Settings,
    ConsoleAccounts,
    ChangeFeed {
  /** Which backend this is, for logs and /readyz. */
  readonly kind: 'sqlite' | 'postgres';
  /** For /readyz: the store answers a trivial query and every migration of this version has run. */
  checkReady?(): Promise<StoreReadiness>;
  /** Forgets one merchant's trades, refunds, rules, default-rule switches, clock, request log and notifications. */
  resetMerchantState(partner: string): Promise<void>;
  close(): Promise<void>;
}
