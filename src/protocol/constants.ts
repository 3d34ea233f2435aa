/**
 * Names of the in-store services this sandbox implements: the four barcode services (docs/protocol.md
 * §3–§6) first, then the QR-code services whose trades they query, cancel and refund (§11).
 */
export const SERVICES = [
  'alipay.acquire.overseas.spot.pay',
  'alipay.acquire.cancel',
  'alipay.acquire.overseas.spot.refund',
  'alipay.acquire.overseas.query',
  'alipay.acquire.precreate',
  'alipay.acquire.create',
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
