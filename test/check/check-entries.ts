import { CANCEL_SERVICE, PAY_SERVICE, QUERY_SERVICE, REFUND_SERVICE } from '../../src/protocol/constants.js';
import type { CheckEntry } from '../../src/check/check-entry.js';

const SERVICE = { pay: PAY_SERVICE, query: QUERY_SERVICE, cancel: CANCEL_SERVICE, refund: REFUND_SERVICE };

/** How far the merchant's sandbox clock is ahead of the process clock unless a test says otherwise. */
const SANDBOX_AHEAD_MS = 86_400_000;

/**
 * Builds request log entries in order: each call adds one, received `at` seconds after the start, at the
 * sandbox time `sandbox` seconds after the start (a day ahead of the process clock; default: `at`).
 */
export function entryList(): {
  add(
    service: keyof typeof SERVICE,
    tradeId: string,
    outcome: string,
    opts?: {
      at?: number;
      sandbox?: number;
      params?: Record<string, string>;
      answer?: Record<string, string>;
      signed?: boolean;
    },
  ): CheckEntry;
  entries: CheckEntry[];
} {
  const entries: CheckEntry[] = [];
  const start = Date.parse('2026-12-06T03:00:00Z');
  return {
    entries,
    add(service, tradeId, outcome, opts = {}) {
      const idName = service === 'cancel' ? 'out_trade_no' : 'partner_trans_id';
      const params = Object.entries({ [idName]: tradeId, ...opts.params }).map(([name, value]) => ({
        name,
        value,
        source: 'body' as const,
      }));
      const answer = Object.entries(opts.answer ?? {})
        .map(([k, v]) => `<${k}>${v}</${k}>`)
        .join('');
      const e: CheckEntry = {
        id: entries.length + 1,
        receivedAt: new Date(start + (opts.at ?? entries.length) * 1000),
        sandboxAt: new Date(start + SANDBOX_AHEAD_MS + (opts.sandbox ?? opts.at ?? entries.length) * 1000),
        service: SERVICE[service],
        params,
        signature: { ok: opts.signed ?? true, convention: null, signString: '' },
        gatewayError: opts.signed === false ? 'ILLEGAL_SIGN' : null,
        outcome,
        partnerTransId: tradeId,
        responseBody: `<alipay><is_success>T</is_success><response><alipay>${answer}</alipay></response></alipay>`,
      };
      entries.push(e);
      return e;
    },
  };
}
