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

// Parsed list columns by text: every gateway request reads a merchant's three lists, and there are
// few distinct texts. A memo of a pure function (callers get copies), so sharing it is safe; cleared
// when full rather than kept in order, as a miss only costs a parse.
const parsedLists = new Map<string, readonly string[]>();
const PARSED_LISTS_MAX = 1_000;

/** A JSON text list column, parsed back to its element type (only this store writes it); a fresh array each call. */
export function parseList<T extends string>(text: string): T[] {
  let list = parsedLists.get(text);
  if (list === undefined) {
    if (parsedLists.size >= PARSED_LISTS_MAX) parsedLists.clear();
    list = JSON.parse(text) as string[];
    parsedLists.set(text, list);
  }
  return list.slice() as T[];
}
