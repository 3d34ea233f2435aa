import type { Buyer, Merchant, MerchantClock, Refund, Trade } from './model.js';
import type { NewNotification } from '../ports/notification-outbox.js';
import type { MerchantQrCode, MerchantQrPatch } from './merchant-qr.js';

/** Fields a caller supplies to create a merchant; timestamps are set by the store. */
export type NewMerchant = Omit<Merchant, 'createdAt' | 'updatedAt'>;
/** Fields a caller supplies to create a buyer; timestamps are set by the store. */
export type NewBuyer = Omit<Buyer, 'createdAt' | 'updatedAt'>;
/** A buyer without its balances (LedgerTx.findPayerForCode). */
export type Payer = Omit<Buyer, 'balances'>;

/** A new trade before the store has chosen its payer and numbered it (numberTrade fills these in). */
export type UnnumberedTrade = Omit<Trade, 'alipayTransId' | 'buyerUserId' | 'buyerLoginId' | 'paymentInst'>;

/** What LedgerStore.payNewTrade did; only `paid` changed anything. */
export type PayNewTradeOutcome =
  | { kind: 'paid'; trade: Trade }
  /** Neither a buyer holding the code nor a default buyer exists (checked first, as a pay always has). */
  | { kind: 'no-buyer' }
  /** (partner, partnerTransId) has this trade, as committed when the pay looked (not locked). */
  | { kind: 'exists'; trade: Trade }
  | { kind: 'insufficient' }
  /**
   * A concurrent pay of the same partnerTransId committed first, and its trade was gone when looked
   * for (its merchant's state reset meanwhile): try again.
   */
  | { kind: 'lost-race' };

/** A merchant and its sandbox clock (`clock` undefined: it runs on real time), as the gateway reads them. */
export interface MerchantWithClock {
  merchant: Merchant;
  clock: MerchantClock | undefined;
}

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

/**
 * The operations one atomic unit of ledger work may perform. Everything done through one
 * LedgerTx commits together or not at all; rows read "for update" stay locked until the end.
 */
export interface LedgerTx {
  /**
   * Store.findBuyerForCode without the balances: what a spot pay that parks a pending trade needs (a
   * paid one goes through LedgerStore.payNewTrade). It costs no lock of its own (docs/performance-history.md).
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
  /** The merchant QR code with this id, locked until the end of the transaction. */
  getMerchantQrForUpdate(partner: string, id: string): Promise<MerchantQrCode | undefined>;
  /** The live (not deleted) code of a store with or without a channel fee (docs/protocol.md §12.5). */
  findStoreMerchantQr(
    partner: string,
    storeId: string,
    withFee: boolean,
  ): Promise<MerchantQrCode | undefined>;
  /** Inserts the code; returns false (and changes nothing) when its store already has a live one of its kind. */
  insertMerchantQr(code: MerchantQrCode): Promise<boolean>;
  updateMerchantQr(partner: string, id: string, patch: MerchantQrPatch): Promise<void>;
}

/** The ledger's persistence: merchants, buyers, their clocks, trades and refunds. */
export interface LedgerStore {
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
  /** A merchant QR code by its id (the wallet page reads it without locking). */
  getMerchantQr(partner: string, id: string): Promise<MerchantQrCode | undefined>;
  /**
   * Pays a new trade atomically: finds the payer of `trade.buyerIdentityCode` (findBuyerForCode),
   * debits `amountMinor` of `transCurrency` when the balance suffices, numbers the trade from the
   * ALIPAY_TRANS_ID_SEQUENCE and inserts it (numberTrade); with `alsoCommit`, whatever it writes (the
   * trade's notification) commits with the pay. All or nothing: any outcome but `paid` changed nothing.
   * Without `alsoCommit`, the pays made together commit together, in their order (docs/deployment.md).
   */
  payNewTrade(
    trade: UnnumberedTrade,
    alsoCommit?: (tx: LedgerTx, paid: Trade) => Promise<void>,
  ): Promise<PayNewTradeOutcome>;
  /** Runs fn atomically; rolls back when fn throws, and rethrows. */
  transaction<T>(fn: (tx: LedgerTx) => Promise<T>): Promise<T>;
  getMerchantClock(partner: string): Promise<MerchantClock | undefined>;
  setMerchantClock(partner: string, clock: MerchantClock | null): Promise<void>;
  /**
   * getMerchant and getMerchantClock in one statement (the gateway needs both for every request);
   * undefined when there is no such merchant, `clock` undefined when it runs on real time.
   */
  getMerchantWithClock(partner: string): Promise<MerchantWithClock | undefined>;
  /** True when the store has no merchant at all (used to seed the demo accounts). */
  isEmpty(): Promise<boolean>;
}
