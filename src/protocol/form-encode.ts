import type { Charset } from './constants.js';
import { encodeText } from './charset.js';

const HEX = '0123456789ABCDEF';

/**
 * Builds form-urlencoded text (for clients, the CLI and tests): the bytes of each name and value in
 * the charset are percent-encoded, space as %20 like the Node demo port (docs/reference/alipay-mapi-protocol.md §10.2),
 * and only the unreserved characters A-Z a-z 0-9 - _ . ~ are left alone.
 */
export function encodeForm(
  params: ReadonlyArray<readonly [string, string]> | Record<string, string>,
  charset: Charset,
): string {
  const entries = isEntryList(params) ? params : Object.entries(params);
  return entries
    .map(([name, value]) => `${percentEncode(name, charset)}=${percentEncode(value, charset)}`)
    .join('&');
}

function isEntryList(
  params: ReadonlyArray<readonly [string, string]> | Record<string, string>,
): params is ReadonlyArray<readonly [string, string]> {
  return Array.isArray(params);
}

function percentEncode(text: string, charset: Charset): string {
  const bytes = encodeText(text, charset);
  let out = '';
  for (const b of bytes) {
    if (isUnreserved(b)) out += String.fromCharCode(b);
    else out += `%${HEX.charAt(b >> 4)}${HEX.charAt(b & 15)}`;
  }
  return out;
}

function isUnreserved(b: number): boolean {
  return (
    (b >= 0x41 && b <= 0x5a) || // A-Z
    (b >= 0x61 && b <= 0x7a) || // a-z
    (b >= 0x30 && b <= 0x39) || // 0-9
    b === 0x2d || // -
    b === 0x5f || // _
    b === 0x2e || // .
    b === 0x7e // ~
  );
}
