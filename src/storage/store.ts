import type { ApiKeys } from '../ports/api-keys.js';
import type { CheckRunStore } from '../check/check-run-store.js';
import type { ChangeFeed } from '../ports/change-feed.js';
import type { ConsoleAccounts } from '../ports/console-accounts.js';
import type { LedgerStore } from '../ledger/ledger-store.js';
import type { NotificationOutbox } from '../ports/notification-outbox.js';
import type { RequestLog } from '../ports/request-log.js';
import type { RuleStore } from '../rules/rule-store.js';
import type { Settings } from '../ports/settings.js';
import type { StoreHealth } from '../ports/store-health.js';

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
    ChangeFeed,
    StoreHealth,
    CheckRunStore {
  /** Which backend this is, for logs and /readyz. */
  readonly kind: 'sqlite' | 'postgres';
  /** Forgets one merchant's trades, refunds, rules, default-rule switches, clock, request log and notifications. */
  resetMerchantState(partner: string): Promise<void>;
  close(): Promise<void>;
}
