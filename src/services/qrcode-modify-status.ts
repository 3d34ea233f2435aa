import { QRCODE_MODIFY_STATUS_SERVICE } from '../protocol/constants.js';
import { merchantQrIdOf, type MerchantQrStatus } from '../ledger/merchant-qr.js';
import type { Merchant } from '../ledger/model.js';
import { runLedgerStep } from './abort-with.js';
import { merchantQrFailure, merchantQrUrl } from './merchant-qr-answer.js';
import { commonProblem } from './merchant-qr-params.js';
import { checkSchema, invalidParameter } from './param-schema.js';
import { QRCODE_PARAM } from './qrcode-modify.js';
import {
  defineService,
  type ParamCheck,
  type ServiceDeps,
  type ServiceResult,
} from './service-definition.js';

/** The three verbs of modifyStatus and the status each leaves (RESTART: usable again). */
const TARGETS: Readonly<Record<string, MerchantQrStatus>> = {
  STOP: 'STOP',
  RESTART: 'ACTIVE',
  DELETE: 'DELETE',
};

/** A modifyStatus request. */
export interface ModifyStatusInput {
  qrcode: string;
  target: MerchantQrStatus;
}

function parse(params: Readonly<Record<string, string>>): ParamCheck<ModifyStatusInput> {
  const common = commonProblem(params);
  if (common) return common;
  const code = checkSchema(QRCODE_PARAM, params);
  if (!code.ok) return code;
  const status = params['status'];
  if (status === undefined) return { ok: false, kind: 'gateway', reason: 'status is required' };
  const target = TARGETS[status];
  if (target === undefined) return invalidParameter('status must be STOP, RESTART or DELETE');
  return { ok: true, value: { qrcode: code.value.qrcode, target } };
}

/**
 * Moves the code to its new status. A repeat of the same change succeeds again (idempotent); a deleted
 * code cannot restart or stop (Yurun's ModifyStatus: "cannot restart after deletion"), **Decision**:
 * QRCODE_STATUS_ERROR.
 */
function run(
  deps: ServiceDeps,
  merchant: Merchant,
  input: ModifyStatusInput,
  now: Date,
  origin: string | undefined,
): Promise<ServiceResult> {
  const id = merchantQrIdOf(input.qrcode, merchant);
  if (id === undefined) return Promise.resolve({ fields: merchantQrFailure('QRCODE_NOT_EXIST') });
  const answer = { fields: { qrcode: merchantQrUrl(origin, merchant, id), result_code: 'SUCCESS' } };
  return runLedgerStep(() =>
    deps.store.transaction(async (tx) => {
      const code = await tx.getMerchantQrForUpdate(merchant.partner, id);
      if (!code) return { fields: merchantQrFailure('QRCODE_NOT_EXIST') };
      if (code.status === input.target) return answer;
      if (code.status === 'DELETE') return { fields: merchantQrFailure('QRCODE_STATUS_ERROR') };
      await tx.updateMerchantQr(merchant.partner, id, { status: input.target, updatedAt: now });
      return answer;
    }),
  );
}

/** `alipay.commerce.qrcode.modifyStatus` (docs/protocol.md §12.5): STOP, RESTART or DELETE a code. */
export const QRCODE_MODIFY_STATUS = defineService<ModifyStatusInput>({
  name: QRCODE_MODIFY_STATUS_SERVICE,
  parse,
  failure: (_params, error) => merchantQrFailure(error),
  run,
});
