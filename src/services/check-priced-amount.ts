import { CURRENCIES } from '../protocol/constants.js';
import { parseAmount } from '../ledger/money.js';
import type { Merchant } from '../ledger/model.js';
import { invalidParameter } from './param-schema.js';
import type { ParamCheck } from './service-definition.js';

const KNOWN_CURRENCIES: ReadonlySet<string> = new Set(CURRENCIES);
/** Amounts are Number(11,2): 0.01 to 100000000.00 (docs/protocol.md §3.1, §12.1). */
const MAX_HUNDREDTHS = 10_000_000_000;

/**
 * Checks an amount of the pricing currency and both currencies of a payment request: a malformed
 * amount is a gateway ILLEGAL_ARGUMENT, an unknown or disabled currency or an amount out of range
 * a business INVALID_PARAMETER. The value is the amount in minor units of `transCurrency`.
 */
export function checkPricedAmount(
  merchant: Merchant,
  field: string,
  text: string,
  currency: string,
  transCurrency: string,
): ParamCheck<number> {
  const amount = parseAmount(text, transCurrency, MAX_HUNDREDTHS);
  if (!amount.ok && amount.problem === 'syntax') {
    return { ok: false, kind: 'gateway', reason: `${field} must be a decimal number` };
  }
  if (!KNOWN_CURRENCIES.has(currency)) return invalidParameter(`currency ${currency} is not supported`);
  if (!merchant.currencies.includes(currency)) {
    return invalidParameter(`currency ${currency} is not enabled for this merchant`);
  }
  if (!KNOWN_CURRENCIES.has(transCurrency))
    return invalidParameter(`trans_currency ${transCurrency} is not supported`);
  if (!amount.ok) {
    return invalidParameter(
      amount.problem === 'precision'
        ? `${field} has too many decimals for ${transCurrency}`
        : `${field} must be between 0.01 and 100000000.00`,
    );
  }
  return { ok: true, value: amount.minor };
}
