/** Test helper: the gateway's decoding steps (split, merge, charset, decode) chained as the lead wires them. */
import { normalizeCharset } from '../../src/protocol/charset.js';
import type { Charset } from '../../src/protocol/constants.js';
import { decodeParams, findAscii, mergeParams, splitForm } from '../../src/protocol/form-decode.js';
import type { RequestParam } from '../../src/protocol/form-decode.js';

/** Decodes a raw query string and form body, throwing on anything the gateway would reject. */
export function decodeRequest(rawQuery: string, rawBody = ''): { params: RequestParam[]; charset: Charset } {
  const query = splitForm(rawQuery, 'query');
  const body = splitForm(rawBody, 'body');
  if (!query.ok) throw new Error(query.reason);
  if (!body.ok) throw new Error(body.reason);
  const merged = mergeParams(query.params, body.params);
  if (!merged.ok) throw new Error(merged.reason);
  const charset = normalizeCharset(findAscii(merged.params, '_input_charset'));
  if (charset === null) throw new Error('unsupported charset');
  return { params: decodeParams(merged.params, charset), charset };
}

/** Name/value pairs of decoded parameters, for order-sensitive comparisons. */
export function pairs(params: ReadonlyArray<{ name: string; value: string }>): Array<[string, string]> {
  return params.map((p) => [p.name, p.value]);
}
