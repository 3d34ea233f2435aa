import { GATEWAY_ERROR_CODES } from '../protocol/gateway-errors.js';
import {
  amountIs,
  business,
  defaultRule,
  failThenNormal,
  type DefaultRule,
} from './default-rule-builders.js';
import { PAY_SERVICE } from '../protocol/constants.js';

/**
 * Spot pay business error codes of docs/reference/alipay-mapi-protocol.md §7.1, answered FAILED with no trade, on
 * trans_amount 9901, 9902, … in this order. 9901 → SYSTEM_ERROR is Alipay's own documented default rule
 * (docs/reference/alipay-mapi-protocol.md §11.2, §14.1) and must stay exactly as it is.
 */
export const PAY_ERROR_CODES = [
  'SYSTEM_ERROR',
  'BUYER_BALANCE_NOT_ENOUGH',
  'BUYER_BANKCARD_BALANCE_NOT_ENOUGH',
  'BUYER_ENABLE_STATUS_FORBID',
  'BUYER_NOT_EXIST',
  'BUYER_NOT_MAINLAND_CERT',
  'BEYOND_PAY_RESTRICTION',
  'BUYER_PAYMENT_AMOUNT_DAY_LIMIT_ERROR',
  'ACCESS_FORBIDDEN',
  'AGREEMENT_NOT_EXIST',
  'BUYER_SELLER_EQUAL',
  'SELLER_NOT_EXIST',
  'EXIST_FORBIDDEN_WORD',
  'REASON_TRADE_BEEN_FREEZEN',
  'TRADE_STATUS_ERROR',
  'REASON_ILLEGAL_STATUS',
  'CONTEXT_INCONSISTENT',
  'CLIENT_VERSION_NOT_MATCH',
  'SOUNDWAVE_PARSER_FAIL',
  'PARTNER_ERROR',
  'UN_SUPPORT_BIZ_TYPE',
  'INVALID_RECEIVE_ACCOUNT',
  'ERROR_BUYER_CERTIFY_LEVEL_LIMIT',
  'ERROR_SELLER_CERTIFY_LEVEL_LIMIT',
  'PULL_MOBILE_CASHIER_FAIL',
  'TOTAL_FEE_EXCEED',
  'CURRENCY_NOT_SUPPORT',
  'INVALID_PARAMETER',
  'TRADE_BUYER_NOT_MATCH',
  'TRADE_HAS_CLOSE',
  'TRADE_HAS_SUCCESS',
] as const;

const pay = (amount: string, name: string, then: DefaultRule['then']): DefaultRule =>
  defaultRule(`default-pay-${amount}`, PAY_SERVICE, `${amount}: ${name}`, amountIs(amount), then);

/** 9901–9931: FAILED with each §7.1 code, ledger untouched. */
const ERRORS = PAY_ERROR_CODES.map((code, i) =>
  pay(String(9901 + i), `FAILED ${code}`, business('FAILED', code)),
);

/** 9941–9949: the answer does not tell the truth yet, or never arrives. */
const UNCERTAIN: DefaultRule[] = [
  pay('9941', 'UNKNOW, paid after 30 s or on the 2nd query', {
    type: 'business',
    result_code: 'UNKNOW',
    effect: 'pending',
    resolve: { to: 'paid', afterSeconds: 30, afterQueries: 2 },
  }),
  pay('9942', 'UNKNOW, closed unpaid after 30 s or on the 2nd query', {
    type: 'business',
    result_code: 'UNKNOW',
    effect: 'pending',
    resolve: { to: 'closed', afterSeconds: 30, afterQueries: 2 },
  }),
  pay('9943', 'UNKNOW, but already paid', {
    type: 'business',
    result_code: 'UNKNOW',
    effect: 'create_trade',
  }),
  pay('9944', 'FAILED SYSTEM_ERROR, but paid', {
    type: 'business',
    result_code: 'FAILED',
    error: 'SYSTEM_ERROR',
    effect: 'create_trade',
  }),
  pay('9945', 'no answer (hang), but paid', { type: 'fault', fault: 'hang', effect: 'create_trade' }),
  pay('9946', 'empty reply, but paid', { type: 'fault', fault: 'empty', effect: 'create_trade' }),
  pay('9947', 'connection reset, but paid', { type: 'fault', fault: 'reset', effect: 'create_trade' }),
  pay('9948', 'no answer (hang), nothing created', { type: 'fault', fault: 'hang', effect: 'none' }),
  pay('9949', 'truncated reply of a normal payment', { type: 'fault', fault: 'truncate' }),
];

