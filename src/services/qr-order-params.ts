import { z } from 'zod';
import { parseAmount } from '../ledger/money.js';
import { parseRequestTimestamp } from '../ledger/beijing-time.js';
import { payDeadline } from '../ledger/pay-timeout.js';
import type { Merchant } from '../ledger/model.js';
import { checkSchema, invalidParameter } from './param-schema.js';
import type { ParamCheck } from './service-definition.js';
import { checkPricedAmount } from './check-priced-amount.js';

/** total_fee is Number(11,2): 0.01 to 100000000.00 (docs/protocol.md §12.1). */
const MAX_FEE_HUNDREDTHS = 10_000_000_000;
/** `product_code` values seen on the wire: the overseas one, and the domestic one of EX-P (§14.9). */
const PRODUCT_CODES: ReadonlySet<string> = new Set(['OVERSEAS_MBARCODE_PAY', 'QR_CODE_OFFLINE']);
/** JSON parameters: what each must parse as. */
const JSON_PARAMS = {
  extend_params: 'object',
  goods_detail: 'any',
  trade_information: 'object',
} as const;

/** Parameters precreate and create share (docs/protocol.md §12.1, §12.2). */
export const QR_ORDER_SCHEMA = z.object({
  out_trade_no: z.string().max(64),
  subject: z.string().max(256),
  total_fee: z.string().max(20),
  currency: z.string().max(8),
  trans_currency: z.string().max(8).optional(),
  timestamp: z.string().max(32),
  terminal_timestamp: z.string().max(32).optional(),
  notify_url: z.string().max(200).optional(),
  product_code: z.string().max(32).optional(),
  seller_id: z.string().max(28).optional(),
  seller_email: z.string().max(100).optional(),
  body: z.string().max(400).optional(),
  show_url: z.string().max(400).optional(),
  price: z.string().max(20).optional(),
  quantity: z
    .string()
    .regex(/^\d{1,9}$/, 'must be a whole number')
    .optional(),
  goods_detail: z.string().max(8192).optional(),
  extend_params: z.string().max(4096).optional(),
  it_b_pay: z.string().max(16).optional(),
  qr_code_it_b_pay: z.string().max(16).optional(),
  passback_parameters: z.string().max(256).optional(),
  trade_information: z.string().max(4096).optional(),
});

/** A precreate or create request after its checks; amounts in minor units of the pricing currency. */
export interface QrOrderInput {
  outTradeNo: string;
  subject: string;
  currency: string;
  transCurrency: string;
  amountMinor: number;
  notifyUrl: string | null;
  /** `it_b_pay` as given, resolved against the sandbox clock when the trade is created. */
  itBPay: string | undefined;
}

function jsonProblem(params: Readonly<Record<string, string>>): string | undefined {
  for (const [name, shape] of Object.entries(JSON_PARAMS)) {
    const text = params[name];
    if (text === undefined) continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return `${name} must be JSON`;
    }
    if (shape === 'object' && (typeof value !== 'object' || value === null || Array.isArray(value)))
      return `${name} must be a JSON object`;
  }
  return undefined;
}

/**
 * Checks the parameters precreate and create share: malformed or missing ones are a gateway-level
 * ILLEGAL_ARGUMENT, well-formed but unacceptable ones a business INVALID_PARAMETER (§12.4).
 */
export function parseQrOrder(
  params: Readonly<Record<string, string>>,
  merchant: Merchant,
): ParamCheck<QrOrderInput> {
  const checked = checkSchema(QR_ORDER_SCHEMA, params);
  if (!checked.ok) return checked;
  const p = checked.value;
  if (!parseRequestTimestamp(p.timestamp)) {
    return {
      ok: false,
      kind: 'gateway',
      reason: 'timestamp must be epoch milliseconds or yyyy-MM-dd HH:mm:ss',
    };
  }
  const json = jsonProblem(params);
  if (json) return { ok: false, kind: 'gateway', reason: json };
  const transCurrency = p.trans_currency ?? p.currency;
  const amount = checkPricedAmount(merchant, 'total_fee', p.total_fee, p.currency, transCurrency);
  if (!amount.ok) return amount;
  if (p.product_code !== undefined && !PRODUCT_CODES.has(p.product_code))
    return invalidParameter('product_code must be OVERSEAS_MBARCODE_PAY');
  if (p.seller_id !== undefined && p.seller_id !== merchant.partner)
    return invalidParameter('seller_id must equal partner');
  const priceProblem = checkPrice(p.price, p.quantity, amount.value, transCurrency);
  if (priceProblem) return invalidParameter(priceProblem);
  const itBPay = p.it_b_pay ?? p.qr_code_it_b_pay;
  if (itBPay !== undefined && !payDeadline(new Date(0), itBPay))
    return invalidParameter('it_b_pay must be 1m to 15d (m, h, d) or 1c');
  return {
    ok: true,
    value: {
      outTradeNo: p.out_trade_no,
      subject: p.subject,
      currency: p.currency,
      transCurrency,
      amountMinor: amount.value,
      notifyUrl: p.notify_url ?? null,
      itBPay,
    },
  };
}

/** MEL's request class: price and quantity are optional, but price × quantity must equal total_fee. */
function checkPrice(
  price: string | undefined,
  quantity: string | undefined,
  totalMinor: number,
  currency: string,
): string | undefined {
  if (price === undefined) return undefined;
  const unit = parseAmount(price, currency, MAX_FEE_HUNDREDTHS);
  if (!unit.ok) return 'price must be an amount of trans_currency';
  if (unit.minor * Number(quantity ?? '1') !== totalMinor) return 'price * quantity must equal total_fee';
  return undefined;
}
