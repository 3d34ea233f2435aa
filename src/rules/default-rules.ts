import { DEFAULT_ID_RULES } from './default-id-rules.js';
import { DEFAULT_PAY_RULES } from './default-pay-rules.js';
import { DEFAULT_QR_RULES } from './default-qr-rules.js';
import type { DefaultRule } from './default-rule-builders.js';

export type { DefaultRule } from './default-rule-builders.js';

/**
 * The built-in default rules (partner null), in evaluation order, with stable ids. Spot pay is
 * triggered by whole trans_amount values 9801–9829 and 9901–9974 (9901 is Alipay's own documented rule);
 * cancel, refund, query, precreate and create by MOCK_… prefixes of their id parameter. The full table is in docs/rules.md.
 */
export const DEFAULT_RULES: readonly DefaultRule[] = [
  ...DEFAULT_PAY_RULES,
  ...DEFAULT_ID_RULES,
  ...DEFAULT_QR_RULES,
];
