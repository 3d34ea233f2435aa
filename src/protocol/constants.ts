/** Spot pay: charge the buyer's payment code (docs/reference/alipay-mapi-protocol.md §3). */
export const PAY_SERVICE = 'alipay.acquire.overseas.spot.pay';
/** Cancel: close or reverse a trade (§4). */
export const CANCEL_SERVICE = 'alipay.acquire.cancel';
/** Spot refund (§5). */
export const REFUND_SERVICE = 'alipay.acquire.overseas.spot.refund';
/** Query a trade (§6). */
export const QUERY_SERVICE = 'alipay.acquire.overseas.query';

/** Precreate: an order QR code the buyer scans (docs/protocol.md §12.1). */
export const PRECREATE_SERVICE = 'alipay.acquire.precreate';
/** Create: a trade for a known buyer (docs/protocol.md §12.2). */
export const CREATE_SERVICE = 'alipay.acquire.create';

/** Creates a static merchant QR code (docs/protocol.md §12.5). */
export const QRCODE_CREATE_SERVICE = 'alipay.commerce.qrcode.create';
/** Changes a merchant QR code's data (docs/protocol.md §12.5). */
export const QRCODE_MODIFY_SERVICE = 'alipay.commerce.qrcode.modify';
/** Stops, restarts or deletes a merchant QR code (docs/protocol.md §12.5); camel case as the SDKs send it. */
export const QRCODE_MODIFY_STATUS_SERVICE = 'alipay.commerce.qrcode.modifyStatus';

/**
 * Names of the in-store services this sandbox implements: the four barcode services (ref §3–§6) first,
 * then the QR-code services whose trades they query, cancel and refund (docs/protocol.md §12), then the
 * merchant QR code services (§12.5).
 */
export const SERVICES = [
  PAY_SERVICE,
  CANCEL_SERVICE,
  REFUND_SERVICE,
  QUERY_SERVICE,
  PRECREATE_SERVICE,
  CREATE_SERVICE,
  QRCODE_CREATE_SERVICE,
  QRCODE_MODIFY_SERVICE,
  QRCODE_MODIFY_STATUS_SERVICE,
] as const;
export type ServiceName = (typeof SERVICES)[number];

/** Signature types the gateway accepts, upper case as on the wire. */
export const SIGN_TYPES = ['MD5', 'RSA', 'RSA2'] as const;
export type SignType = (typeof SIGN_TYPES)[number];

/** Charsets accepted in `_input_charset` (compared case-insensitively). */
export const CHARSETS = ['UTF-8', 'GBK', 'GB2312'] as const;
export type Charset = (typeof CHARSETS)[number];

/** Settlement currencies listed for spot pay (docs/reference/alipay-mapi-protocol.md §3.1). */
export const CURRENCIES = [
  'GBP',
  'HKD',
  'USD',
  'SGD',
  'JPY',
  'CAD',
  'AUD',
  'EUR',
  'NZD',
  'KRW',
  'THB',
  'CHF',
  'SEK',
  'DKK',
  'NOK',
  'MYR',
  'IDR',
  'PHP',
  'MUR',
  'ILS',
  'LKR',
  'RUB',
  'AED',
  'CZK',
  'ZAR',
  'CNY',
] as const;
export type Currency = (typeof CURRENCIES)[number];

/** Trade states of the status machine (docs/reference/alipay-mapi-protocol.md §6.3). */
export const TRADE_STATUSES = ['WAIT_BUYER_PAY', 'TRADE_SUCCESS', 'TRADE_CLOSED', 'TRADE_FINISHED'] as const;
export type TradeStatus = (typeof TRADE_STATUSES)[number];

/** The `service` value of the authenticity check (docs/reference/alipay-mapi-protocol.md §12); not one of the four services. */
export const NOTIFY_VERIFY_SERVICE = 'notify_verify';
