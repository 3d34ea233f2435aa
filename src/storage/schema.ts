import type { TradeStatus } from '../protocol/constants.js';
import type { Wallet } from './types.js';

// Row shapes as both dialects return them. Times are epoch milliseconds and money is integer minor
// units, both BIGINT (PostgreSQL int8 is parsed to number by the pool, see postgres-dialect.ts);
// booleans are INTEGER 0/1 so one schema and one set of queries serve SQLite and PostgreSQL.

/** Row of `merchants`; list fields are JSON text. */
export interface MerchantsTable {
  partner: string;
  name: string;
  md5_key: string;
  rsa_public_key: string | null;
  sign_types: string;
  currencies: string;
  services: string;
  created_at: number;
  updated_at: number;
}

/** Row of `buyers`; balances live in `buyer_balances`. */
export interface BuyersTable {
  user_id: string;
  login_id: string;
  name: string;
  wallet: Wallet;
  payment_code: string | null;
  is_default: number;
  created_at: number;
  updated_at: number;
}

/** Row of `buyer_balances`: one currency of one buyer. */
export interface BuyerBalancesTable {
  user_id: string;
  currency: string;
  amount_minor: number;
}

/** Row of `trades`. */
export interface TradesTable {
  alipay_trans_id: string;
  partner: string;
  partner_trans_id: string;
  status: TradeStatus;
  buyer_user_id: string;
  buyer_login_id: string;
  buyer_identity_code: string;
  payment_inst: Wallet;
  currency: string;
  trans_currency: string;
  amount_minor: number;
  refunded_minor: number;
  exchange_rate: string;
  trans_forex_rate: string;
  trans_name: string;
  notify_url: string | null;
  created_at: number;
  paid_at: number | null;
  closed_at: number | null;
  expires_at: number | null;
  close_reason: 'cancel' | 'refund' | 'timeout' | null;
  cancel_action: 'close' | 'refund' | null;
}

/** Row of `refunds`. */
export interface RefundsTable {
  partner: string;
  partner_refund_id: string;
  alipay_trans_id: string;
  partner_trans_id: string;
  amount_minor: number;
  currency: string;
  reason: string | null;
  is_sync: number;
  notify_url: string | null;
  created_at: number;
}

/** Row of `sequences`: a named counter shared by every instance. */
export interface SequencesTable {
  name: string;
  value: number;
}

/** Row of `settings`: a named value shared by every instance. */
export interface SettingsTable {
  name: string;
  value: string;
}

/** The Kysely database type of the store. */
export interface Database {
  merchants: MerchantsTable;
  buyers: BuyersTable;
  buyer_balances: BuyerBalancesTable;
  trades: TradesTable;
  refunds: RefundsTable;
  sequences: SequencesTable;
  settings: SettingsTable;
}
