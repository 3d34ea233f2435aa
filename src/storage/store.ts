import type {
  ApiKey,
  Buyer,
  Merchant,
  MerchantClock,
  Refund,
  RequestLogEntry,
  StoredRule,
  Trade,
} from './types.js';
import type {
  NewNotification,
  Notification,
  NotificationAttempt,
  NotificationAttemptResult,
  NotificationFilter,
} from './notification-types.js';
import type { ConsoleAccount, ConsoleSession, NewConsoleAccount } from './console-types.js';

/** Fields a caller supplies to create a merchant; timestamps are set by the store. */
export type NewMerchant = Omit<Merchant, 'createdAt' | 'updatedAt'>;
/** Fields a caller supplies to create a buyer; timestamps are set by the store. */
export type NewBuyer = Omit<Buyer, 'createdAt' | 'updatedAt'>;
/** A buyer without its balances (LedgerTx.findPayerForCode). */
export type Payer = Omit<Buyer, 'balances'>;

/** How a trade is looked up: by the merchant's id or by Alipay's id (which wins when both are given). */
export interface TradeKey {
  partnerTransId?: string | undefined;
  alipayTransId?: string | undefined;
}

/** Filter for listing trades (admin API, console). */
export interface TradeFilter {
  partner?: string;
  status?: string;
  limit?: number;
  /** Opaque cursor: list trades created strictly before this alipayTransId's trade. */
  before?: string;
}

/** Fields a caller supplies to create a rule; hits, seq and timestamps are set by the store. */
export type NewRule = Omit<StoredRule, 'hits' | 'seq' | 'createdAt' | 'updatedAt'>;
/** Fields of a rule that may be replaced. */
export type RulePatch = Partial<Omit<NewRule, 'id' | 'partner'>>;
/** A request log entry before the store numbers it; `diagnosis` may be left out (stored as null). */
export type NewRequestLogEntry = Omit<RequestLogEntry, 'id' | 'diagnosis'> & { diagnosis?: string | null };
/** Fields a caller supplies to create an API key; createdAt is set by the store, lastUsedAt starts null. */
export type NewApiKey = Omit<ApiKey, 'createdAt' | 'lastUsedAt'>;

/** Filter of the request log (admin API, console, toolkit); all given criteria must hold. */
export interface RequestLogFilter {
  partner?: string | undefined;
  service?: string | undefined;
  /** Matches alipayTransId or partnerTransId. */
  tradeId?: string | undefined;
  ruleId?: string | undefined;
  /** Exact outcome label, or a prefix ending in ':' (e.g. `F:`). */
  outcome?: string | undefined;
  since?: Date | undefined;
  until?: Date | undefined;
  /** Entries with an id below this (paging newest first). */
  beforeId?: number | undefined;
  limit?: number | undefined;
}

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

/** Thrown when a create would violate a unique key (e.g. a merchant with an existing partner id). */
export class StoreConflictError extends Error {
  override readonly name = 'StoreConflictError';
}

/**
 * The operations one atomic unit of ledger work may perform. Everything done through one
 * LedgerTx commits together or not at all; rows read "for update" stay locked until the end.
 */
export interface LedgerTx {
  /**
   * Store.findBuyerForCode without the balances: what a spot pay needs (the debit itself checks the
   * balance). Inside the pay's transaction it costs no lock of its own (docs/performance.md).
   */
  findPayerForCode(code: string): Promise<Payer | undefined>;
  getTradeForUpdate(partner: string, key: TradeKey): Promise<Trade | undefined>;
  /** Inserts the trade; returns false (and changes nothing) when (partner, partnerTransId) exists. */
  insertTrade(trade: Trade): Promise<boolean>;
  updateTrade(alipayTransId: string, patch: Partial<Omit<Trade, 'alipayTransId' | 'partner'>>): Promise<void>;
  getBuyerForUpdate(userId: string): Promise<Buyer | undefined>;
  /**
   * Adds deltaMinor (negative to debit) to the buyer's balance in currency. Returns false and
   * changes nothing when the balance would go below zero (a missing balance counts as zero).
   */
  adjustBalance(userId: string, currency: string, deltaMinor: number): Promise<boolean>;
  getRefund(partner: string, partnerRefundId: string): Promise<Refund | undefined>;
  /** Inserts the refund; returns false (and changes nothing) when (partner, partnerRefundId) exists. */
  insertRefund(refund: Refund): Promise<boolean>;
  /** Next value of a named counter shared by every instance on the store (starts at 1). */
  nextSequence(name: string): Promise<number>;
  /** Queues an asynchronous notification; it commits (or not) with the ledger change that caused it. */
  insertNotification(notification: NewNotification): Promise<void>;
}

