import { currencyDecimals } from './money.js';

/** Scale of rates: rates are kept as integers of 1e-8 so arithmetic stays exact. */
const RATE_SCALE = 100_000_000n;

/**
 * Sandbox rates from each settlement currency to CNY (docs/reference/alipay-mapi-protocol.md §8.1). Fixed values,
 * not market data: tests and screenshots stay reproducible. Overridable via configuration.
 */
export const DEFAULT_CNY_RATES: Readonly<Record<string, string>> = {
  CNY: '1.00000000',
  USD: '7.12340000',
  HKD: '0.91520000',
  EUR: '7.70120000',
  GBP: '9.01230000',
  JPY: '0.04780000',
  KRW: '0.00512000',
  SGD: '5.30450000',
  AUD: '4.61780000',
  CAD: '5.10230000',
  NZD: '4.20560000',
  CHF: '8.05670000',
  THB: '0.20110000',
  SEK: '0.66890000',
  DKK: '1.03240000',
  NOK: '0.65430000',
  MYR: '1.52340000',
  IDR: '0.00045000',
  PHP: '0.12340000',
  MUR: '0.15670000',
  ILS: '1.90120000',
  LKR: '0.02340000',
  RUB: '0.07650000',
  AED: '1.93960000',
  CZK: '0.30980000',
  ZAR: '0.38760000',
};

/** A rate table: currency → CNY rate as a decimal string. */
export type RateTable = Readonly<Record<string, string>>;

/** Parsed rates: every answer with CNY amounts converts at the trade's rate, one of a few texts. */
const UNITS = new Map<string, bigint>();
const MAX_CACHED_RATES = 1024;

function rateUnits(rate: string): bigint {
  let units = UNITS.get(rate);
  if (units === undefined) {
    const [int = '0', frac = ''] = rate.split('.');
    units = BigInt(int) * RATE_SCALE + BigInt(frac.padEnd(8, '0').slice(0, 8) || '0');
    if (UNITS.size >= MAX_CACHED_RATES) UNITS.clear();
    UNITS.set(rate, units);
  }
  return units;
}

/** 10^decimals as a bigint, for the 0 or 2 decimals a currency has. */
function decimalScale(currency: string): bigint {
  return currencyDecimals(currency) === 0 ? 1n : 100n;
}

function formatRate(units: bigint): string {
  return `${units / RATE_SCALE}.${String(units % RATE_SCALE).padStart(8, '0')}`;
}

/** The rate from currency to CNY with 8 decimals ("7.12340000"); undefined when the table lacks it. */
export function cnyRate(currency: string, table: RateTable): string | undefined {
  const rate = table[currency];
  return rate === undefined ? undefined : formatRate(rateUnits(rate));
}

/** Divides with half-up rounding (all operands non-negative). */
function divHalfUp(n: bigint, d: bigint): bigint {
  return (n * 2n + d) / (2n * d);
}

/** Converts minor units of `currency` to CNY minor units at `rate`, rounded half-up (0.066464 → 0.07). */
export function toCnyMinor(minor: number, currency: string, rate: string): number {
  return Number(divHalfUp(BigInt(minor) * rateUnits(rate) * 100n, decimalScale(currency) * RATE_SCALE));
}

/**
 * Rate from the pricing currency to the settlement currency: "1" when they are the same (as in
 * the real sandbox sample, §14.4), otherwise the cross rate through CNY with 8 decimals.
 */
export function crossRate(from: string, to: string, table: RateTable): string | undefined {
  if (from === to) return '1';
  const a = table[from];
  const b = table[to];
  if (a === undefined || b === undefined) return undefined;
  return formatRate(divHalfUp(rateUnits(a) * RATE_SCALE, rateUnits(b)));
}

/**
 * The two rates a new trade records: settlement currency to CNY, and pricing to settlement currency
 * (the defaults stand where the table lacks a currency, as for every trade since the ledger began).
 */
export function tradeRates(
  currency: string,
  transCurrency: string,
  table: RateTable,
): { exchangeRate: string; transForexRate: string } {
  return {
    exchangeRate: cnyRate(currency, table) ?? '1.00000000',
    transForexRate: crossRate(transCurrency, currency, table) ?? '1',
  };
}

/** Converts minor units between currencies at a cross rate from crossRate, rounded half-up. */
export function convertMinor(minor: number, from: string, to: string, rate: string): number {
  if (rate === '1') return minor;
  return Number(
    divHalfUp(BigInt(minor) * rateUnits(rate) * decimalScale(to), decimalScale(from) * RATE_SCALE),
  );
}
