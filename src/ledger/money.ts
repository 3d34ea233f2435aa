/** Currencies whose amounts are whole numbers on the wire (docs/reference/alipay-mapi-protocol.md §8.1). */
const ZERO_DECIMAL_CURRENCIES: ReadonlySet<string> = new Set(['JPY', 'KRW']);

/** How many decimals an amount in this currency has: 0 for JPY and KRW, 2 otherwise. */
export function currencyDecimals(currency: string): number {
  return ZERO_DECIMAL_CURRENCIES.has(currency) ? 0 : 2;
}

/** Why an amount string was refused. */
export type AmountProblem = 'syntax' | 'precision' | 'range';

/** Result of parsing a wire amount into integer minor units. */
export type ParsedAmount = { ok: true; minor: number } | { ok: false; problem: AmountProblem };

const AMOUNT_SYNTAX = /^(\d{1,12})(?:\.(\d{1,12}))?$/;

/**
 * Parses a decimal major-unit string ("39.25", "9901") into integer minor units without floats.
 * More decimals than the currency allows is a precision error even when they are zeros: the
 * gateway checks the scale, as BigDecimal would ("1000.00" JPY is refused).
 */
/**
 * `maxHundredths` is the upper bound in hundredths of the major unit (100000000.00 → 10000000000);
 * for zero-decimal currencies the bound is its whole part.
 */
export function parseAmount(text: string, currency: string, maxHundredths: number): ParsedAmount {
  const m = AMOUNT_SYNTAX.exec(text);
  if (!m) return { ok: false, problem: 'syntax' };
  const decimals = currencyDecimals(currency);
  const frac = m[2] ?? '';
  if (frac.length > decimals) return { ok: false, problem: 'precision' };
  const minor = Number(m[1]) * 10 ** decimals + Number(frac.padEnd(decimals, '0') || '0');
  const maxMinor = decimals === 2 ? maxHundredths : Math.floor(maxHundredths / 100);
  if (minor < 1 || minor > maxMinor) return { ok: false, problem: 'range' };
  return { ok: true, minor };
}

/** Writes minor units as the wire shows them: 2 decimals ("0.10"), or none for JPY/KRW. */
export function formatAmount(minor: number, currency: string): string {
  const decimals = currencyDecimals(currency);
  if (decimals === 0) return String(minor);
  const sign = minor < 0 ? '-' : '';
  const abs = Math.abs(minor);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}
