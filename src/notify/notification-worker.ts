import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock.js';
import { createHttpAgents } from '../client/http-exchange.js';
import type { AlipayKeys } from '../protocol/alipay-keys.js';
import type { LedgerPolicy } from '../ledger/trade-lifecycle.js';
import type { LedgerStore } from '../ledger/ledger-store.js';
import type { Notification, NotificationOutbox } from '../ports/notification-outbox.js';
import { deliverNotification, type DeliveryContext } from './deliver-notification.js';
import type { NotificationQueue } from './notification-queue.js';
import type { NotifyAllow } from './notify-allow.js';
import { settleDueTrades } from './settle-due-trades.js';

/** Settings of the delivery worker. */
export interface NotificationWorkerOptions {
  store: NotificationOutbox & LedgerStore;
  /** The process clock: when attempts are due. */
  clock: Clock;
  alipayKeys: AlipayKeys;
  policy: LedgerPolicy;
  notifications: NotificationQueue;
  /** Waits between attempts, in ms. */
  schedule: readonly number[];
  /** Per-attempt HTTP timeout. */
  timeoutMs: number;
  /** Hosts and addresses notifications may go to (--notify-allow). */
  allow: NotifyAllow;
  /** How often the outbox is polled for due notifications (other instances queue too). */
  pollMs?: number;
  /** How often unpaid trades are checked for a due resolution or auto-close. */
  sweepMs?: number;
  /** Deliveries in flight at most, per instance. */
  concurrency?: number;
  /** Deliveries of one merchant in flight at most, across instances: its slow receivers cannot hold every worker. */
  perMerchant?: number;
  /** Finished notifications kept in the outbox. */
  maxEntries: number;
  onError: (err: unknown) => void;
}

/** Delivers queued notifications in the background; one per app, started with it, stopped on close. */
export interface NotificationWorker {
  start(): void;
  /** Look for due work now instead of at the next poll. */
  kick(): void;
  /**
   * Works now until nothing is due: settles due trades, claims and delivers, waits for those
   * deliveries, again while a round found something (tests, the in-process sandbox).
   */
  runOnce(): Promise<void>;
  /** Settles due unpaid trades (of one merchant, or all) now, queueing their notifications. */
  settleDueTrades(partner?: string): Promise<number>;
  /** Stops polling, cuts deliveries in flight short (they stay pending, with no attempt counted) and waits for them. */
  close(): Promise<void>;
}

/** A claim outlives the attempt's timeout by this much before another instance may take it over. */
const LEASE_MARGIN_MS = 30_000;
const PRUNE_EVERY_MS = 60_000;
const MAX_DRAIN_ROUNDS = 50;
/** A merchant's share of the delivery workers (of 8 per instance by default). */
export const DEFAULT_PER_MERCHANT = 2;

/** Creates the worker (not started). */
export function createNotificationWorker(opts: NotificationWorkerOptions): NotificationWorker {
  const { store, clock } = opts;
  const pollMs = opts.pollMs ?? 200;
  const sweepMs = opts.sweepMs ?? 1000;
  const concurrency = opts.concurrency ?? 8;
  const perMerchant = opts.perMerchant ?? DEFAULT_PER_MERCHANT;
  const agents = createHttpAgents();
  let closing = false;
  let timer: NodeJS.Timeout | undefined;
  let lastSweep = 0;
  let lastPrune = Date.now();
  let round: Promise<void> | undefined;
  let again = false;
  /** How many notifications the latest round claimed. */
  let lastClaimed = 0;
  /** Deliveries in flight, by trade: one trade's notifications go out one at a time, in queueing order. */
  const inFlight = new Map<string, Promise<void>>();

  const ctx: DeliveryContext = {
    store,
    clock,
    alipayKeys: opts.alipayKeys,
    schedule: opts.schedule,
    timeoutMs: opts.timeoutMs,
    agents,
    allow: opts.allow,
    isClosing: () => closing,
  };
  const settleCtx = { store, clock, policy: opts.policy, notifications: opts.notifications };

  function deliver(n: Notification, token: string, tradeKey: string): void {
    const done = deliverNotification(ctx, n, token)
      .catch(async (err: unknown) => {
        opts.onError(err);
        await store.releaseNotificationClaim(n.id, token).catch(opts.onError);
      })
      .finally(() => {
        inFlight.delete(tradeKey);
        // A finished notification may release held ones (out_of_order), and frees a slot.
        if (!closing) kick();
      })
      .then(() => undefined);
    inFlight.set(tradeKey, done);
  }

  async function claimAndDeliver(): Promise<void> {
    lastClaimed = 0;
    const free = concurrency - inFlight.size;
    if (free <= 0) return;
    const token = randomUUID();
    const now = clock.now();
    const claimed = await store.claimDueNotifications({
      now,
      leaseUntil: new Date(now.getTime() + opts.timeoutMs + LEASE_MARGIN_MS),
      token,
      limit: free,
      perPartner: perMerchant,
    });
    lastClaimed = claimed.length;
    for (const n of claimed) {
      const tradeKey = `${n.partner}:${n.alipayTransId}`;
      // Claimed in queueing order: a later notification of a trade waits for the earlier one.
      if (closing || inFlight.has(tradeKey)) await store.releaseNotificationClaim(n.id, token);
      else deliver(n, token, tradeKey);
    }
  }

  async function work(): Promise<void> {
    if (Date.now() - lastSweep >= sweepMs) {
      lastSweep = Date.now();
      await settleDueTrades(settleCtx);
    }
    await claimAndDeliver();
    if (Date.now() - lastPrune >= PRUNE_EVERY_MS) {
      lastPrune = Date.now();
      await store.pruneNotifications({ maxEntries: opts.maxEntries });
    }
  }

  /** Runs one round at a time; a kick during a round runs another right after it. */
  function runRound(): Promise<void> {
    if (round) {
      again = true;
      return round;
    }
    round = work()
      .catch(opts.onError)
      .finally(() => {
        round = undefined;
        if (again && !closing) {
          again = false;
          void runRound();
        }
      });
    return round;
  }

  function pollLater(): void {
    if (closing) return;
    timer = setTimeout(() => {
      void runRound().finally(pollLater);
    }, pollMs);
    timer.unref();
  }

  function kick(): void {
    if (!closing) void runRound();
  }

  return {
    start() {
      if (timer === undefined && !closing) pollLater();
    },
    kick,
    async runOnce() {
      lastSweep = 0;
      // A round already running may have looked before the caller's change: wait, then run fresh ones.
      // Bounded: a schedule of zero waits would otherwise keep it busy for ever.
      for (let i = 0; i < MAX_DRAIN_ROUNDS; i++) {
        while (round) await round;
        await runRound();
        const claimed = lastClaimed;
        await Promise.all(inFlight.values());
        // A delivery that just finished (perhaps one a background round started) kicks a round that
        // may be claiming what it released (out_of_order): not done while that round runs.
        if (claimed === 0 && inFlight.size === 0 && round === undefined) return;
      }
    },
    settleDueTrades: (partner) => settleDueTrades(settleCtx, partner),
    async close() {
      closing = true;
      clearTimeout(timer);
      agents.destroy();
      await round;
      await Promise.all(inFlight.values());
    },
  };
}
