import { SERVICES, type ServiceName } from '../protocol/constants.js';

/** The spot pay service, the only one whose rules may create or park a trade. */
export const PAY_SERVICE: ServiceName = 'alipay.acquire.overseas.spot.pay';

/** Services a rule can name: one of the four, or '*' for all of them. */
export const RULE_SERVICES = [...SERVICES, '*'] as const;

/** A service a rule applies to. */
export type RuleService = (typeof RULE_SERVICES)[number];

/** Every `result_code` spelling of the four services (docs/reference/alipay-mapi-protocol.md §15). */
export const RESULT_CODES = ['SUCCESS', 'FAILED', 'UNKNOW', 'FAIL', 'UNKNOWN'] as const;

/** One `result_code` spelling. */
export type ResultCode = (typeof RESULT_CODES)[number];

/**
 * Result codes per service, spelled exactly as each service does: clients compare them literally
 * (pay and refund FAILED/UNKNOW, query FAIL, cancel FAIL/UNKNOWN — docs/reference/alipay-mapi-protocol.md §15).
 */
export const RESULT_CODES_BY_SERVICE: Readonly<Record<ServiceName, readonly ResultCode[]>> = {
  'alipay.acquire.overseas.spot.pay': ['SUCCESS', 'FAILED', 'UNKNOW'],
  'alipay.acquire.cancel': ['SUCCESS', 'FAIL', 'UNKNOWN'],
  'alipay.acquire.overseas.spot.refund': ['SUCCESS', 'FAILED', 'UNKNOW'],
  'alipay.acquire.overseas.query': ['SUCCESS', 'FAIL'],
  'alipay.acquire.precreate': ['SUCCESS', 'FAIL', 'UNKNOWN'],
  'alipay.acquire.create': ['SUCCESS', 'FAIL', 'UNKNOWN'],
};

/** Services whose rules may create a trade (`create_trade`) or park one (`pending`, docs/rules.md). */
export const TRADE_CREATING_SERVICES: readonly string[] = [
  PAY_SERVICE,
  'alipay.acquire.precreate',
  'alipay.acquire.create',
];
