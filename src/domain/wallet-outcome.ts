import type { Clock } from '../clock.js';
import type { LedgerPolicy } from '../ledger/trade-lifecycle.js';
import type { TradeEvents } from '../ledger/trade-events.js';
import type { RateTable } from '../ledger/rates.js';
import type { LedgerStore } from '../ledger/ledger-store.js';
import type { Merchant, Trade } from '../ledger/model.js';

/** What the sandbox wallet needs: the ledger, the clock, the unpaid timeout and the outbox. */
export interface WalletDeps {
  store: LedgerStore;
  clock: Clock;
  policy: LedgerPolicy;
  notifications?: TradeEvents | undefined;
  /** Rates of trades a merchant QR code payment creates; the default table when not given. */
  rates?: RateTable | undefined;
}

/** Why the wallet could not act on a code; `trade` is the trade as it stands, when there is one. */
export type WalletRefusal =
  | 'not_found'
  | 'not_waiting'
  | 'rule_owned'
  | 'buyer_not_found'
  | 'buyer_mismatch'
  | 'balance_too_low'
  | 'amount_required'
  | 'amount_invalid'
  | 'code_stopped'
  | 'code_deleted'
  | 'no_order';

/** The outcome of a wallet action. */
export type WalletResult =
  | { ok: true; trade: Trade; merchant: Merchant }
  | { ok: false; reason: WalletRefusal; trade?: Trade | undefined };

/** Human words for each refusal (the wallet page and the admin API's problem detail). */
export const WALLET_REFUSALS: Readonly<Record<WalletRefusal, string>> = {
  not_found: 'no such QR code in this sandbox',
  not_waiting: 'this order is no longer waiting for payment',
  rule_owned: 'a mock rule decides this order: no buyer can pay it',
  buyer_not_found: 'no such sandbox buyer',
  buyer_mismatch: 'this order belongs to another buyer',
  balance_too_low: "the buyer's balance is too low",
  amount_required: 'enter the amount to pay',
  amount_invalid: "the amount must be 0.01 to 100000000.00 with the currency's decimals",
  code_stopped: 'this merchant QR code is stopped: it takes no payments',
  code_deleted: 'this merchant QR code was deleted: it takes no payments',
  no_order: 'a merchant QR code has no order to decline or let time out',
};
