import { z } from 'zod';
import { CURRENCIES } from '../protocol/constants.js';
import { parseAmount } from '../ledger/money.js';
import { parseRequestTimestamp } from '../ledger/beijing-time.js';
import type { Merchant } from '../ledger/model.js';
import { checkSchema, invalidParameter } from './param-schema.js';
import type { ParamCheck } from './service-definition.js';

/** The only business type of the merchant QR code services (docs/protocol.md §12.5). */
export const MERCHANT_QR_BIZ_TYPE = 'OVERSEASHOPQRCODE';
const KNOWN_CURRENCIES: ReadonlySet<string> = new Set(CURRENCIES);
/** A RATE channel fee is at most 5 % (Yurun's ChannelFee.php: [0, 0.05]). */
const MAX_FEE_RATE = 0.05;

/** Parameters every merchant QR code service sends. */
export const MERCHANT_QR_COMMON = z.object({
  timestamp: z.string().max(32),
  notify_url: z.string().max(200).optional(),
  biz_type: z.string().max(32),
});

/** `biz_data` of create and modify: Yurun's CreateMerchantQR/BizData.php, lengths of the global page. */
const BIZ_DATA = z
  .object({
    secondary_merchant_industry: z.string().regex(/^\d{4}$/, 'must be a 4-digit MCC'),
    secondary_merchant_id: z.string().min(1).max(64),
    secondary_merchant_name: z.string().min(1).max(64),
    store_id: z.string().min(1).max(64),
    store_name: z.string().min(1).max(256),
    trans_currency: z.string().max(8),
    currency: z.string().max(8).optional(),
    country_code: z
      .string()
      .regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code')
      .optional(),
    address: z.string().max(256).optional(),
    channel_fee: z.object({ type: z.string().max(16), value: z.string().max(20) }).optional(),
  })
  .passthrough();

/** The merchant QR code data create and modify accept, after their checks. */
export interface MerchantQrData {
  storeId: string;
  storeName: string;
  withFee: boolean;
  currency: string;
  transCurrency: string;
  /** `biz_data` as sent. */
  bizData: string;
  notifyUrl: string | undefined;
}

function gateway<T>(reason: string): ParamCheck<T> {
  return { ok: false, kind: 'gateway', reason };
}

/** timestamp and biz_type, the checks all three services share: the first problem, or undefined. */
export function commonProblem(params: Readonly<Record<string, string>>): ParamCheck<never> | undefined {
  const common = checkSchema(MERCHANT_QR_COMMON, params);
  if (!common.ok) return common;
  if (!parseRequestTimestamp(common.value.timestamp))
    return gateway('timestamp must be yyyy-MM-dd HH:mm:ss or epoch milliseconds');
  if (common.value.biz_type !== MERCHANT_QR_BIZ_TYPE)
    return invalidParameter(`biz_type must be ${MERCHANT_QR_BIZ_TYPE}`);
  return undefined;
}

function feeProblem(fee: { type: string; value: string }, currency: string): string | undefined {
  if (fee.type === 'RATE') {
    const rate = /^\d{1,2}(\.\d{1,6})?$/.test(fee.value) ? Number(fee.value) : NaN;
    return rate >= 0 && rate <= MAX_FEE_RATE
      ? undefined
      : 'channel_fee.value of a RATE fee must be 0 to 0.05';
  }
  if (fee.type === 'FIXED') {
    if (/^0+(\.0+)?$/.test(fee.value)) return undefined;
    return parseAmount(fee.value, currency, 10_000_000_000).ok
      ? undefined
      : `channel_fee.value of a FIXED fee must be an amount of ${currency}`;
  }
  return 'channel_fee.type must be FIXED or RATE';
}

function currencyProblem(merchant: Merchant, currency: string, transCurrency: string): string | undefined {
  if (!KNOWN_CURRENCIES.has(transCurrency)) return `trans_currency ${transCurrency} is not supported`;
  if (!KNOWN_CURRENCIES.has(currency)) return `currency ${currency} is not supported`;
  if (!merchant.currencies.includes(currency)) return `currency ${currency} is not enabled for this merchant`;
  // Yurun's BizData.php: when the pricing currency is not CNY, settlement is in CNY or the pricing currency.
  if (transCurrency !== 'CNY' && currency !== 'CNY' && currency !== transCurrency)
    return 'currency must be CNY or trans_currency';
  return undefined;
}

/**
 * Checks `biz_data` of create and modify (docs/protocol.md §12.5): a missing or malformed field is a
 * gateway-level ILLEGAL_ARGUMENT, an unusable currency or channel fee a business INVALID_PARAMETER.
 */
export function parseMerchantQrData(
  params: Readonly<Record<string, string>>,
  merchant: Merchant,
): ParamCheck<MerchantQrData> {
  const common = commonProblem(params);
  if (common) return common;
  const text = params['biz_data'];
  if (text === undefined) return gateway('biz_data is required');
  if (text.length > 2000) return gateway('biz_data is longer than 2000 characters');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return gateway('biz_data must be JSON');
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    return gateway('biz_data must be a JSON object');
  const parsed = BIZ_DATA.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const what = issue?.code === 'invalid_type' ? 'is required (a string)' : (issue?.message ?? 'is invalid');
    return gateway(`biz_data.${issue?.path.join('.') ?? '?'} ${what}`);
  }
  const data = parsed.data;
  // Decision: settlement defaults to the pricing currency (sandbox merchants rarely settle in CNY).
  const currency = data.currency ?? data.trans_currency;
  const problem =
    currencyProblem(merchant, currency, data.trans_currency) ??
    (data.channel_fee && feeProblem(data.channel_fee, currency));
  if (problem) return invalidParameter(problem);
  return {
    ok: true,
    value: {
      storeId: data.store_id,
      storeName: data.store_name,
      withFee: data.channel_fee !== undefined,
      currency,
      transCurrency: data.trans_currency,
      bizData: text,
      notifyUrl: params['notify_url'],
    },
  };
}
