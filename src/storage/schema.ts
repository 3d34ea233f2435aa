import type { Generated } from 'kysely';
import type { TradeStatus } from '../protocol/constants.js';
import type { Wallet } from '../ledger/model.js';
import type { MerchantQrStatus } from '../ledger/merchant-qr.js';

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
  /** JSON text of the TradeResolution, its `at` in epoch milliseconds. */
  resolution: string | null;
  query_count: number;
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

/** Row of `rules`: a custom mock rule; `when_json` and `then_json` are JSON text. */
export interface RulesTable {
  id: string;
  partner: string;
  service: string;
  name: string;
  priority: number;
  enabled: number;
  when_json: string;
  then_json: string;
  times: number | null;
  hits: number;
  expires_at: number | null;
  seq: number;
  created_at: number;
  updated_at: number;
}

/** Row of `default_rule_switches`: a default rule the merchant switched off. */
export interface DefaultRuleSwitchesTable {
  partner: string;
  rule_id: string;
}

/** Row of `merchant_clocks`. */
export interface MerchantClocksTable {
  partner: string;
  offset_ms: number;
  frozen_at: number | null;
}

/** Row of `request_log`; `id` is assigned by the database in insertion order. */
export interface RequestLogTable {
  id: Generated<number>;
  received_at: number;
  partner: string | null;
  service: string | null;
  method: string;
  raw_query: string;
  raw_body: string;
  params_json: string;
  charset: string | null;
  signature_json: string | null;
  gateway_error: string | null;
  result_code: string | null;
  error: string | null;
  reason: string | null;
  rule_id: string | null;
  rule_name: string | null;
  alipay_trans_id: string | null;
  partner_trans_id: string | null;
  outcome: string;
  response_status: number;
  response_body: string;
  duration_ms: number;
  /** Added by migration 006; null except for ILLEGAL_SIGN refusals. */
  diagnosis: string | null;
  /** Added by migration 009: the answer's `X-Request-Id`; null for entries logged before. */
  request_id: string | null;
  /** Added by migration 013: the merchant's sandbox time of the request, epoch ms; null when unknown. */
  sandbox_at: number | null;
}

/** Row of `api_keys` (migration 006): a per-merchant admin API key, the secret kept as a SHA-256 hash. */
export interface ApiKeysTable {
  id: string;
  partner: string;
  name: string;
  key_hash: string;
  created_at: number;
  last_used_at: number | null;
}

/** Row of `check_runs` (migration 010): an integration check run; lists and the report are JSON text. */
export interface CheckRunsTable {
  id: string;
  partner: string;
  /** The partner while the run lasts, NULL after (one running run per merchant, by unique key). */
  running_partner: string | null;
  scenarios: string;
  rule_ids: string;
  /** Added by migration 013: `prefix` or `amount`; null for runs started before, read as `prefix`. */
  keyed_by: string | null;
  started_at: number;
  ended_at: number | null;
  report: string | null;
}

/** Row of `notifications` (migration 004): the outbox; `params_json` is JSON text of the parameters. */
export interface NotificationsTable {
  id: string;
  seq: number;
  partner: string;
  notify_id: string;
  url: string;
  params_json: string;
  action: string;
  alipay_trans_id: string;
  partner_trans_id: string;
  partner_refund_id: string | null;
  mode: string;
  status: string;
  attempts: number;
  next_attempt_at: number;
  held: number;
  claimed_until: number | null;
  claim_token: string | null;
  copy_of: string | null;
  created_at: number;
  delivered_at: number | null;
  last_sent_at: number | null;
}

/** Row of `notification_attempts` (migration 004): one delivery attempt. */
export interface NotificationAttemptsTable {
  notification_id: string;
  attempt: number;
  at: number;
  request_body: string;
  response_status: number | null;
  response_body: string | null;
  error: string | null;
  duration_ms: number;
}

/** Row of `console_accounts` (migration 005): a web console login of one merchant. */
export interface ConsoleAccountsTable {
  email: string;
  partner: string;
  password_hash: string;
  created_at: number;
  updated_at: number;
}

/** Row of `console_sessions` (migration 005); the session id itself is never stored, only its SHA-256. */
export interface ConsoleSessionsTable {
  id_hash: string;
  kind: 'merchant' | 'operator';
  partner: string | null;
  email: string | null;
  operator_ref: string | null;
  csrf_token: string;
  created_at: number;
  expires_at: number;
}

/** Row of `console_login_attempts` (migration 005): sign-in attempts of one key (IP or email) in one window. */
export interface ConsoleLoginAttemptsTable {
  key: string;
  window_start: number;
  count: number;
}

/** The Kysely database type of the store. */
/** Row of `merchant_qr_codes` (docs/protocol.md §12.5). */
export interface MerchantQrCodesTable {
  id: string;
  partner: string;
  /** partner, store id and fee kind while the code lives; NULL once deleted, which frees the slot. */
  slot: string | null;
  store_id: string;
  with_fee: number;
  status: MerchantQrStatus;
  biz_data: string;
  store_name: string;
  currency: string;
  trans_currency: string;
  notify_url: string | null;
  created_at: number;
  updated_at: number;
}

export interface Database {
  merchants: MerchantsTable;
  buyers: BuyersTable;
  buyer_balances: BuyerBalancesTable;
  trades: TradesTable;
  refunds: RefundsTable;
  sequences: SequencesTable;
  settings: SettingsTable;
  rules: RulesTable;
  default_rule_switches: DefaultRuleSwitchesTable;
  merchant_clocks: MerchantClocksTable;
  request_log: RequestLogTable;
  notifications: NotificationsTable;
  notification_attempts: NotificationAttemptsTable;
  api_keys: ApiKeysTable;
  console_accounts: ConsoleAccountsTable;
  console_sessions: ConsoleSessionsTable;
  console_login_attempts: ConsoleLoginAttemptsTable;
  check_runs: CheckRunsTable;
  merchant_qr_codes: MerchantQrCodesTable;
}
