import type { Kysely } from 'kysely';
import type { Clock } from '../clock.js';
import { endCheckRunRow, insertCheckRunRow, selectCheckRun, selectCheckRuns } from './check-run-queries.js';
import {
  deleteApiKeyRow,
  deleteApiKeysOf,
  insertApiKey,
  selectApiKeyByHash,
  selectApiKeys,
} from './api-key-queries.js';
import {
  deleteBuyerRow,
  insertBuyer,
  selectBuyer,
  selectBuyerForCode,
  selectBuyers,
  updateBuyerRow,
} from './buyer-queries.js';
import { selectDisabledDefaultRules, setDefaultRuleSwitch } from './default-rule-switch-queries.js';
import {
  addLoginAttempt,
  deleteConsoleAccountRow,
  deleteConsoleAccountsOf,
  deleteConsoleSessionRow,
  deleteOtherConsoleSessions,
  insertConsoleAccount,
  insertConsoleSession,
  pruneConsoleSessionRows,
  selectConsoleAccount,
  selectConsoleAccounts,
  selectConsoleSession,
  updateConsoleAccountPassword,
} from './console-queries.js';
import { createCallBatcher } from './call-batcher.js';
import { createChangeHub } from './change-hub.js';
import { createMerchantCache } from './merchant-cache.js';
import type { StoreSubscription } from '../ports/change-feed.js';
import type {
  LedgerTx,
  MerchantWithClock,
  PayNewTradeOutcome,
  TradeKey,
  UnnumberedTrade,
} from '../ledger/ledger-store.js';
import type { Trade } from '../ledger/model.js';
import { createLedgerTx } from './ledger-tx.js';
import { pendingMigrations } from './migrate.js';
import { payNewTradesCall } from './pay-new-trades-call.js';
import { payNewTradesSteps } from './pay-new-trades-steps.js';
import {
  selectMerchantClock,
  selectMerchantWithClock,
  upsertMerchantClock,
} from './merchant-clock-queries.js';
import {
  deleteMerchantRow,
  insertMerchant,
  selectMerchant,
  selectMerchants,
  updateMerchantRow,
} from './merchant-queries.js';
import { deleteMerchantState } from './merchant-reset-queries.js';
import {
  claimDueNotificationRows,
  finishNotificationAttemptRows,
  markNotificationSentRow,
  pruneNotificationRows,
  releaseNotificationClaimRow,
  resendNotificationRow,
  selectNotification,
  selectNotificationAttempts,
  selectNotifications,
} from './notification-queries.js';
import { selectRefunds } from './refund-queries.js';
import { selectMerchantQr } from './merchant-qr-queries.js';
import type { RequestLogStore } from './request-log-store.js';
import {
  consumeRuleRow,
  deleteRuleRow,
  insertRule,
  resetRuleHitsRow,
  selectRule,
  selectRules,
  updateRuleRow,
} from './rule-queries.js';
import type { Database } from './schema.js';
import { nextSequenceValue, RULES_VERSION_COUNTER, selectSequenceValue } from './sequence-queries.js';
import { insertSettingIfAbsent, selectSetting } from './setting-queries.js';
import { StoreConflictError } from '../ports/store-conflict-error.js';
import type { Store } from './store.js';
import type { StoreDialect } from './store-dialect.js';
import { selectTrade, selectTrades } from './trade-queries.js';
import { createTradeCache } from './trade-cache.js';

/**
 * The most spot pays one batch takes: on PostgreSQL a batch holds the sequence row, and the balance
 * rows of its payers, until its commit, and the next batch waits for them.
 */
const MAX_PAYS_A_BATCH = 64;

/**
 * The Store over a migrated Kysely database; one implementation for every dialect. The request log
 * is kept by requestLog (in db itself, or elsewhere: open-store.ts decides), and closed with the store.
 */
