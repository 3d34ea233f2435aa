import type { Clock } from '../clock.js';
import type { RequestLogWriter } from '../gateway/request-log-writer.js';
import type { AlipayKeys } from '../protocol/alipay-keys.js';
import type { LedgerPolicy } from '../ledger/trade-lifecycle.js';
import type { NotificationQueue } from '../notify/notification-queue.js';
import type { RuleEngine } from '../rules/rule-engine.js';
import type { Store } from '../storage/store.js';

/** What the console is built from: the same store, rule engine and request log as the admin API. */
export interface ConsoleDeps {
  store: Store;
  clock: Clock;
  rules: RuleEngine;
  requestLog: RequestLogWriter;
  alipayKeys: AlipayKeys;
  adminToken: string | undefined;
  /** Host names the tokenless operator may use besides loopback ones (--allowed-hosts). */
  allowedHosts?: readonly string[] | undefined;
  policy: LedgerPolicy;
  /** Queues the notifications of forced and time-driven trade changes, as the gateway does. */
  notifications?: NotificationQueue | undefined;
}
