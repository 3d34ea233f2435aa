/**
 * The wire output: the `<alipay>` XML envelope (docs/reference/alipay-mapi-protocol.md §9.4, §9.6) built as a plain string,
 * and its GBK encoding (§9.5, §15). String building instead of an XML library because rendering and
 * encoding dominate the cost of a gateway request (docs/architecture.md §7).
 */
import iconv from 'iconv-lite';
import { isAscii } from './charset.js';

const XML_DECLARATION = '<?xml version="1.0" encoding="GBK"?>';
// With the u flag a surrogate pair is one code point, so [\uD800-\uDFFF] only matches lone surrogates.
// The control characters are the point of these patterns: XML 1.0 forbids them.
// CR is escaped too: parsers turn a raw CR into LF (XML 1.0 §2.11), a reference survives.
// Each pattern is written once: the `g` form replaces, a non-global copy tests (a global regex keeps
// lastIndex between test() calls).
// eslint-disable-next-line no-control-regex
const NEEDS_ESCAPE_ALL = /[&<>"'\r\x00-\x08\x0B\x0C\x0E-\x1F\uD800-\uDFFF\uFFFE\uFFFF]/gu;
const NEEDS_ESCAPE = new RegExp(NEEDS_ESCAPE_ALL.source, 'u');
// eslint-disable-next-line no-control-regex
const UNREPRESENTABLE_ALL = /[\x00-\x08\x0B\x0C\x0E-\x1F\uD800-\uDFFF\uFFFE\uFFFF]/gu;
const UNREPRESENTABLE = new RegExp(UNREPRESENTABLE_ALL.source, 'u');
const ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
  '\r': '&#xD;',
};

/**
 * Escapes text for XML content and attributes. Characters XML 1.0 forbids (control characters other
 * than tab, LF and CR, lone surrogates, U+FFFE, U+FFFF) become '?' so the document is always
 * well-formed, whatever a client sent; CR becomes `&#xD;` so that it reads back as CR.
 */
export function escapeXml(text: string): string {
  if (!NEEDS_ESCAPE.test(text)) return text;
  return text.replace(NEEDS_ESCAPE_ALL, (c) => ENTITIES[c] ?? '?');
}

/**
 * The text a client reads back from the envelope: characters XML 1.0 cannot carry become '?', as
 * escapeXml writes them. Responses are signed over this, so the signature matches what is read.
 */
export function xmlReadable(text: string): string {
  return UNREPRESENTABLE.test(text) ? text.replace(UNREPRESENTABLE_ALL, '?') : text;
}

/** Gateway rejection (§9.6, EX-F): no request echo, no response, no signature. */
export function renderErrorEnvelope(code: string): string {
  return `${XML_DECLARATION}<alipay><is_success>F</is_success><error>${escapeXml(code)}</error></alipay>`;
}

/**
 * String to sign of a response (§9.4, §15): the business fields sorted by name, empty and undefined
 * values dropped, joined as `name=value` with '&'. Values are taken as a client reads them back from
 * the envelope (xmlReadable), so the signature matches what is read; text read from an envelope is
 * already so.
 */
export function responseSignString(fields: Record<string, string | undefined> | SortedFields): string {
  return inOrder(fields)
    .map(([name, value]) => `${name}=${xmlReadable(value)}`)
    .join('&');
}

/** Input of renderSuccessEnvelope: the request echo, the business fields and the response signature. */
export interface SuccessEnvelopeInput {
  request: ReadonlyArray<{ name: string; value: string }>;
  /** The business fields, or sortedFields of them (the gateway sorts once, to sign and to render). */
  response: Record<string, string | undefined> | SortedFields | null;
  sign: string | null;
  signType: string | null;
}

/**
 * `is_success=T` envelope on one line like the 2014 capture (§14.6): every received parameter echoed in
 * arrival order (`sign` and `sign_type` included), the business fields sorted alphabetically (one PHP
 * client verifies in document order, §10.4), then `<sign>` and `<sign_type>` after `</response>`.
 * `response: null` omits the business block; `sign: null` omits both signature elements.
 */
