import {
  SERVICES,
  type ServiceName,
  CANCEL_SERVICE,
  PAY_SERVICE,
  QUERY_SERVICE,
  REFUND_SERVICE,
  PRECREATE_SERVICE,
  CREATE_SERVICE,
  QRCODE_CREATE_SERVICE,
  QRCODE_MODIFY_SERVICE,
  QRCODE_MODIFY_STATUS_SERVICE,
} from '../protocol/constants.js';

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
  [PAY_SERVICE]: ['SUCCESS', 'FAILED', 'UNKNOW'],
  [CANCEL_SERVICE]: ['SUCCESS', 'FAIL', 'UNKNOWN'],
  [REFUND_SERVICE]: ['SUCCESS', 'FAILED', 'UNKNOW'],
  [QUERY_SERVICE]: ['SUCCESS', 'FAIL'],
  [PRECREATE_SERVICE]: ['SUCCESS', 'FAIL', 'UNKNOWN'],
  [CREATE_SERVICE]: ['SUCCESS', 'FAIL', 'UNKNOWN'],
  [QRCODE_CREATE_SERVICE]: ['SUCCESS', 'FAIL'],
  [QRCODE_MODIFY_SERVICE]: ['SUCCESS', 'FAIL'],
  [QRCODE_MODIFY_STATUS_SERVICE]: ['SUCCESS', 'FAIL'],
};

/** Services whose rules may create a trade (`create_trade`) or park one (`pending`, docs/rules.md). */
export const TRADE_CREATING_SERVICES: readonly string[] = [PAY_SERVICE, PRECREATE_SERVICE, CREATE_SERVICE];
