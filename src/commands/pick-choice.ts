import { UsageError } from './usage-error.js';

/** The allowed value a flag names, matched case-insensitively (`utf-8` means `UTF-8`); else a usage error. */
export function pickChoice<T extends string>(value: string, allowed: readonly T[], flag: string): T {
  const found = allowed.find((a) => a.toLowerCase() === value.toLowerCase());
  if (found === undefined) throw new UsageError(`${flag} must be one of ${allowed.join(', ')}`);
  return found;
}
