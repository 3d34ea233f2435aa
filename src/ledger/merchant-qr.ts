import { makeWalletToken, parseWalletToken, tokenOfQrCode, walletTokenValid } from './wallet-token.js';

/** Statuses of a merchant QR code: ACTIVE when created or restarted, then STOP or DELETE (docs/protocol.md §12.5). */
export const MERCHANT_QR_STATUSES = ['ACTIVE', 'STOP', 'DELETE'] as const;
/** One merchant QR code status. */
export type MerchantQrStatus = (typeof MERCHANT_QR_STATUSES)[number];

/**
 * A static merchant QR code (`alipay.commerce.qrcode.create`): buyers scan it and pay an amount they
 * enter; every payment is a new trade of its merchant.
 */
export interface MerchantQrCode {
  /** The code's id inside its wallet token (`ocx` + a sequence). */
  id: string;
  partner: string;
  /** `biz_data.store_id`: one store has at most one code with a channel fee and one without. */
  storeId: string;
  /** Whether `biz_data.channel_fee` was given at creation; fixed for the code's life. */
  withFee: boolean;
  status: MerchantQrStatus;
  /** `biz_data` as last accepted (JSON text). */
  bizData: string;
  /** `biz_data.store_name`: the trade name of its payments. */
  storeName: string;
  /** Settlement currency of its payments. */
  currency: string;
  /** Pricing currency: the buyer enters an amount of it. */
  transCurrency: string;
  notifyUrl: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** Fields of a merchant QR code that modify and modifyStatus may change. */
export type MerchantQrPatch = Partial<
  Pick<
    MerchantQrCode,
    'status' | 'bizData' | 'storeName' | 'currency' | 'transCurrency' | 'notifyUrl' | 'updatedAt'
  >
>;

/** The id of the n-th merchant QR code of a store: `ocx` like the codes of real merchant QR samples. */
export function merchantQrId(sequence: number): string {
  return `ocx${String(sequence).padStart(10, '0')}`;
}

/** The wallet token of a merchant QR code: what its `qrcode` URL ends with (docs/protocol.md §12.6). */
export function merchantQrToken(partner: string, id: string, md5Key: string): string {
  return makeWalletToken({ kind: 'merchant', partner, id }, md5Key);
}

/**
 * The id of the merchant QR code a `qrcode` value names, when it is a genuine code of this merchant
 * (a URL, a path or the bare token); undefined for anything else, another merchant's code included.
 */
export function merchantQrIdOf(
  qrCode: string,
  merchant: { partner: string; md5Key: string },
): string | undefined {
  const parsed = parseWalletToken(tokenOfQrCode(qrCode));
  if (!parsed || parsed.kind !== 'merchant' || parsed.partner !== merchant.partner) return undefined;
  return walletTokenValid(parsed, merchant.md5Key) ? parsed.id : undefined;
}
