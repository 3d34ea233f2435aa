import { formatAmount } from '../ledger/money.js';
import type { Buyer, Refund, Trade } from '../ledger/model.js';
import type { RequestLogEntry } from '../ports/request-log.js';

// The JSON shapes of the admin API, which the console also shows (its JSON views and downloads):
// written once here so the two never drift apart.

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** JSON view of a trade; amounts as the wire writes them. */
export function tradeJson(t: Trade) {
  return {
    ...t,
    amount: formatAmount(t.amountMinor, t.transCurrency),
    refunded: formatAmount(t.refundedMinor, t.transCurrency),
    createdAt: iso(t.createdAt),
    paidAt: iso(t.paidAt),
    closedAt: iso(t.closedAt),
    expiresAt: iso(t.expiresAt),
  };
}

/** JSON view of a refund. */
export function refundJson(r: Refund) {
  return { ...r, amount: formatAmount(r.amountMinor, r.currency), createdAt: r.createdAt.toISOString() };
}

/** JSON view of a buyer, balances as major-unit strings. */
export function buyerJson(b: Buyer) {
  const shown: Record<string, string> = {};
  for (const [c, minor] of Object.entries(b.balances)) shown[c] = formatAmount(minor, c);
  return {
    ...b,
    balances: shown,
    createdAt: b.createdAt.toISOString(),
    updatedAt: b.updatedAt.toISOString(),
  };
}

/** JSON view of a log entry; the response body is given as the text a GBK-reading client sees. */
export function logEntryJson(e: RequestLogEntry) {
  return {
    ...e,
    receivedAt: e.receivedAt.toISOString(),
    sandboxAt: e.sandboxAt?.toISOString() ?? null,
    responseBody: new TextDecoder('gbk').decode(Buffer.from(e.responseBody, 'latin1')),
  };
}
