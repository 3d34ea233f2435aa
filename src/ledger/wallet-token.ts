import { createHmac } from 'node:crypto';

/** What a wallet token names: an order QR code (a waiting trade) or a merchant's static QR code. */
export interface WalletTarget {
  kind: 'order' | 'merchant';
  partner: string;
  /** The trade's alipay_trans_id, or the merchant QR code's id. */
  id: string;
}

const TOKEN = /^([om])([0-9]{16})([0-9A-Za-z]{1,40})x([0-9a-f]{12})$/;
const MAC_HEX = 12;

function mac(secret: string, kind: string, partner: string, id: string): string {
  return createHmac('sha256', secret).update(`${kind}:${partner}:${id}`).digest('hex').slice(0, MAC_HEX);
}

/**
 * The token of a QR code URL (`/wallet/<token>`): kind, partner and id, with a MAC under the
 * merchant's MD5 key so that codes cannot be guessed from trade ids (docs/protocol.md §12.6).
 */
export function makeWalletToken(target: WalletTarget, secret: string): string {
  const kind = target.kind === 'order' ? 'o' : 'm';
  return `${kind}${target.partner}${target.id}x${mac(secret, kind, target.partner, target.id)}`;
}

/** The target a token names, before its MAC is checked (the MAC needs the merchant's key). */
export function parseWalletToken(token: string): (WalletTarget & { mac: string }) | undefined {
  const m = TOKEN.exec(token);
  if (!m) return undefined;
  const [, kind, partner, id, tag] = m as unknown as [string, string, string, string, string];
  return { kind: kind === 'o' ? 'order' : 'merchant', partner, id, mac: tag };
}

/** True when the token's MAC is the one this secret gives. */
export function walletTokenValid(parsed: WalletTarget & { mac: string }, secret: string): boolean {
  const kind = parsed.kind === 'order' ? 'o' : 'm';
  return mac(secret, kind, parsed.partner, parsed.id) === parsed.mac;
}

/** The token inside a QR code text: a whole wallet URL, a path, or the bare token. */
export function tokenOfQrCode(qrCode: string): string {
  const trimmed = qrCode.trim();
  const at = trimmed.lastIndexOf('/wallet/');
  const rest = at >= 0 ? trimmed.slice(at + '/wallet/'.length) : trimmed;
  return rest.split(/[/?#]/)[0] ?? '';
}
