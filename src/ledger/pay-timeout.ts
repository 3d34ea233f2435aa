/** Beijing time is GMT+8 all year; `1c` closes at the next Beijing midnight (docs/protocol.md §12.1). */
const BEIJING_OFFSET_MS = 8 * 60 * 60 * 1000;
const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
/** `it_b_pay` ranges from 1m to 15d (docs/protocol.md §12.1). */
const MAX_MS = 15 * UNIT_MS.d;

/**
 * The instant an unpaid QR trade created at `now` closes, from its `it_b_pay` (`90m`, `2h`, `1d`,
 * `1c` = end of the Beijing day); undefined when the text is not a valid timeout. Whole numbers only:
 * Alipay refuses `1.5h` and asks for `90m`.
 */
export function payDeadline(now: Date, itBPay: string): Date | undefined {
  if (itBPay === '1c') {
    const beijing = now.getTime() + BEIJING_OFFSET_MS;
    const nextMidnight = (Math.floor(beijing / UNIT_MS.d) + 1) * UNIT_MS.d;
    return new Date(nextMidnight - BEIJING_OFFSET_MS);
  }
  const m = /^([1-9]\d{0,5})([mhd])$/.exec(itBPay);
  if (!m) return undefined;
  const ms = Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS];
  return ms > MAX_MS ? undefined : new Date(now.getTime() + ms);
}
