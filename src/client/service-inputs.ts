/**
 * Typed inputs of the four in-store services and how they become wire parameters (docs/protocol.md
 * §3.1, §4.1, §5.1, §6.1). Amounts are decimal strings in major units ("10.00"), never numbers, so
 * nothing is lost to floating point.
 */

/** Parameters a caller may add to any call; they are sent and signed as given (§3.1 "Extra parameters"). */
export type ExtraParams = Record<string, string>;

/** `alipay.acquire.overseas.spot.pay`. */
export interface SpotPayInput {
  partnerTransId: string;
  transName: string;
  /** Settlement currency, e.g. `USD`. */
  currency: string;
  /** Amount in major units, e.g. `"10.00"`; in `transCurrency` when that is given. */
  transAmount: string;
  /** The buyer's payment code, 16 to 24 digits starting 25–30. */
  buyerIdentityCode: string;
  transCurrency?: string;
  /** Default `barcode`, as Alipay's SDK sends. */
  identityCodeType?: string;
  /** Default `OVERSEAS_MBARCODE_PAY`. */
  bizProduct?: string;
  quantity?: string;
  memo?: string;
  notifyUrl?: string;
  /** Sent as JSON text (`secondary_merchant_id`, `store_id`, …). */
  extendInfo?: Record<string, unknown>;
  /** `yyyyMMddHHmmss`. */
  transCreateTime?: string;
  extra?: ExtraParams;
}

/** `alipay.acquire.cancel`: the trade is named by the merchant's id (`out_trade_no`) and/or Alipay's. */
export interface CancelInput {
  /** The `partner_trans_id` of the payment. */
  outTradeNo: string;
  /** The `alipay_trans_id`; takes precedence when both are sent. */
  tradeNo?: string;
  /** Epoch milliseconds (or `yyyy-MM-dd HH:mm:ss`); default now. */
  timestamp?: number | string;
  extra?: ExtraParams;
}

/** `alipay.acquire.overseas.spot.refund`. */
export interface SpotRefundInput {
  partnerTransId: string;
  /** Must differ from partnerTransId; resending the same id never refunds twice. */
  partnerRefundId: string;
  refundAmount: string;
  currency: string;
  alipayTransId?: string;
  refundReason?: string;
  /** true: the answer carries the refund result and no notification follows (§5.1). */
  isSync?: boolean;
  notifyUrl?: string;
  extra?: ExtraParams;
}

/** `alipay.acquire.overseas.query`: at least one of the two ids. */
export type QueryInput = (
  { partnerTransId: string; alipayTransId?: string } | { partnerTransId?: string; alipayTransId: string }
) & { extra?: ExtraParams };

/** Business parameters of a spot pay; `alipay_seller_id` must equal the partner (§3.1). */
export function spotPayParams(input: SpotPayInput, partner: string): Record<string, string | undefined> {
  return {
    alipay_seller_id: partner,
    partner_trans_id: input.partnerTransId,
    trans_name: input.transName,
    currency: input.currency,
    trans_currency: input.transCurrency,
    trans_amount: input.transAmount,
    buyer_identity_code: input.buyerIdentityCode,
    identity_code_type: input.identityCodeType ?? 'barcode',
    biz_product: input.bizProduct ?? 'OVERSEAS_MBARCODE_PAY',
    quantity: input.quantity,
    memo: input.memo,
    notify_url: input.notifyUrl,
    extend_info: input.extendInfo === undefined ? undefined : JSON.stringify(input.extendInfo),
    trans_create_time: input.transCreateTime,
    ...input.extra,
  };
}

/** Business parameters of a cancel; the timestamp defaults to now in epoch milliseconds (§4.1). */
export function cancelParams(input: CancelInput, now: () => number): Record<string, string | undefined> {
  return {
    out_trade_no: input.outTradeNo,
    trade_no: input.tradeNo,
    timestamp: String(input.timestamp ?? now()),
    ...input.extra,
  };
}

/** Business parameters of a spot refund. */
export function spotRefundParams(input: SpotRefundInput): Record<string, string | undefined> {
  return {
    partner_trans_id: input.partnerTransId,
    alipay_trans_id: input.alipayTransId,
    partner_refund_id: input.partnerRefundId,
    refund_amount: input.refundAmount,
    currency: input.currency,
    refund_reason: input.refundReason,
    is_sync: input.isSync === undefined ? undefined : input.isSync ? 'Y' : 'N',
    notify_url: input.notifyUrl,
    ...input.extra,
  };
}

/** Business parameters of a query. Throws a TypeError when neither id is given. */
export function queryParams(input: QueryInput): Record<string, string | undefined> {
  if (!input.partnerTransId && !input.alipayTransId) {
    throw new TypeError('query needs partnerTransId or alipayTransId');
  }
  return { partner_trans_id: input.partnerTransId, alipay_trans_id: input.alipayTransId, ...input.extra };
}
