import { business, defaultRule, idStartsWith, kebab, type DefaultRule } from './default-rule-builders.js';
import type { StepOutcome } from './outcome-schema.js';

/** Documented failures of precreate and create (docs/protocol.md §12.4), as `detail_error_code`. */
export const QR_ORDER_ERROR_CODES = [
  'TRADE_HAS_SUCCESS',
  'TRADE_HAS_CLOSE',
  'CONTEXT_INCONSISTENT',
  'TRADE_BUYER_NOT_MATCH',
  'BUYER_NOT_EXIST',
  'TOTAL_FEE_EXCEED',
  'ACCESS_FORBIDDEN',
  'EXIST_FORBIDDEN_WORD',
  'INVALID_PARAMETER',
  'SYSTEM_ERROR',
] as const;

/** The order of a QR service whose buyer never scans: SUCCESS, then it waits for its timeout. */
const NEVER_SCANNED: StepOutcome = { type: 'business', result_code: 'SUCCESS', effect: 'pending' };

function rulesOf(
  service: 'alipay.acquire.precreate' | 'alipay.acquire.create',
  short: string,
): DefaultRule[] {
  const rule = (word: string, name: string, then: StepOutcome) => {
    const prefix = `MOCK_${short.toUpperCase()}_${word}-`;
    return defaultRule(
      `default-${short}-${kebab(word)}`,
      service,
      `${prefix}: ${name}`,
      idStartsWith('out_trade_no', prefix),
      then,
    );
  };
  return [
    ...QR_ORDER_ERROR_CODES.map((code) => rule(code, `FAIL ${code}`, business('FAIL', code))),
    rule('UNKNOWN', 'UNKNOWN, no trade', business('UNKNOWN')),
    rule('NEVER_SCANNED', 'SUCCESS, but no buyer ever pays: the order closes at its timeout', NEVER_SCANNED),
  ];
}

/**
 * Default rules of alipay.acquire.precreate and alipay.acquire.create, triggered by a prefix of
 * out_trade_no (MOCK_PRECREATE_<CODE>-…, MOCK_CREATE_<CODE>-…), like those of cancel (docs/rules.md).
 */
export const DEFAULT_QR_RULES: readonly DefaultRule[] = [
  ...rulesOf('alipay.acquire.precreate', 'precreate'),
  ...rulesOf('alipay.acquire.create', 'create'),
];