export function createKyselyStore(
  db: Kysely<Database>,
  dialect: StoreDialect,
  clock: Clock,
  requestLog: RequestLogStore,
): Store {
  /** Runs fn in a transaction at the dialect's isolation level (READ COMMITTED on PostgreSQL). */
  function inTransaction<T>(fn: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
    const builder = db.transaction();
    const level = dialect.isolationLevel;
    return (level === undefined ? builder : builder.setIsolationLevel(level)).execute(fn);
  }

  /** Pays new trades in order: one call of pay_new_trades on PostgreSQL, one query a step on SQLite. */
  const payTrades = dialect.kind === 'postgres' ? payNewTradesCall : payNewTradesSteps;

  /**
   * The pays of a turn, and those made while a batch is out, commit together: on PostgreSQL the
   * function is its own transaction; on SQLite the batch is one savepoint of the turn's commit.
   */
  let payBatchesSplit = 0;
  const payTogether = createCallBatcher(
    (trades: readonly UnnumberedTrade[]) =>
      dialect.kind === 'postgres' ? payTrades(db, trades) : inTransaction((trx) => payTrades(trx, trades)),
    MAX_PAYS_A_BATCH,
    () => (payBatchesSplit += 1),
  );

  /** LedgerStore.payNewTrade: with something to commit with it, in a transaction of its own. */
  function payNewTrade(
    trade: UnnumberedTrade,
    alsoCommit?: (tx: LedgerTx, paid: Trade) => Promise<void>,
  ): Promise<PayNewTradeOutcome> {
    if (alsoCommit === undefined) return payTogether(trade);
    return inTransaction(async (trx) => {
      const outcome = (await payTrades(trx, [trade]))[0]!;
      if (outcome.kind === 'paid') await alsoCommit(createLedgerTx(trx, dialect), outcome.trade);
      return outcome;
    });
  }

  /** Turns the dialect's unique violation into StoreConflictError with a message for humans. */
  async function conflictAs<T>(message: string, work: Promise<T>): Promise<T> {
    try {
      return await work;
    } catch (err) {
      if (dialect.isUniqueViolation(err)) throw new StoreConflictError(message, { cause: err });
      throw err;
    }
  }

  const changes = createChangeHub(dialect);

  // The gateway reads a merchant and its clock on every request (merchant-cache.ts): on PostgreSQL a
  // round trip, on SQLite 5–18 µs of the answering thread (in a pay's write batch the turn's snapshot
  // does not answer it). Other instances' changes reach the cache through PostgreSQL's change feed, or,
  // on SQLite, through the file's data version, checked before every read of the cache.
  const merchants =
    dialect.listenForChanges || dialect.changedByOthers
      ? createMerchantCache<MerchantWithClock | undefined>()
      : undefined;
  // SQLite's data version is always there to ask; PostgreSQL's cache goes live once its feed listens.
  if (dialect.changedByOthers) merchants?.setLive(true);
  let merchantFeed: StoreSubscription | undefined;
  // On SQLite the gateway's plain reads of trades are kept too (trade-cache.ts): the file's data
  // version says when another instance committed, the driver's write epoch when this one writes.
  const trades =
    dialect.changedByOthers && dialect.writeEpoch
      ? createTradeCache(() => dialect.writeEpoch?.())
      : undefined;
  /** Empties the SQLite caches when another connection has committed since this turn's last look. */
  function forgetOthersChanges(): void {
    if (dialect.changedByOthers?.()) {
      merchants?.invalidate();
      trades?.invalidate();
    }
  }
  function cachedTrade(partner: string, key: TradeKey): Promise<Trade | undefined> {
    const load = () => selectTrade(db, partner, key);
    if (trades === undefined) return load();
    forgetOthersChanges();
    return trades.get(partner, key, load);
  }
  function cachedMerchantWithClock(partner: string): Promise<MerchantWithClock | undefined> {
    const load = () => selectMerchantWithClock(db, partner);
    if (merchants === undefined) return load();
    if (dialect.changedByOthers) {
      forgetOthersChanges();
    } else if (merchantFeed === undefined) {
      // Opened on the first read, so stores that never serve the gateway open no LISTEN connection.
      const feed = changes.subscribe((change) => {
        if (change === 'lost') merchants.setLive(false);
        else if (change === 'resync') merchants.setLive(true);
        else if (change === 'merchants') merchants.invalidate();
      });
      merchantFeed = feed;
      void feed.ready.then(() => {
        if (merchantFeed === feed) merchants.setLive(true);
      });
    }
    return merchants.get(partner, load);
  }
  /** This instance's own change of a merchant or clock: the cache forgets it before the caller goes on. */
  async function changingMerchants<T>(work: Promise<T>): Promise<T> {
    try {
      return await work;
    } finally {
      merchants?.invalidate();
    }
  }

  return {
    kind: dialect.kind,

    getMerchant: (partner) => selectMerchant(db, partner),
    listMerchants: () => selectMerchants(db),
    createMerchant: (merchant) =>
      changingMerchants(
        conflictAs(`merchant ${merchant.partner} already exists`, insertMerchant(db, merchant, clock.now())),
      ),
    updateMerchant: (partner, patch) => changingMerchants(updateMerchantRow(db, partner, patch, clock.now())),
    // Its API keys and console logins go with it, so a merchant created again under the same id starts
    // without either.
    deleteMerchant: (partner) =>
      changingMerchants(
        inTransaction(async (trx) => {
          await deleteApiKeysOf(trx, partner);
          await deleteConsoleAccountsOf(trx, partner);
          return deleteMerchantRow(trx, partner);
        }),
      ),

    getBuyer: (userId) => selectBuyer(db, userId),
    listBuyers: () => selectBuyers(db),
    createBuyer: (buyer) =>
      conflictAs(
        `buyer ${buyer.userId} or payment code ${buyer.paymentCode ?? '(none)'} already exists`,
        inTransaction((trx) => insertBuyer(trx, buyer, clock.now())),
      ),
    updateBuyer: (userId, patch) =>
      conflictAs(
        `payment code ${patch.paymentCode ?? '(none)'} is taken by another buyer`,
        inTransaction((trx) => updateBuyerRow(trx, userId, patch, clock.now())),
      ),
    deleteBuyer: (userId) => deleteBuyerRow(db, userId),
    findBuyerForCode: (code) => selectBuyerForCode(db, code),

    getTrade: cachedTrade,
    listTrades: (filter) => selectTrades(db, filter),
    listRefunds: (alipayTransId) => selectRefunds(db, alipayTransId),
    getMerchantQr: (partner, id) => selectMerchantQr(db, partner, id),

    payNewTrade,
    payBatchesSplit: () => payBatchesSplit,
    transaction: (fn) => inTransaction((trx) => fn(createLedgerTx(trx, dialect))),

    listRules: (filter) => selectRules(db, filter?.partner),
    getRule: (id) => selectRule(db, id),
    createRule: (rule) =>
      conflictAs(
        `rule ${rule.id} already exists`,
        inTransaction((trx) => insertRule(trx, rule, clock.now())),
      ),
    updateRule: (id, patch) => inTransaction((trx) => updateRuleRow(trx, id, patch, clock.now())),
    deleteRule: (id) => inTransaction((trx) => deleteRuleRow(trx, id)),
    resetRuleHits: (id) => inTransaction((trx) => resetRuleHitsRow(trx, id)),
    consumeRule: (id) => consumeRuleRow(db, id),
    nextCounter: (name) => nextSequenceValue(db, name),
    rulesVersion: () => selectSequenceValue(db, RULES_VERSION_COUNTER),
    onChange: (listener) => changes.subscribe(listener),
    async checkReady() {
      const pending = await pendingMigrations(db, dialect.kind);
      return pending.length === 0
        ? { ready: true }
        : { ready: false, reason: `migrations not applied: ${pending.join(', ')}` };
    },

    listDisabledDefaultRules: (partner) => selectDisabledDefaultRules(db, partner),
    setDefaultRuleEnabled: (partner, ruleId, enabled) =>
      inTransaction((trx) => setDefaultRuleSwitch(trx, partner, ruleId, enabled)),

    getMerchantClock: (partner) => selectMerchantClock(db, partner),
    setMerchantClock: (partner, merchantClock) =>
      changingMerchants(upsertMerchantClock(db, partner, merchantClock)),
    getMerchantWithClock: cachedMerchantWithClock,

    appendRequestLog: (entries, opts) => requestLog.append(entries, opts?.maxEntries),
    newRequestLogBatch: () => requestLog.newBatch(),
    listRequestLog: (filter) => requestLog.list(filter),
    getRequestLogEntry: (id) => requestLog.get(id),
    countRequestLog: (filter) => requestLog.count(filter),
    pruneRequestLog: (opts) => requestLog.prune(opts),

    // The log may live in another database: its entries go once the ledger's part has committed.
    async resetMerchantState(partner) {
      await changingMerchants(inTransaction((trx) => deleteMerchantState(trx, partner)));
      await requestLog.deleteOf(partner);
    },

    insertCheckRun: (run) =>
      conflictAs(`merchant ${run.partner} already has a running check run`, insertCheckRunRow(db, run)),
    getCheckRun: (partner, id) => selectCheckRun(db, partner, id),
    listCheckRuns: (partner, limit) => selectCheckRuns(db, partner, limit),
    endCheckRun: (partner, id, endedAt, report) => endCheckRunRow(db, partner, id, endedAt, report),

    createApiKey: (key) => conflictAs(`API key ${key.id} already exists`, insertApiKey(db, key, clock.now())),
    listApiKeys: (partner) => selectApiKeys(db, partner),
    deleteApiKey: (partner, id) => deleteApiKeyRow(db, partner, id),
    findApiKeyByHash: (keyHash, opts) =>
      selectApiKeyByHash(db, keyHash, opts?.markUsed ? clock.now() : undefined),

    claimDueNotifications: (opts) => claimDueNotificationRows(db, opts),
    markNotificationSent: (id, token, sentAt) => markNotificationSentRow(db, id, token, sentAt),
    finishNotificationAttempt: (id, token, result) =>
      inTransaction((trx) => finishNotificationAttemptRows(trx, id, token, result)),
    releaseNotificationClaim: (id, token) => releaseNotificationClaimRow(db, id, token),
    listNotifications: (filter) => selectNotifications(db, filter),
    getNotification: (partner, id) => selectNotification(db, partner, id),
    listNotificationAttempts: (ids) => selectNotificationAttempts(db, ids),
    resendNotification: (partner, id, now) => resendNotificationRow(db, partner, id, now),
    pruneNotifications: ({ maxEntries }) => inTransaction((trx) => pruneNotificationRows(trx, maxEntries)),

    createConsoleAccount: (account) =>
      conflictAs(
        `console login ${account.email} already exists`,
        insertConsoleAccount(db, account, clock.now()),
      ),
    getConsoleAccount: (email) => selectConsoleAccount(db, email),
    listConsoleAccounts: (partner) => selectConsoleAccounts(db, partner),
    setConsoleAccountPassword: (email, passwordHash) =>
      updateConsoleAccountPassword(db, email, passwordHash, clock.now()),
    deleteConsoleAccount: (email) => inTransaction((trx) => deleteConsoleAccountRow(trx, email)),
    createConsoleSession: (session) => insertConsoleSession(db, session),
    getConsoleSession: (idHash, now) => selectConsoleSession(db, idHash, now),
    deleteConsoleSession: (idHash) => deleteConsoleSessionRow(db, idHash),
    deleteOtherConsoleSessions: (email, keepIdHash) => deleteOtherConsoleSessions(db, email, keepIdHash),
    pruneConsoleSessions: (now) => pruneConsoleSessionRows(db, now),
    addLoginAttempts: (key, windowStart, delta, forgetBefore) =>
      addLoginAttempt(db, key, windowStart, delta, forgetBefore),

    getSetting: (name) => selectSetting(db, name),
    putSettingIfAbsent: (name, value) => insertSettingIfAbsent(db, name, value),

    async isEmpty() {
      const row = await db.selectFrom('merchants').select('partner').limit(1).executeTakeFirst();
      return row === undefined;
    },
    async close() {
      merchants?.setLive(false);
      await changes.close();
      await requestLog.close();
      await db.destroy();
    },
  };
}