/**
 * 9951–9954: transient trouble, then success when the same partner_trans_id is sent again. The
 * sequence progress of a default rule must be kept per rule, partner and partner_trans_id
 * (see sequenceScope), or one merchant's retry would consume another's failure.
 */
const RETRIES: DefaultRule[] = [
  pay('9951', 'FAILED SYSTEM_ERROR once, then normal', failThenNormal(business('FAILED', 'SYSTEM_ERROR'))),
  pay(
    '9952',
    'FAILED SYSTEM_ERROR twice, then normal',
    failThenNormal(business('FAILED', 'SYSTEM_ERROR'), 2),
  ),
  pay(
    '9953',
    'connection reset once, then normal',
    failThenNormal({ type: 'fault', fault: 'reset', effect: 'none' }),
  ),
  pay(
    '9954',
    'no answer (hang) once, then normal',
    failThenNormal({ type: 'fault', fault: 'hang', effect: 'none' }),
  ),
];

/** 9961–9966: a reply arrives but cannot be trusted or read. */
const BROKEN: DefaultRule[] = [
  pay('9961', 'bad response signature, but paid', {
    type: 'broken',
    kind: 'bad_signature',
    effect: 'create_trade',
  }),
  pay('9962', 'wrong response charset, but paid', {
    type: 'broken',
    kind: 'wrong_charset',
    effect: 'create_trade',
  }),
  pay('9963', 'malformed XML, nothing created', { type: 'broken', kind: 'malformed_xml', effect: 'none' }),
  pay('9964', 'HTML 502 page, nothing created', {
    type: 'broken',
    kind: 'html_error',
    status: 502,
    effect: 'none',
  }),
  pay('9965', 'HTML 503 page, nothing created', {
    type: 'broken',
    kind: 'html_error',
    status: 503,
    effect: 'none',
  }),
  pay('9966', 'random bytes, nothing created', { type: 'fault', fault: 'garbage', effect: 'none' }),
];

/** 9971–9974: a normal payment, answered late. */
const SLOW: DefaultRule[] = [
  pay('9971', 'normal after 5 s', { type: 'fault', fault: 'delay', delay: { type: 'fixed', ms: 5000 } }),
  pay('9972', 'normal after 15 s', { type: 'fault', fault: 'delay', delay: { type: 'fixed', ms: 15_000 } }),
  pay('9973', 'normal after 1–10 s', {
    type: 'fault',
    fault: 'delay',
    delay: { type: 'uniform', minMs: 1000, maxMs: 10_000 },
  }),
  pay('9974', 'normal after about 2 s (log-normal)', {
    type: 'fault',
    fault: 'delay',
    delay: { type: 'lognormal', medianMs: 2000, sigma: 0.8 },
  }),
];

/** 9801–9829: every gateway error of docs/reference/alipay-mapi-protocol.md §9.6, in that table's order. */
const GATEWAY = GATEWAY_ERROR_CODES.map((code, i) =>
  pay(String(9801 + i), `gateway error ${code}`, { type: 'gateway_error', code }),
);

/** The spot pay default rules, triggered by trans_amount (whole amounts, compared as numbers). */
export const DEFAULT_PAY_RULES: readonly DefaultRule[] = [
  ...ERRORS,
  ...UNCERTAIN,
  ...RETRIES,
  ...BROKEN,
  ...SLOW,
  ...GATEWAY,
];