export function renderSuccessEnvelope(input: SuccessEnvelopeInput): string {
  let xml = `${XML_DECLARATION}<alipay><is_success>T</is_success><request>`;
  for (const { name, value } of input.request) {
    xml += `<param name="${escapeXml(name)}">${escapeXml(value)}</param>`;
  }
  xml += '</request>';
  if (input.response !== null) {
    xml += '<response><alipay>';
    // Field names come from the service code, never from the client: they are valid element names.
    for (const [name, value] of inOrder(input.response)) {
      xml += `<${name}>${escapeXml(value)}</${name}>`;
    }
    xml += '</alipay></response>';
  }
  if (input.sign !== null) {
    xml += `<sign>${escapeXml(input.sign)}</sign><sign_type>${escapeXml(input.signType ?? '')}</sign_type>`;
  }
  return `${xml}</alipay>`;
}

/**
 * The document's GBK bytes (encodeGbk) as a byte string, one character per byte, as the gateway
 * writes its answers: an ASCII document is already its own bytes, and nothing is copied.
 */
export function gbkByteString(xml: string): string {
  return isAscii(xml) ? xml : encodeGbk(xml).toString('latin1');
}

/**
 * Encodes the document as GBK, as its declaration says (§9.5, §15). Characters GBK cannot represent
 * (emoji, many rare characters) become numeric character references `&#xHEX;` instead of '?', which is
 * valid because client text only appears in element content and attribute values (the markup is ASCII).
 */
export function encodeGbk(xml: string): Buffer {
  if (isAscii(xml)) return Buffer.from(xml, 'latin1');
  let out = '';
  let copied = 0;
  for (let i = 0; i < xml.length; i++) {
    const c = xml.charCodeAt(i);
    if (c < 0x80) continue;
    let replacement: string;
    if (c >= 0xd800 && c <= 0xdfff) {
      const next = c <= 0xdbff && i + 1 < xml.length ? xml.charCodeAt(i + 1) : 0;
      if (next >= 0xdc00 && next <= 0xdfff) {
        // GBK has no character outside the BMP.
        replacement = `&#x${(((c - 0xd800) << 10) + (next - 0xdc00) + 0x10000).toString(16).toUpperCase()};`;
        out += xml.slice(copied, i) + replacement;
        i++;
        copied = i + 1;
        continue;
      }
      // A lone surrogate cannot be referenced either (&#xD800; is not well-formed).
      replacement = '?';
    } else if (isGbkRepresentable(c)) {
      continue;
    } else {
      replacement = `&#x${c.toString(16).toUpperCase()};`;
    }
    out += xml.slice(copied, i) + replacement;
    copied = i + 1;
  }
  return iconv.encode(copied === 0 ? xml : out + xml.slice(copied), 'gbk');
}

/** Business fields as they are signed and rendered: by name in code-unit order, each with a value. */
export type SortedFields = ReadonlyArray<readonly [name: string, value: string]>;

/** The fields in the order they are signed and rendered (§9.4), empty and undefined values dropped. */
export function sortedFields(fields: Record<string, string | undefined>): SortedFields {
  const names: string[] = [];
  for (const name of Object.keys(fields)) {
    const value = fields[name];
    if (value !== undefined && value !== '') names.push(name);
  }
  // The default sort compares code units, the order §9.4 signs in, faster than a comparator.
  return names.sort().map((name) => [name, fields[name]!]);
}

function inOrder(fields: Record<string, string | undefined> | SortedFields): SortedFields {
  // TypeScript's Array.isArray does not narrow a readonly array.
  return Array.isArray(fields) ? (fields as SortedFields) : sortedFields(fields as Record<string, string>);
}

// Per-BMP-character memo of "GBK can encode it": 0 = not checked yet, 1 = yes, 2 = no. It only ever
// caches a pure function of the code point, so sharing it across requests is safe.
const gbkRepresentable = new Uint8Array(0x10000);

/**
 * True when GBK encodes the character as a proper two-byte code. iconv-lite maps unknown characters to
 * '?'; its single byte 0x80 for '€' (code page 936) is refused too, since many GBK decoders lack it.
 */
function isGbkRepresentable(code: number): boolean {
  const known = gbkRepresentable[code];
  if (known === 1) return true;
  if (known === 2) return false;
  const bytes = iconv.encode(String.fromCharCode(code), 'gbk');
  const lead = bytes[0] ?? 0;
  const ok = bytes.length === 2 && lead >= 0x81 && lead <= 0xfe;
  gbkRepresentable[code] = ok ? 1 : 2;
  return ok;
}
