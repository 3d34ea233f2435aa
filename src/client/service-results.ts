/**
 * Results of MAPI calls: the generic MapiResult, and per-service views that lift the documented
 * business fields (docs/reference/alipay-mapi-protocol.md §3.2, §4.2, §5.2, §6.2) into camelCase properties.
 */
import type { TradeStatus } from '../protocol/constants.js';

/** A known set of values that still admits others: gateways and mock rules may answer anything. */
export type OpenUnion<T extends string> = T | (string & Record<never, never>);

/** Any `is_success=T` answer. */
export interface MapiResult {
  /** `result_code` of the business block ('' when absent). Spellings differ per service (§15). */
  resultCode: string;
  /** Business error code, when the answer carries one. */
  error?: string;
  /** Every child of `<response><alipay>`, values exactly as sent. */
  fields: Record<string, string>;
  /** true / false: the answer's signature was checked; null: it could not be (RSA without Alipay's public key). */
  signatureVerified: boolean | null;
  /** The decoded XML answer. */
  xml: string;
  /** The parameters that were sent, `sign` included. */
  request: Record<string, string>;
}

/** Fields of a spot pay answer (§3.2). */
export interface SpotPayView {
  alipayTransId?: string;
  partnerTransId?: string;
  transAmount?: string;
  currency?: string;
  alipayBuyerLoginId?: string;
  alipayBuyerUserId?: string;
  alipayPayTime?: string;
  exchangeRate?: string;
  transAmountCny?: string;
}

/** A spot pay answer: `SUCCESS` paid, `FAILED` not paid, `UNKNOW` (sic) query later. */
export interface SpotPayResult extends MapiResult, SpotPayView {
  resultCode: OpenUnion<'SUCCESS' | 'FAILED' | 'UNKNOW'>;
}

/** Fields of a cancel answer (§4.2). */
export interface CancelView {
  outTradeNo?: string;
  tradeNo?: string;
  /** `Y`: send the cancel again. */
  retryFlag?: string;
  /** `close` (unpaid trade) or `refund` (paid trade). */
  action?: string;
  detailErrorCode?: string;
  detailErrorDes?: string;
}

/** A cancel answer; this service spells `FAIL` and `UNKNOWN` (§15). */
export interface CancelResult extends MapiResult, CancelView {
  resultCode: OpenUnion<'SUCCESS' | 'FAIL' | 'UNKNOWN'>;
}

/** Fields of a spot refund answer (§5.2). */
export interface SpotRefundView {
  partnerTransId?: string;
  alipayTransId?: string;
  partnerRefundId?: string;
  refundAmount?: string;
  currency?: string;
  exchangeRate?: string;
  refundAmountCny?: string;
}

/** A spot refund answer. */
export interface SpotRefundResult extends MapiResult, SpotRefundView {
  resultCode: OpenUnion<'SUCCESS' | 'FAILED' | 'UNKNOW'>;
}

/** Fields of a query answer (§6.2). */
export interface QueryView {
  /** `alipay_trans_status`. */
  tradeStatus?: OpenUnion<TradeStatus>;
  alipayTransId?: string;
  partnerTransId?: string;
  outTradeNo?: string;
  transAmount?: string;
  currency?: string;
  alipayBuyerLoginId?: string;
  alipayBuyerUserId?: string;
  alipayPayTime?: string;
  paymentInst?: string;
  exchangeRate?: string;
  transAmountCny?: string;
  forexTotalFee?: string;
  transForexRate?: string;
  refundAmountCny?: string;
}

/** A query answer: `SUCCESS` when the trade was found, `FAIL` otherwise. */
export interface QueryResult extends MapiResult, QueryView {
  resultCode: OpenUnion<'SUCCESS' | 'FAIL'>;
}

/** Wire name of every view property. */
type FieldNames<V> = { readonly [K in keyof V]-?: string };

/** Field names of the spot pay view. */
export const SPOT_PAY_FIELDS: FieldNames<SpotPayView> = {
  alipayTransId: 'alipay_trans_id',
  partnerTransId: 'partner_trans_id',
  transAmount: 'trans_amount',
  currency: 'currency',
  alipayBuyerLoginId: 'alipay_buyer_login_id',
  alipayBuyerUserId: 'alipay_buyer_user_id',
  alipayPayTime: 'alipay_pay_time',
  exchangeRate: 'exchange_rate',
  transAmountCny: 'trans_amount_cny',
};

/** Field names of the cancel view. */
export const CANCEL_FIELDS: FieldNames<CancelView> = {
  outTradeNo: 'out_trade_no',
  tradeNo: 'trade_no',
  retryFlag: 'retry_flag',
  action: 'action',
  detailErrorCode: 'detail_error_code',
  detailErrorDes: 'detail_error_des',
};

/** Field names of the spot refund view. */
export const SPOT_REFUND_FIELDS: FieldNames<SpotRefundView> = {
  partnerTransId: 'partner_trans_id',
  alipayTransId: 'alipay_trans_id',
  partnerRefundId: 'partner_refund_id',
  refundAmount: 'refund_amount',
  currency: 'currency',
  exchangeRate: 'exchange_rate',
  refundAmountCny: 'refund_amount_cny',
};

/** Field names of the query view. */
export const QUERY_FIELDS: FieldNames<QueryView> = {
  tradeStatus: 'alipay_trans_status',
  alipayTransId: 'alipay_trans_id',
  partnerTransId: 'partner_trans_id',
  outTradeNo: 'out_trade_no',
  transAmount: 'trans_amount',
  currency: 'currency',
  alipayBuyerLoginId: 'alipay_buyer_login_id',
  alipayBuyerUserId: 'alipay_buyer_user_id',
  alipayPayTime: 'alipay_pay_time',
  paymentInst: 'payment_inst',
  exchangeRate: 'exchange_rate',
  transAmountCny: 'trans_amount_cny',
  forexTotalFee: 'forex_total_fee',
  transForexRate: 'trans_forex_rate',
  refundAmountCny: 'refund_amount_cny',
};

/** Adds the view properties of the fields that are present to a generic result. */
export function withView<V>(result: MapiResult, names: FieldNames<V>): MapiResult & V {
  const view: Record<string, string> = {};
  for (const [property, field] of Object.entries<string>(names)) {
    const value = result.fields[field];
    if (value !== undefined) view[property] = value;
  }
  return { ...result, ...view } as MapiResult & V;
}