/** The persistent state of the sandbox. Every implementation passes test/storage/store-contract. */
export interface Store {
  /** Which backend this is, for logs and /readyz. */
  readonly kind: 'sqlite' | 'postgres';

  getMerchant(partner: string): Promise<Merchant | undefined>;
  listMerchants(): Promise<Merchant[]>;
  /** @throws StoreConflictError when the partner exists */
  createMerchant(merchant: NewMerchant): Promise<Merchant>;
  updateMerchant(
    partner: string,
    patch: Partial<Omit<NewMerchant, 'partner'>>,
  ): Promise<Merchant | undefined>;
  /** Deletes the merchant, its API keys and console logins; its trades and refunds stay in the ledger. */
  deleteMerchant(partner: string): Promise<boolean>;

  getBuyer(userId: string): Promise<Buyer | undefined>;
  listBuyers(): Promise<Buyer[]>;
  /** @throws StoreConflictError when the userId or the paymentCode is taken */
  createBuyer(buyer: NewBuyer): Promise<Buyer>;
  /** Replaces the given fields; `balances`, when given, replaces the whole balance map. */
  updateBuyer(userId: string, patch: Partial<Omit<NewBuyer, 'userId'>>): Promise<Buyer | undefined>;
  deleteBuyer(userId: string): Promise<boolean>;
  /** The buyer whose paymentCode equals code, else the default buyer, else undefined. */
  findBuyerForCode(code: string): Promise<Buyer | undefined>;

  getTrade(partner: string, key: TradeKey): Promise<Trade | undefined>;
  listTrades(filter: TradeFilter): Promise<Trade[]>;
  listRefunds(alipayTransId: string): Promise<Refund[]>;

  /** Runs fn atomically; rolls back when fn throws, and rethrows. */
  transaction<T>(fn: (tx: LedgerTx) => Promise<T>): Promise<T>;

  listRules(filter?: { partner?: string | undefined }): Promise<StoredRule[]>;
  getRule(id: string): Promise<StoredRule | undefined>;
  /** @throws StoreConflictError when the id exists */
  createRule(rule: NewRule): Promise<StoredRule>;
  updateRule(id: string, patch: RulePatch): Promise<StoredRule | undefined>;
  deleteRule(id: string): Promise<boolean>;
  /** Sets hits back to 0 and forgets sequence progress (counters named `rule:<id>:…`). */
  resetRuleHits(id: string): Promise<boolean>;
  /**
   * Counts one match of a rule atomically: returns the new hit count, or null when the rule is
   * gone, disabled or its `times` lifetime is used up (two callers never both get the last one).
   */
  consumeRule(id: string): Promise<number | null>;
  /** Increments a named counter shared by every instance and returns its new value (1 first). */
  nextCounter(name: string): Promise<number>;
  /** Bumped on every rule or default-rule switch change, so instances know when to reload. */
  rulesVersion(): Promise<number>;
  /**
   * Calls listener when any instance commits a change of rules, default-rule switches or merchants.
   * PostgreSQL: LISTEN/NOTIFY on a dedicated connection, opened on the first subscription. SQLite:
   * never called (instances poll rulesVersion instead).
   */
  onChange?(listener: (change: StoreChange) => void): StoreSubscription;
  /** For /readyz: the store answers a trivial query and every migration of this version has run. */
  checkReady?(): Promise<StoreReadiness>;

  /** Default rules this merchant switched off (ids). */
  listDisabledDefaultRules(partner: string): Promise<string[]>;
  setDefaultRuleEnabled(partner: string, ruleId: string, enabled: boolean): Promise<void>;

  getMerchantClock(partner: string): Promise<MerchantClock | undefined>;
  setMerchantClock(partner: string, clock: MerchantClock | null): Promise<void>;
  /**
   * getMerchant and getMerchantClock in one statement (the gateway needs both for every request);
   * undefined when there is no such merchant, `clock` undefined when it runs on real time.
   */
  getMerchantWithClock(
    partner: string,
  ): Promise<{ merchant: Merchant; clock: MerchantClock | undefined } | undefined>;

  /** Appends entries in one statement (the gateway batches them). */
  appendRequestLog(entries: NewRequestLogEntry[]): Promise<void>;
  /** Newest first; limit default 50, max 500. */
  listRequestLog(filter: RequestLogFilter): Promise<RequestLogEntry[]>;
  getRequestLogEntry(id: number): Promise<RequestLogEntry | undefined>;
  countRequestLog(filter: RequestLogFilter): Promise<number>;
  /** Deletes all but the newest maxEntries entries and those older than `olderThan`; returns how many. */
  pruneRequestLog(opts: { maxEntries: number; olderThan?: Date | undefined }): Promise<number>;

