import { CANCEL_SERVICE, QUERY_SERVICE, REFUND_SERVICE } from '../protocol/constants.js';
import { GATEWAY_ERROR_CODES } from '../protocol/gateway-errors.js';
import {
  business,
  cancelFailure,
  defaultRule,
  failThenNormal,
  idStartsWith,
  kebab,
  type DefaultRule,
} from './default-rule-builders.js';
import type { Outcome, StepOutcome } from './outcome-schema.js';

/** Cancel error codes of docs/reference/alipay-mapi-protocol.md §7.2 (out_trade_no MOCK_CANCEL_<CODE>-…). */
export const CANCEL_ERROR_CODES = [
  'TRADE_NOT_EXIST',
  'TRADE_STATUS_ERROR',
  'TRADE_HAS_FINISHED',
  'REASON_TRADE_BEEN_FREEZEN',
  'REFUND_AMT_NOT_EQUAL_TOTAL',
  'DISCORDANT_REPEAT_REQUEST',
  'TRADE_ROLE_ERROR',
  'BUYER_ERROR',
  'SELLER_ERROR',
  'INVALID_PARAMETER',
  'SYSTEM_ERROR',
] as const;

/** Refund error codes of docs/reference/alipay-mapi-protocol.md §7.3 (partner_refund_id MOCK_REFUND_<CODE>-…). */
export const REFUND_ERROR_CODES = [
  'PURCHASE_TRADE_NOT_EXIST',
  'TRADE_NOT_EXIST',
  'REFUND_AMT_RESTRICTION',
  'REQUEST_AMOUNT_EXCEED',
  'RETURN_AMOUNT_EXCEED',
  'CURRENCY_NOT_SAME',
  'REFUNDMENT_VALID_DATE_EXCEED',
  'REPEATED_REFUNDMENT_REQUEST',
  'TRADE_HAS_CLOSE',
  'TRADE_STATUS_ERROR',
  'REASON_TRADE_BEEN_FREEZEN',
  'DISCORDANT_REPEAT_REQUEST',
  'TRADE_ROLE_ERROR',
  'INVALID_PARAMETER',
  'SYSTEM_ERROR',
] as const;

/** Query error codes of docs/reference/alipay-mapi-protocol.md §7.4 (partner_trans_id MOCK_QUERY_<CODE>-…). */
export const QUERY_ERROR_CODES = [
  'TRADE_NOT_EXIST',
  'TRANS_NOT_FOUND',
  'SYSTEM_ERROR',
  'INVALID_PARAMETER',
] as const;

/** How one service is triggered: which id parameter carries the prefix, and the word in the prefix. */
interface IdTrigger {
  service: typeof CANCEL_SERVICE | typeof REFUND_SERVICE | typeof QUERY_SERVICE;
  short: 'cancel' | 'refund' | 'query';
  field: 'out_trade_no' | 'partner_refund_id' | 'partner_trans_id';
}

const TRIGGERS: Record<IdTrigger['short'], IdTrigger> = {
  cancel: { service: CANCEL_SERVICE, short: 'cancel', field: 'out_trade_no' },
  refund: { service: REFUND_SERVICE, short: 'refund', field: 'partner_refund_id' },
  query: { service: QUERY_SERVICE, short: 'query', field: 'partner_trans_id' },
};

/**
 * Every trigger ends in a hyphen, which no code contains, so no trigger is the start of another
 * (MOCK_GW_ILLEGAL_SIGN- cannot catch MOCK_GW_ILLEGAL_SIGN_TYPE-…). What follows is the caller's own.
 */
function byPrefix(t: IdTrigger, word: string, name: string, then: Outcome): DefaultRule {
  const prefix = `MOCK_${t.short.toUpperCase()}_${word}-`;
  return defaultRule(
    `default-${t.short}-${kebab(word)}`,
    t.service,
    `${prefix}: ${name}`,
    idStartsWith(t.field, prefix),
    then,
  );
}

function failure(t: IdTrigger, code: string): StepOutcome {
  if (t.short === 'cancel') return cancelFailure('FAIL', code === 'SYSTEM_ERROR', code);
  return business(t.short === 'refund' ? 'FAILED' : 'FAIL', code);
}

function errors(t: IdTrigger, codes: readonly string[]): DefaultRule[] {
  const word = t.short === 'refund' ? 'FAILED' : 'FAIL';
  return codes.map((code) => byPrefix(t, code, `${word} ${code}`, failure(t, code)));
}

/** RETRY (SYSTEM_ERROR once, then normal), TIMEOUT (no answer once, then normal), SLOW (normal after 5 s). */
function scenarios(t: IdTrigger): DefaultRule[] {
  const hang: StepOutcome = { type: 'fault', fault: 'hang' };
  return [
    byPrefix(t, 'RETRY', 'SYSTEM_ERROR once, then normal', failThenNormal(failure(t, 'SYSTEM_ERROR'))),
    byPrefix(t, 'TIMEOUT', 'no answer (hang) once, then normal', failThenNormal(hang)),
    byPrefix(t, 'SLOW', 'normal after 5 s', {
      type: 'fault',
      fault: 'delay',
      delay: { type: 'fixed', ms: 5000 },
    }),
  ];
}

/** MOCK_GW_<CODE>-…: every gateway error of docs/reference/alipay-mapi-protocol.md §9.6 on the service's id parameter. */
function gatewayErrors(t: IdTrigger): DefaultRule[] {
  return GATEWAY_ERROR_CODES.map((code) => {
    const prefix = `MOCK_GW_${code}-`;
    return defaultRule(
      `default-${t.short}-gw-${kebab(code)}`,
      t.service,
      `${prefix}: gateway error ${code}`,
      idStartsWith(t.field, prefix),
      {
        type: 'gateway_error',
        code,
      },
    );
  });
}

/**
 * Default rules of cancel, refund and query, triggered by a prefix of the id that names the request's
 * transaction: cancel's out_trade_no, refund's partner_refund_id, query's partner_trans_id. Sequences
 * (RETRY, TIMEOUT) progress per rule, partner and that id (see sequenceScope).
 */
export const DEFAULT_ID_RULES: readonly DefaultRule[] = [
  ...errors(TRIGGERS.cancel, CANCEL_ERROR_CODES),
  byPrefix(TRIGGERS.cancel, 'UNKNOWN', 'UNKNOWN, nothing cancelled', cancelFailure('UNKNOWN', true)),
  ...scenarios(TRIGGERS.cancel),
  ...gatewayErrors(TRIGGERS.cancel),
  ...errors(TRIGGERS.refund, REFUND_ERROR_CODES),
  byPrefix(TRIGGERS.refund, 'UNKNOWN', 'UNKNOW, nothing refunded', business('UNKNOW')),
  ...scenarios(TRIGGERS.refund),
  ...gatewayErrors(TRIGGERS.refund),
  ...errors(TRIGGERS.query, QUERY_ERROR_CODES),
  ...scenarios(TRIGGERS.query),
  ...gatewayErrors(TRIGGERS.query),
];
