/**
 * Parsing of the raw request: application/x-www-form-urlencoded text → parameters as BYTES, then
 * decoding with `_input_charset` once it is known (docs/reference/alipay-mapi-protocol.md §9.1, §9.5, §10.5, §16 item 1).
 * Values stay bytes until then because the charset itself is one of the parameters, and because
 * URLSearchParams always decodes as UTF-8 and so destroys GBK input. The bytes are held as a byte
 * string (one character U+0000–U+00FF per byte, Node's 'latin1'): a value without escapes is then a
 * slice of the received text, with no Buffer to allocate, and ASCII bytes are already their text.
 */
import type { Charset } from './constants.js';
import { decodeByteString } from './charset.js';

/** One received parameter, percent-decoded to bytes (a byte string) but not yet decoded to text. */
export interface RawParam {
  name: string;
  /** The value's bytes, one character per byte (latin1). */
  value: string;
  source: 'query' | 'body';
}

/** One received parameter decoded with the request charset. */
export interface RequestParam {
  name: string;
  value: string;
  source: 'query' | 'body';
}

/** Result of splitForm: the parameters in arrival order, or the reason for ILLEGAL_ARGUMENT. */
export type SplitResult =
  { ok: true; params: RawParam[] } | { ok: false; code: 'ILLEGAL_ARGUMENT'; reason: string };

/** Result of mergeParams: the union of query and body, or the reason for ILLEGAL_ARGUMENT. */
export type MergeResult =
  { ok: true; params: RawParam[] } | { ok: false; code: 'ILLEGAL_ARGUMENT'; reason: string };

const DEFAULT_MAX_PARAMS = 500;
// Parameter names of every MAPI service are ASCII identifiers; anything else is a malformed request.
const NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/;
const MAX_NAME_LENGTH = 64;
const OUTSIDE_LATIN1 = /[\u0100-\uFFFF]/;
const NEEDS_DECODING = /[%+\x80-\uFFFF]/;
const PERCENT = 0x25;
const PLUS = 0x2b;

/**
 * Splits form-urlencoded text into raw parameters in arrival order. `raw` holds one character per
 * received byte (decode the bytes as latin1); characters above U+00FF are taken as UTF-8.
 * Empty segments are skipped, a segment without '=' is a name with an empty value, '+' is a space.
 */
export function splitForm(
  raw: string,
  source: 'query' | 'body',
  limits?: { maxParams?: number },
): SplitResult {
  const maxParams = limits?.maxParams ?? DEFAULT_MAX_PARAMS;
  const params: RawParam[] = [];
  let start = 0;
  while (start <= raw.length) {
    let end = raw.indexOf('&', start);
    if (end === -1) end = raw.length;
    if (end > start) {
      // Counted before any decoding, so a flood of parameters is rejected after maxParams + 1 segments.
      if (params.length === maxParams) return illegal(`too many parameters (more than ${maxParams})`);
      const parsed = parseSegment(raw.slice(start, end), source);
      if (typeof parsed === 'string') return illegal(parsed);
      params.push(parsed);
    }
    start = end + 1;
  }
  return { ok: true, params };
}

/**
 * The raw parameters of a request's URL query and form body together (splitForm of each, then
 * mergeParams), at most maxParams of them; the reason for ILLEGAL_ARGUMENT when they do not parse.
 */
export function wireParams(rawQuery: string, rawBody: string, maxParams = DEFAULT_MAX_PARAMS): MergeResult {
  const query = splitForm(rawQuery, 'query', { maxParams });
  if (!query.ok) return query;
  const body = splitForm(rawBody, 'body', { maxParams });
  if (!body.ok) return body;
  if (query.params.length + body.params.length > maxParams) return illegal('too many parameters');
  return mergeParams(query.params, body.params);
}

/**
 * Union of the query and body parameters in arrival order, query first (docs/reference/alipay-mapi-protocol.md §9.1, §15).
 * A repeated name with the same value is kept once (the first occurrence): this is how `_input_charset`
 * in both URL and body is handled, its value compared case-insensitively (§10.5 item 2). A repeated name
 * with another value is ambiguous for the signature, hence ILLEGAL_ARGUMENT.
 */
export function mergeParams(query: RawParam[], body: RawParam[]): MergeResult {
  const seen = new Map<string, string>();
  const params: RawParam[] = [];
  for (const list of [query, body]) {
    for (const param of list) {
      const first = seen.get(param.name);
      if (first === undefined) {
        seen.set(param.name, param.value);
        params.push(param);
        continue;
      }
      const same =
        param.name === '_input_charset' ? sameIgnoringAsciiCase(first, param.value) : first === param.value;
      if (!same) return illegal(`duplicate parameter ${param.name} with different values`);
    }
  }
  return { ok: true, params };
}

