let counter = 0;

/** A unique merchant order id for each call, so tests never collide. */
export function uniqueId(prefix = 'T'): string {
  counter += 1;
  return `${prefix}${Date.now()}${String(counter).padStart(4, '0')}`;
}

/** Spot pay parameters a POS would send; override what the test is about. */
export function aPay(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    alipay_seller_id: '2088101122136241',
    partner_trans_id: uniqueId('P'),
    trans_name: 'Coffee',
    currency: 'USD',
    trans_amount: '10.00',
    buyer_identity_code: '280000000000000001',
    identity_code_type: 'barcode',
    biz_product: 'OVERSEAS_MBARCODE_PAY',
    ...overrides,
  };
}

/** Spot refund parameters for a trade. */
export function aRefund(
  partnerTransId: string,
  overrides: Record<string, string> = {},
): Record<string, string> {
  return {
    partner_trans_id: partnerTransId,
    partner_refund_id: uniqueId('R'),
    refund_amount: '1.00',
    currency: 'USD',
    is_sync: 'Y',
    ...overrides,
  };
}

/** Cancel parameters for a trade. */
export function aCancel(outTradeNo: string, overrides: Record<string, string> = {}): Record<string, string> {
  return { out_trade_no: outTradeNo, timestamp: String(Date.now()), ...overrides };
}

/** Precreate parameters a POS would send for an order QR code; override what the test is about. */
export function aPrecreate(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    out_trade_no: uniqueId('Q'),
    subject: 'Coffee',
    product_code: 'OVERSEAS_MBARCODE_PAY',
    total_fee: '10.00',
    currency: 'USD',
    timestamp: String(Date.now()),
    ...overrides,
  };
}

/** alipay.commerce.qrcode.create parameters for a new store; `biz` overrides fields of biz_data. */
export function aMerchantQr(
  biz: Record<string, unknown> = {},
  overrides: Record<string, string> = {},
): Record<string, string> {
  const bizData = {
    secondary_merchant_industry: '5812',
    secondary_merchant_id: 'SUB-1',
    secondary_merchant_name: 'Tea House',
    store_id: uniqueId('STORE'),
    store_name: 'Tea Corner',
    trans_currency: 'USD',
    currency: 'USD',
    ...biz,
  };
  return {
    timestamp: '2026-11-26 12:00:00',
    biz_type: 'OVERSEASHOPQRCODE',
    biz_data: JSON.stringify(bizData),
    ...overrides,
  };
}
