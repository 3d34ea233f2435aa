import type { NotifyDirective } from '../rules/outcome-schema.js';
import type { LedgerTx } from './ledger-store.js';
import type { Refund, Trade } from './model.js';

/**
 * What a ledger change tells the rest of the sandbox, inside the transaction that made it, so the
 * consequence commits exactly when the change does. notify/ implements it with the notification
 * outbox (notify/notification-queue.ts); the ledger and the services know only this port.
 */
export interface TradeEvents {
  /** A trade was created or its status changed (nothing follows when the trade has no notify_url). */
  tradeChanged(tx: LedgerTx, before: Trade | null, after: Trade): Promise<void>;
  /** A refund succeeded (with is_sync=N and a notify_url, a notification follows). */
  refundSucceeded(tx: LedgerTx, tradeAfter: Trade, refund: Refund): Promise<void>;
  /** The same events, with a mock rule's `notify` applied to what they cause. */
  withDirective(directive: NotifyDirective | undefined): TradeEvents;
}
