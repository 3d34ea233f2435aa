import {
  WALLET_REFUSALS,
  walletDecline,
  walletExpire,
  walletPay,
  type WalletDeps,
  type WalletRefusal,
  type WalletResult,
} from '../domain/wallet.js';
import type { Trade } from '../ledger/model.js';

/** Thrown when the wallet refuses: the code is unknown, the order no longer waits, the balance is short … */
export class SandboxWalletError extends Error {
  override readonly name = 'SandboxWalletError';
  constructor(readonly reason: WalletRefusal) {
    super(`${WALLET_REFUSALS[reason]} (${reason})`);
  }
}

/** Options of a wallet action: the sandbox buyer (user id) who scans; default the order's or the default buyer. */
export interface WalletActionOptions {
  buyer?: string;
}

/** Options of a payment: the buyer, and for a merchant QR code the amount the buyer enters ("12.30"). */
export interface WalletPayOptions extends WalletActionOptions {
  amount?: string;
}

/**
 * The sandbox wallet from a test: a buyer scans a precreate `qr_code` and pays, declines, or lets it time
 * out; or scans a merchant QR code (`qrcode`) and pays an amount.
 */
export interface SandboxWallet {
  /**
   * Pays the order as the buyer; resolves to the paid trade (its notification is on its way). A merchant
   * QR code (alipay.commerce.qrcode.create) needs `amount`, and each payment is a new trade.
   */
  pay(qrCode: string, opts?: WalletPayOptions): Promise<Trade>;
  /** Scans and backs out: the order keeps waiting, now with its buyer. */
  decline(qrCode: string, opts?: WalletActionOptions): Promise<Trade>;
  /** Closes the order now, as its timeout would. */
  expire(qrCode: string): Promise<Trade>;
}

/** The wallet of an in-process sandbox; `kick` makes the delivery worker send the notification at once. */
export function sandboxWallet(deps: WalletDeps, kick: () => void): SandboxWallet {
  const done = (result: WalletResult): Trade => {
    if (!result.ok) throw new SandboxWalletError(result.reason);
    kick();
    return result.trade;
  };
  return {
    pay: async (qrCode, opts = {}) => done(await walletPay(deps, qrCode, opts.buyer, opts.amount)),
    decline: async (qrCode, opts = {}) => done(await walletDecline(deps, qrCode, opts.buyer)),
    expire: async (qrCode) => done(await walletExpire(deps, qrCode)),
  };
}
