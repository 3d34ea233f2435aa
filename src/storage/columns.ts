// Conversions between domain values and the portable column encodings described in schema.ts.

/** A Date as the epoch-millisecond BIGINT stored in every time column. */
export function toMillis(date: Date): number {
  return date.getTime();
}

/** A nullable Date as a nullable epoch-millisecond column. */
export function toMillisOrNull(date: Date | null): number | null {
  return date === null ? null : date.getTime();
}

/** A nullable epoch-millisecond column as a nullable Date. */
export function fromMillisOrNull(ms: number | null): Date | null {
  return ms === null ? null : new Date(ms);
}

/** A boolean as the INTEGER 0/1 both dialects store. */
export function toFlag(value: boolean): number {
  return value ? 1 : 0;
}

/** A JSON text list column, parsed back to its element type (only this store writes it). */
export function parseList<T extends string>(text: string): T[] {
  return JSON.parse(text) as T[];
}
