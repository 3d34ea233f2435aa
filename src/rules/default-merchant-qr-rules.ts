import { business, defaultRule, idStartsWith, kebab, type DefaultRule } from './default-rule-builders.js';
import type { RuleService } from './result-codes.js';

/** Documented failures of each merchant QR code service (docs/protocol.md §12.5), as `error`. */
export const MERCHANT_QR_ERROR_CODES = {
  create: ['INVALID_PARAMETER', 'SYSTEM_ERROR'],
  modify: ['QRCODE_NOT_EXIST', 'QRCODE_STATUS_ERROR', 'INVALID_PARAMETER', 'SYSTEM_ERROR'],
  status: ['QRCODE_NOT_EXIST', 'QRCODE_STATUS_ERROR', 'INVALID_PARAMETER', 'SYSTEM_ERROR'],
} as const;

function rulesOf(
  service: RuleService,
  short: keyof typeof MERCHANT_QR_ERROR_CODES,
  field: string,
): DefaultRule[] {
  return MERCHANT_QR_ERROR_CODES[short].map((code) => {
    const prefix = `MOCK_QRCODE_${short.toUpperCase()}_${code}-`;
    return defaultRule(
      `default-qrcode-${short}-${kebab(code)}`,
      service,
      `${prefix}: FAIL ${code}`,
      idStartsWith(field, prefix),
      business('FAIL', code),
    );
  });
}

/**
 * Default rules of the merchant QR code services: a prefix of `biz_data.store_id` (create, modify) or of
 * `qrcode` (modifyStatus) answers FAIL with the code: MOCK_QRCODE_CREATE_SYSTEM_ERROR-… (docs/rules.md).
 */
export const DEFAULT_MERCHANT_QR_RULES: readonly DefaultRule[] = [
  ...rulesOf('alipay.commerce.qrcode.create', 'create', 'biz_data.store_id'),
  ...rulesOf('alipay.commerce.qrcode.modify', 'modify', 'biz_data.store_id'),
  ...rulesOf('alipay.commerce.qrcode.modifyStatus', 'status', 'qrcode'),
];
