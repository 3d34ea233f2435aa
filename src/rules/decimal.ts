/**
 * Exact decimal numbers for rule conditions. Amounts are compared as digit strings, never as floats,
 * so "9901" equals "9901.00" and "10.5" is greater than "9.99" without any rounding.
 */

/** A decimal number split into sign, integer digits (no leading zeros) and fraction (no trailing zeros). */
export interface Decimal {
  readonly negative: boolean;
  readonly int: string;
  readonly frac: string;
}

/** Longer strings are ids or garbage, not amounts; the bound keeps comparison cost flat. */
const MAX_DECIMAL_LENGTH = 64;

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

/** The index just past the ASCII digits of `text` that start at `i`. */
function digitsEnd(text: string, i: number): number {
  let end = i;
  while (end < text.length && isDigit(text.charCodeAt(end))) end += 1;
  return end;
}

/**
 * Parses a decimal string for the ordering operators (gt, gte, lt, lte): an optional "-", digits
 * (leading zeros allowed), optionally "." and digits. Undefined when it is not such a number.
 * Scanned by hand rather than by a regex: every spot pay runs it for each ordering condition tried.
 */
export function parseDecimal(text: string): Decimal | undefined {
  const n = text.length;
  if (n > MAX_DECIMAL_LENGTH) return undefined;
  const intStart = text.charCodeAt(0) === 45 ? 1 : 0; // '-'
  const intEnd = digitsEnd(text, intStart);
  if (intEnd === intStart) return undefined;
  let fracStart = intEnd;
  let fracEnd = intEnd;
  if (intEnd < n) {
    if (text.charCodeAt(intEnd) !== 46) return undefined; // '.'
    fracStart = intEnd + 1;
    fracEnd = digitsEnd(text, fracStart);
    if (fracEnd === fracStart || fracEnd !== n) return undefined;
  }
  // Leading zeros of the integer part (one digit kept) and trailing zeros of the fraction dropped.
  let from = intStart;
  while (from < intEnd - 1 && text.charCodeAt(from) === 48) from += 1;
  let to = fracEnd;
  while (to > fracStart && text.charCodeAt(to - 1) === 48) to -= 1;
  const int = text.slice(from, intEnd);
  const frac = text.slice(fracStart, to);
  const zero = int === '0' && frac === '';
  return { negative: intStart === 1 && !zero, int, frac };
}

/**
 * Canonical text of a plain decimal ("9901.00" → "9901"), or undefined when the text is not one.
 * Hand-written rather than a regex: every default rule of a request calls it, so it must be cheap.
 */
export function plainDecimalKey(text: string): string | undefined {
  const n = text.length;
  if (n === 0 || n > MAX_DECIMAL_LENGTH) return undefined;
  const negative = text.charCodeAt(0) === 45; // '-'
  const intStart = negative ? 1 : 0;
  const intEnd = digitsEnd(text, intStart);
  if (intEnd === intStart || (text.charCodeAt(intStart) === 48 && intEnd - intStart > 1)) return undefined;
  let end = intEnd;
  if (intEnd < n) {
    if (text.charCodeAt(intEnd) !== 46) return undefined; // '.'
    const fracStart = intEnd + 1;
    if (digitsEnd(text, fracStart) !== n || fracStart === n) return undefined;
    end = n;
    while (end > fracStart && text.charCodeAt(end - 1) === 48) end -= 1;
    if (end === fracStart) end = intEnd;
  }
  const magnitude = text.slice(intStart, end);
  return negative && magnitude !== '0' ? `-${magnitude}` : magnitude;
}

function compareMagnitude(a: Decimal, b: Decimal): number {
  if (a.int.length !== b.int.length) return a.int.length < b.int.length ? -1 : 1;
  if (a.int !== b.int) return a.int < b.int ? -1 : 1;
  const width = Math.max(a.frac.length, b.frac.length);
  const fa = a.frac.padEnd(width, '0');
  const fb = b.frac.padEnd(width, '0');
  return fa === fb ? 0 : fa < fb ? -1 : 1;
}

/** Compares two decimals exactly: negative when a < b, 0 when equal, positive when a > b. */
export function compareDecimal(a: Decimal, b: Decimal): number {
  if (a.negative !== b.negative) return a.negative ? -1 : 1;
  const magnitude = compareMagnitude(a, b);
  return a.negative ? -magnitude : magnitude;
}