/**
 * Value of the first parameter with this name, read as latin1: used for `service`, `partner`,
 * `_input_charset` and `sign_type`, which are read before the charset is known (§9.7).
 */
export function findAscii(params: RawParam[], name: string): string | undefined {
  for (const param of params) {
    if (param.name === name) return param.value;
  }
  return undefined;
}

/** Decodes every raw parameter with the request charset, keeping order and source. */
export function decodeParams(params: RawParam[], charset: Charset): RequestParam[] {
  return params.map((p) => ({ name: p.name, value: decodeByteString(p.value, charset), source: p.source }));
}

function illegal(reason: string): { ok: false; code: 'ILLEGAL_ARGUMENT'; reason: string } {
  return { ok: false, code: 'ILLEGAL_ARGUMENT', reason };
}

/** Parses one `name[=value]` segment; returns the reason as a string when it is malformed. */
function parseSegment(segment: string, source: 'query' | 'body'): RawParam | string {
  // Searched in the segment only: searching the whole input for '=' would be quadratic.
  let eq = segment.indexOf('=');
  if (eq === -1) eq = segment.length;
  const rawName = segment.slice(0, eq);
  // A valid name has at most 64 characters, each at most a 3-character escape: skip decoding longer ones.
  if (rawName.length > MAX_NAME_LENGTH * 3) return `invalid parameter name ${quoteSafely(rawName)}`;
  const name = percentDecode(rawName);
  if (typeof name === 'number') return badEscape(rawName.slice(name), 'a parameter name');
  if (!NAME_PATTERN.test(name)) return `invalid parameter name ${quoteSafely(name)}`;
  const rawValue = segment.slice(eq + 1);
  const value = percentDecode(rawValue);
  if (typeof value === 'number') return badEscape(rawValue.slice(value), `parameter ${name}`);
  return { name, value, source };
}

/** Reused by percentDecode for the bytes of one value; grown when a value needs more. */
let scratch = Buffer.allocUnsafe(4096);

/** Percent-decodes text to a byte string; returns the index of the first invalid escape instead. */
function percentDecode(text: string): string | number {
  if (!NEEDS_DECODING.test(text)) return text;
  // Upper bound of the output: one byte per character, three for characters taken as UTF-8.
  const bound = OUTSIDE_LATIN1.test(text) ? text.length * 3 : text.length;
  if (scratch.length < bound) scratch = Buffer.allocUnsafe(bound);
  const out = scratch;
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === PERCENT) {
      const hi = i + 2 < text.length ? hexValue(text.charCodeAt(i + 1)) : -1;
      const lo = hi === -1 ? -1 : hexValue(text.charCodeAt(i + 2));
      if (lo === -1) return i;
      out[n++] = hi * 16 + lo;
      i += 2;
    } else if (c === PLUS) {
      out[n++] = 0x20;
    } else if (c <= 0xff) {
      out[n++] = c;
    } else {
      // Not a byte: a caller passed already-decoded text. Take it as UTF-8, pairing surrogates.
      const pair = c >= 0xd800 && c <= 0xdbff && i + 1 < text.length ? text.charCodeAt(i + 1) : 0;
      const width = pair >= 0xdc00 && pair <= 0xdfff ? 2 : 1;
      n += out.write(text.slice(i, i + width), n, 'utf8');
      i += width - 1;
    }
  }
  return out.toString('latin1', 0, n);
}

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  const lower = c | 0x20;
  if (lower >= 0x61 && lower <= 0x66) return lower - 0x61 + 10;
  return -1;
}

/** Reason for an invalid escape; `rest` is the segment text from the offending '%' on. */
function badEscape(rest: string, where: string): string {
  return `invalid percent escape ${quoteSafely(rest.slice(0, 3))} in ${where}`;
}

function sameIgnoringAsciiCase(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    const lower = x | 0x20;
    if (lower !== (y | 0x20) || lower < 0x61 || lower > 0x7a) return false;
  }
  return true;
}

// Reasons go to the request log and the console: printable ASCII only, and short.
function quoteSafely(text: string): string {
  const shown = text.length > 40 ? `${text.slice(0, 40)}...` : text;
  return `"${shown.replace(/[^\x20-\x7E]|["\\]/g, '?')}"`;
}
