/**
 * The waits between delivery attempts of a notification, compressed for a sandbox: a merchant that
 * fails the first attempt is tried again after 2 s, 5 s, 15 s, 30 s, 1 min, 2 min and 5 min, then the
 * notification fails (8 attempts in about 9 minutes).
 */
export const DEFAULT_NOTIFY_SCHEDULE = '2s,5s,15s,30s,1m,2m,5m';

/**
 * The schedule usually quoted for Alipay's real gateway: 8 attempts spread over about 25 hours
 * (docs/reference/alipay-mapi-protocol.md §12; the exact overseas MAPI schedule is not documented).
 */
export const REAL_GATEWAY_NOTIFY_SCHEDULE = '4m,10m,10m,1h,2h,6h,15h';

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const ENTRY = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/;
/** Longest single wait: a day, like the real gateway's whole retry span. */
const MAX_WAIT_MS = 86_400_000;
const MAX_ENTRIES = 50;

/**
 * Parses a schedule such as `2s,5s,1m` (units ms, s, m, h; a bare number is seconds) into waits in
 * milliseconds. `none` (or an empty text) means a single attempt and no retries. Throws with a readable reason.
 */
export function parseNotifySchedule(text: string): number[] {
  if (text.trim() === 'none') return [];
  const entries = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (entries.length > MAX_ENTRIES) throw new Error(`at most ${MAX_ENTRIES} retries`);
  return entries.map((entry) => {
    const m = ENTRY.exec(entry);
    if (!m?.[1]) throw new Error(`"${entry}" is not a wait such as 500ms, 2s, 5m or 1h`);
    const ms = Math.round(Number(m[1]) * (UNIT_MS[m[2] ?? 's'] ?? 1000));
    if (ms > MAX_WAIT_MS) throw new Error(`"${entry}" is longer than a day`);
    return ms;
  });
}
