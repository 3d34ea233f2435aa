import type { ServiceName, SignType, TradeStatus } from '../protocol/constants.js';
import type { NotifyDirective } from '../rules/outcome-schema.js';

/** A sandbox merchant account: the partner that signs gateway requests. */
export interface Merchant {
  partner: string;
  name: string;
  md5Key: string;
  /** PEM (X.509 SubjectPublicKeyInfo) of the merchant's uploaded RSA public key, if any. */
  rsaPublicKey: string | null;
  signTypes: SignType[];
  /** Settlement currencies the merchant may use. */
  currencies: string[];
  services: ServiceName[];
  createdAt: Date;
  updatedAt: Date;
}

/** Wallet a sandbox buyer pays with; shown as `payment_inst` for HKD merchants. */
export type Wallet = 'ALIPAYCN' | 'ALIPAYHK';

/** A sandbox buyer. Balances are integer minor units per currency. */
export interface Buyer {
  userId: string;
  loginId: string;
  name: string;
  wallet: Wallet;
  /** The buyer's payment code (what the cashier scans); null for the default buyer. */
  paymentCode: string | null;
  /** The default buyer pays for every well-formed code not assigned to another buyer. */
  isDefault: boolean;
  balances: Record<string, number>;
  createdAt: Date;
  updatedAt: Date;
}

/** A trade created by spot pay. Amounts are integer minor units of `transCurrency`. */
export interface Trade {
  alipayTransId: string;
  partner: string;
  partnerTransId: string;
  status: TradeStatus;
  buyerUserId: string;
  buyerLoginId: string;
  buyerIdentityCode: string;
  paymentInst: Wallet;
  /** Settlement currency (`currency`). */
  currency: string;
  /** Pricing currency (`trans_currency`, or `currency` when absent). */
  transCurrency: string;
  amountMinor: number;
  refundedMinor: number;
  /** Rate from settlement currency to CNY, 8 decimals, fixed when the trade was created. */
  exchangeRate: string;
  /** Rate from pricing to settlement currency, fixed when the trade was created. */
  transForexRate: string;
  transName: string;
  notifyUrl: string | null;
  createdAt: Date;
  paidAt: Date | null;
  closedAt: Date | null;
  /** An unpaid trade closes at this time. */
  expiresAt: Date | null;
  /** How the trade was closed: 'cancel' (action close/refund), 'refund' (fully refunded), 'timeout'. */
  closeReason: 'cancel' | 'refund' | 'timeout' | null;
  /** What the cancel did, when a cancel closed it. */
  cancelAction: 'close' | 'refund' | null;
  /** How a WAIT_BUYER_PAY trade created by a mock rule resolves, or null (docs/rules.md). */
  resolution: TradeResolution | null;
  /** How many queries asked for this trade (drives resolutions "after N queries"). */
  queryCount: number;
}

/** The scripted end of a pending trade: paid or closed at a time or after some queries. */
export interface TradeResolution {
  to: 'paid' | 'closed';
  at: Date | null;
  afterQueries: number | null;
  /** The creating rule's `notify`, applied to the notification of the resolution (docs/rules.md). */
  notify?: NotifyDirective | undefined;
}

/** A refund of a trade, keyed by (partner, partnerRefundId). */
export interface Refund {
  partner: string;
  partnerRefundId: string;
  alipayTransId: string;
  partnerTransId: string;
  amountMinor: number;
  currency: string;
  reason: string | null;
  isSync: boolean;
  notifyUrl: string | null;
  createdAt: Date;
}

/** A merchant's sandbox clock: an offset from real time, or a frozen instant. */
export interface MerchantClock {
  offsetMs: number;
  frozenAt: Date | null;
}
