import { z } from 'zod';
import { QRCODE_MODIFY_SERVICE } from '../protocol/constants.js';
import { merchantQrIdOf } from '../ledger/merchant-qr.js';
import type { Merchant } from '../ledger/model.js';
import { runLedgerStep } from './abort-with.js';
import { merchantQrFailure, merchantQrFields } from './merchant-qr-answer.js';
import { parseMerchantQrData, type MerchantQrData } from './merchant-qr-params.js';
import { checkSchema } from './param-schema.js';
import {
  defineService,
  type ParamCheck,
  type ServiceDeps,
  type ServiceResult,
} from './service-definition.js';

/** `qrcode`: the value create answered (a URL of this sandbox's wallet). */
export const QRCODE_PARAM = z.object({ qrcode: z.string().min(1).max(512) });

/** A modify request: the code it names and its new data. */
export interface ModifyInput extends MerchantQrData {
  qrcode: string;
}

function parse(params: Readonly<Record<string, string>>, merchant: Merchant): ParamCheck<ModifyInput> {
  const code = checkSchema(QRCODE_PARAM, params);
  if (!code.ok) return code;
  const data = parseMerchantQrData(params, merchant);
  if (!data.ok) return data;
  return { ok: true, value: { ...data.value, qrcode: code.value.qrcode } };
}

/**
 * Replaces the code's biz_data (and notify_url when sent). A code keeps its store and its kind (with or
 * without channel fee, Yurun: "if channel_fee exists at creation it cannot be removed"): **Decision**.
 */
function run(
  deps: ServiceDeps,
  merchant: Merchant,
  input: ModifyInput,
  now: Date,
  origin: string | undefined,
): Promise<ServiceResult> {
  const id = merchantQrIdOf(input.qrcode, merchant);
  if (id === undefined) return Promise.resolve({ fields: merchantQrFailure('QRCODE_NOT_EXIST') });
  return runLedgerStep(() =>
    deps.store.transaction(async (tx) => {
      const code = await tx.getMerchantQrForUpdate(merchant.partner, id);
      if (!code) return { fields: merchantQrFailure('QRCODE_NOT_EXIST') };
      if (code.status === 'DELETE') return { fields: merchantQrFailure('QRCODE_STATUS_ERROR') };
      if (code.storeId !== input.storeId || code.withFee !== input.withFee)
        return { fields: merchantQrFailure('INVALID_PARAMETER') };
      const patch = {
        bizData: input.bizData,
        storeName: input.storeName,
        currency: input.currency,
        transCurrency: input.transCurrency,
        notifyUrl: input.notifyUrl ?? code.notifyUrl,
        updatedAt: now,
      };
      await tx.updateMerchantQr(merchant.partner, id, patch);
      return { fields: merchantQrFields(origin, merchant, { ...code, ...patch }) };
    }),
  );
}

/** `alipay.commerce.qrcode.modify` (docs/protocol.md §12.5): new data for an existing code, same URL. */
export const QRCODE_MODIFY = defineService<ModifyInput>({
  name: QRCODE_MODIFY_SERVICE,
  parse,
  failure: (_params, error) => merchantQrFailure(error),
  run,
});
