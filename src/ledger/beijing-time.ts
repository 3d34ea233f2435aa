/** Beijing time is GMT+8 all year (no DST); "the same day" rules use it (docs/reference/alipay-mapi-protocol.md §2). */
const BEIJING_OFFSET_MS = 8 * 60 * 60 * 1000;

function parts(date: Date): string[] {
  const d = new Date(date.getTime() + BEIJING_OFFSET_MS);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return [
    p(d.getUTCFullYear(), 4),
    p(d.getUTCMonth() + 1),
    p(d.getUTCDate()),
    p(d.getUTCHours()),
    p(d.getUTCMinutes()),
    p(d.getUTCSeconds()),
  ];
}

/** `yyyyMMddHHmmss` in Beijing time, as in `alipay_pay_time`. */
export function formatBeijingCompact(date: Date): string {
  return parts(date).join('');
}

/** `yyyy-MM-dd HH:mm:ss` in Beijing time, as in `notify_time`. */
export function formatBeijing(date: Date): string {
  const [y, mo, d, h, mi, s] = parts(date);
  return `${y}-${mo}-${d} ${h}:${mi}:${s}`;
}

/** The Beijing calendar day `yyyyMMdd`; two instants are "the same day" when these are equal. */
export function beijingDay(date: Date): string {
  return parts(date).slice(0, 3).join('');
}

/**
 * Parses a cancel `timestamp`: epoch milliseconds (the documented form) or `yyyy-MM-dd HH:mm:ss`
 * in Beijing time (what Alipay's SDK example sends). Returns undefined when it is neither.
 */
export function parseRequestTimestamp(text: string): Date | undefined {
  if (/^\d{10,13}$/.test(text)) return new Date(Number(text.length === 10 ? `${text}000` : text));
  const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m.map(Number) as [number, number, number, number, number, number, number];
  const t = Date.UTC(y, mo - 1, d, h, mi, s) - BEIJING_OFFSET_MS;
  const back = new Date(t + BEIJING_OFFSET_MS);
  if (back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d || h > 23 || mi > 59 || s > 59)
    return undefined;
  return new Date(t);
}
