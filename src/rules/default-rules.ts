import { DEFAULT_ID_RULES } from './default-id-rules.js';
import { DEFAULT_PAY_RULES } from './default-pay-rules.js';
import { DEFAULT_QR_RULES } from './default-qr-rules.js';
import { DEFAULT_MERCHANT_QR_RULES } from './default-merchant-qr-rules.js';
import type { DefaultRule } from './default-rule-builders.js';

export type { DefaultRule } from './default-rule-builders.js';

/**
 * The built-in default rules (partner null), in evaluation order, with stable ids. Spot pay is
 * triggered by whole trans_amount values 9801–9829 and 9901–9974 (9901 is Alipay's own documented rule);
 * cancel, refund, query, precreate, create and the merchant QR code services by MOCK_… prefixes of an id parameter. The full table is in docs/rules.md.
 */
export const DEFAULT_RULES: readonly DefaultRule[] = [
  ...DEFAULT_PAY_RULES,
  ...DEFAULT_ID_RULES,
  ...DEFAULT_QR_RULES,
  ...DEFAULT_MERCHANT_QR_RULES,
];
