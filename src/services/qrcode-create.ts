import { QRCODE_CREATE_SERVICE } from '../protocol/constants.js';
import { merchantQrId, type MerchantQrCode } from '../ledger/merchant-qr.js';
import type { Merchant } from '../ledger/model.js';
import { LostRace, runLedgerStep } from './abort-with.js';
import { merchantQrFailure, merchantQrFields } from './merchant-qr-answer.js';
import { parseMerchantQrData, type MerchantQrData } from './merchant-qr-params.js';
import { defineService, type ServiceDeps, type ServiceResult } from './service-definition.js';

function newCode(merchant: Merchant, data: MerchantQrData, id: string, now: Date): MerchantQrCode {
  return {
    id,
    partner: merchant.partner,
    storeId: data.storeId,
    withFee: data.withFee,
    status: 'ACTIVE',
    bizData: data.bizData,
    storeName: data.storeName,
    currency: data.currency,
    transCurrency: data.transCurrency,
    notifyUrl: data.notifyUrl ?? null,
    createdAt: now,
    updatedAt: now,
  };
}

/**
 * Creates the code, or answers the store's existing one of the same kind: one store has at most one
 * code with a channel fee and one without, and "the data of an existing merchant QR code is returned"
 * (hkapi/qrcode_create). The store slot is a unique key, so concurrent creates make one code.
 */
function run(
  deps: ServiceDeps,
  merchant: Merchant,
  data: MerchantQrData,
  now: Date,
  origin: string | undefined,
): Promise<ServiceResult> {
  return runLedgerStep(() =>
    deps.store.transaction(async (tx) => {
      const existing = await tx.findStoreMerchantQr(merchant.partner, data.storeId, data.withFee);
      if (existing) return { fields: merchantQrFields(origin, merchant, existing) };
      const code = newCode(merchant, data, merchantQrId(await tx.nextSequence('merchant_qr_code')), now);
      if (!(await tx.insertMerchantQr(code))) throw new LostRace();
      return { fields: merchantQrFields(origin, merchant, code) };
    }),
  );
}

/** `alipay.commerce.qrcode.create` (docs/protocol.md §12.5): a static code buyers scan and pay any amount. */
export const QRCODE_CREATE = defineService<MerchantQrData>({
  name: QRCODE_CREATE_SERVICE,
  parse: parseMerchantQrData,
  failure: (_params, error) => merchantQrFailure(error),
  run,
});
