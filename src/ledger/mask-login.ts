/**
 * Masks a buyer login the way real responses show it (docs/reference/alipay-mapi-protocol.md §8.3):
 * e-mail `cnbuyer_8292@alitest.com` → `cnb*@alitest.*`, phone `13212346685` → `132****6685`,
 * `852-12340654` → `852-****0654`.
 */
export function maskLoginId(loginId: string): string {
  const at = loginId.indexOf('@');
  if (at >= 0) {
    const domain = loginId.slice(at + 1);
    const dot = domain.indexOf('.');
    return `${loginId.slice(0, Math.min(3, at))}*@${dot >= 0 ? domain.slice(0, dot) : domain}.*`;
  }
  const dash = loginId.indexOf('-');
  if (dash >= 0) return `${loginId.slice(0, dash + 1)}****${loginId.slice(-4)}`;
  if (loginId.length <= 7) return `${loginId.slice(0, 1)}****`;
  return `${loginId.slice(0, 3)}****${loginId.slice(-4)}`;
}