  /** Forgets one merchant's trades, refunds, rules, default-rule switches, clock, request log and notifications. */
  resetMerchantState(partner: string): Promise<void>;

  /** @throws StoreConflictError when the id or the hash exists */
  createApiKey(key: NewApiKey): Promise<ApiKey>;
  /** One merchant's API keys, oldest first. */
  listApiKeys(partner: string): Promise<ApiKey[]>;
  /** Deletes one key of this merchant; false when it has no key with this id. */
  deleteApiKey(partner: string, id: string): Promise<boolean>;
  /** The key whose secret hashes to keyHash; with `markUsed` its lastUsedAt becomes now. */
  findApiKeyByHash(keyHash: string, opts?: { markUsed?: boolean }): Promise<ApiKey | undefined>;

  /**
   * Claims up to `limit` pending notifications due at `now` for one delivery round, leased until
   * `leaseUntil` under `token`. Atomic: of several instances, one claims each notification. With
   * `perPartner`, no merchant gets more than that many live claims (its deliveries in flight).
   */
  claimDueNotifications(opts: {
    now: Date;
    leaseUntil: Date;
    token: string;
    limit: number;
    perPartner?: number | undefined;
  }): Promise<Notification[]>;
  /** Records the sandbox time an attempt starts (notify_verify counts from it); false when the claim was lost. */
  markNotificationSent(id: string, token: string, sentAt: Date): Promise<boolean>;
  /** Records a finished attempt and the notification's next state; false when the claim was lost. */
  finishNotificationAttempt(id: string, token: string, result: NotificationAttemptResult): Promise<boolean>;
  /** Gives a claimed notification back without an attempt (shutdown mid-delivery). */
  releaseNotificationClaim(id: string, token: string): Promise<void>;
  /** One merchant's notifications, newest first. */
  listNotifications(filter: NotificationFilter): Promise<Notification[]>;
  getNotification(partner: string, id: string): Promise<Notification | undefined>;
  /** The attempts of these notifications, ordered by notification and attempt. */
  listNotificationAttempts(ids: readonly string[]): Promise<NotificationAttempt[]>;
  /** Makes the notification pending and due at `now` (process time); undefined when unknown. */
  resendNotification(partner: string, id: string, now: Date): Promise<Notification | undefined>;
  /** Deletes all but the newest maxEntries finished notifications, with their attempts. */
  pruneNotifications(opts: { maxEntries: number }): Promise<number>;

  /** A named setting shared by every instance (e.g. the sandbox's own RSA key pair). */
  getSetting(name: string): Promise<string | undefined>;
  /** Stores value under name unless one exists; returns the value that is stored now. */
  putSettingIfAbsent(name: string, value: string): Promise<string>;

  /** @throws StoreConflictError when a login with this email exists */
  createConsoleAccount(account: NewConsoleAccount): Promise<ConsoleAccount>;
  /** The web console login with this (lower-case) email. */
  getConsoleAccount(email: string): Promise<ConsoleAccount | undefined>;
  /** One merchant's console logins, by email. */
  listConsoleAccounts(partner: string): Promise<ConsoleAccount[]>;
  /** Replaces a login's password hash; false when there is no such login. */
  setConsoleAccountPassword(email: string, passwordHash: string): Promise<boolean>;
  /** Deletes a login and ends its sessions; false when there was no such login. */
  deleteConsoleAccount(email: string): Promise<boolean>;
  createConsoleSession(session: ConsoleSession): Promise<void>;
  /** The session with this id hash, unless it expired by `now`. */
  getConsoleSession(idHash: string, now: Date): Promise<ConsoleSession | undefined>;
  deleteConsoleSession(idHash: string): Promise<void>;
  /** Ends every session of a login but `keepIdHash` (after a password change). */
  deleteOtherConsoleSessions(email: string, keepIdHash?: string): Promise<void>;
  /** Deletes sessions that expired by `now`; returns how many. */
  pruneConsoleSessions(now: Date): Promise<number>;
  /**
   * Adds `delta` to the sign-in attempts of `key` in the window starting at `windowStart` and returns
   * the new count, atomically across instances; windows older than `forgetBefore` are deleted.
   */
  addLoginAttempts(key: string, windowStart: number, delta: number, forgetBefore: number): Promise<number>;

  /** True when the store has no merchant at all (used to seed the demo accounts). */
  isEmpty(): Promise<boolean>;
  close(): Promise<void>;
}
