import { merchantQrToken, type MerchantQrCode } from '../ledger/merchant-qr.js';
import type { Merchant } from '../ledger/model.js';
import type { ResponseFields } from '../ledger/trade-fields.js';

/** Where code URLs point when the caller's origin is unknown (a request without a Host header). */
const FALLBACK_ORIGIN = 'http://127.0.0.1:8080';

/** A business failure of the merchant QR code services: `result_code` FAIL and `error` (§12.5). */
export function merchantQrFailure(error: string): ResponseFields {
  return { error, result_code: 'FAIL' };
}

/** The `qrcode` of a merchant QR code: a URL of this sandbox's wallet page (docs/protocol.md §12.6). */
export function merchantQrUrl(origin: string | undefined, merchant: Merchant, id: string): string {
  return `${origin ?? FALLBACK_ORIGIN}/wallet/${merchantQrToken(merchant.partner, id, merchant.md5Key)}`;
}

/** The answer of create and modify: the code's URL and its picture (docs/protocol.md §12.5). */
export function merchantQrFields(
  origin: string | undefined,
  merchant: Merchant,
  code: MerchantQrCode,
): ResponseFields {
  const qrcode = merchantQrUrl(origin, merchant, code.id);
  return { qrcode, qrcode_img_url: `${qrcode}/qr.svg?size=M`, result_code: 'SUCCESS' };
}
