import { isAscii as isAsciiBytes } from 'node:buffer';
import iconv from 'iconv-lite';
import type { Charset } from './constants.js';

/**
 * Maps an `_input_charset` value to the canonical charset name, or null when it is not accepted.
 * Absent or empty means GBK, the documented default (docs/reference/alipay-mapi-protocol.md §9.5); the case varies in
 * real traffic (`utf-8` / `UTF-8`, §9.2, §10.5 item 2).
 */
export function normalizeCharset(value: string | undefined): Charset | null {
  if (value === undefined) return 'GBK';
  switch (value.trim().toLowerCase()) {
    case '':
      return 'GBK';
    case 'utf-8':
    case 'utf8':
      return 'UTF-8';
    case 'gbk':
      return 'GBK';
    case 'gb2312':
      return 'GB2312';
    default:
      return null;
  }
}

/**
 * Decodes bytes leniently, like Java's decoders: invalid sequences become U+FFFD instead of throwing,
 * so a request sent in the wrong charset fails the signature check (ILLEGAL_SIGN) rather than parsing.
 * GB2312 is decoded as GBK, its superset.
 */
export function decodeBytes(bytes: Buffer, charset: Charset): string {
  // Buffer#toString('utf8') replaces invalid sequences with U+FFFD and, unlike TextDecoder, keeps a
  // leading BOM: the value must reach the signature check unchanged.
  if (charset === 'UTF-8') return bytes.toString('utf8');
  if (isAsciiBytes(bytes)) return bytes.toString('latin1');
  // iconv-lite on both sides (here and in encodeText) so that decode → encode gives back the bytes the
  // client signed; ICU's GBK table maps a few dozen user-defined codes differently.
  return iconv.decode(bytes, 'gbk');
}

const NOT_ASCII = /[\u0080-\uFFFF]/;

/**
 * decodeBytes for bytes held as a byte string (one character per byte, form-decode.ts): ASCII bytes
 * are their own text in every accepted charset, so most values are returned as they are.
 */
export function decodeByteString(bytes: string, charset: Charset): string {
  if (!NOT_ASCII.test(bytes)) return bytes;
  return decodeBytes(Buffer.from(bytes, 'latin1'), charset);
}

/** Encodes text in the charset: the bytes that MD5 signatures are computed over (docs/reference/alipay-mapi-protocol.md §9.3). */
export function encodeText(text: string, charset: Charset): Buffer {
  if (charset === 'UTF-8') return Buffer.from(text, 'utf8');
  if (isAscii(text)) return Buffer.from(text, 'latin1');
  return iconv.encode(text, 'gbk');
}

/**
 * encodeText for node:crypto, which hashes a string as its UTF-8 bytes: the text itself when those
 * are its bytes in the charset (UTF-8, or ASCII in GBK), which spares a Buffer a signature, else
 * encodeText's bytes.
 */
export function hashInput(text: string, charset: Charset): string | Buffer {
  return charset === 'UTF-8' || isAscii(text) ? text : iconv.encode(text, 'gbk');
}

/**
 * True when every code unit of the text is 7-bit ASCII: then, and only then, its UTF-8 form has one
 * byte per code unit. Node counts that natively, several times faster than a regex scan of the whole
 * envelope, which every answer is checked with.
 */
export function isAscii(text: string): boolean {
  return Buffer.byteLength(text, 'utf8') === text.length;
}
