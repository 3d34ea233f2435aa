import { XMLParser } from 'fast-xml-parser';

/** What a client needs from an `<alipay>` answer (docs/reference/alipay-mapi-protocol.md §9.4, §9.6). */
export interface MapiEnvelope {
  /** `T` or `F` (anything else is passed through as sent). */
  isSuccess: string;
  /** The gateway error code of an `is_success=F` envelope. */
  error: string | undefined;
  /** Children of `<response><alipay>`, or null when the envelope has no business block. */
  fields: Record<string, string> | null;
  /** The request echo, `<param name="…">` by name. */
  echo: Record<string, string>;
  sign: string | undefined;
  signType: string | undefined;
}

const parser = new XMLParser({
  ignoreAttributes: false,
  // Values must stay exactly as sent: "007" is not 7 and "0.10" is not 0.1 (docs/architecture.md §7),
  // and " a " must keep its spaces or the response signature no longer matches.
  parseTagValue: false,
  trimValues: false,
  // The sandbox writes characters GBK cannot hold as &#xHEX; references (its envelope.ts): decode them.
  htmlEntities: true,
  isArray: (_name, jpath) => jpath === 'alipay.request.param',
});

type XmlNode = Record<string, unknown>;

/**
 * Parses a MAPI answer with a real XML parser. Returns null when the text is not well-formed XML or its
 * root is not `<alipay>` with an `<is_success>` (an HTML error page, a proxy's answer, garbage).
 */
export function parseMapiEnvelope(text: string): MapiEnvelope | null {
  let doc: unknown;
  try {
    // true = validate first: without it, fast-xml-parser turns plain text into an empty object.
    doc = parser.parse(text.replace(/^\uFEFF/, ''), true);
  } catch {
    return null;
  }
  const root = asNode(asNode(doc)?.['alipay']);
  const isSuccess = textOf(root?.['is_success']);
  if (root === undefined || isSuccess === undefined) return null;
  const response = asNode(root['response']);
  const business = response === undefined ? undefined : asNode(response['alipay']);
  return {
    isSuccess: isSuccess.trim(),
    error: textOf(root['error'])?.trim(),
    fields: business === undefined ? (response === undefined ? null : {}) : leafFields(business),
    echo: echoOf(asNode(root['request'])),
    sign: textOf(root['sign'])?.trim(),
    signType: textOf(root['sign_type'])?.trim(),
  };
}

/** The element children holding text; '#text' is the whitespace between children of a pretty-printed answer. */
function leafFields(node: XmlNode): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const [name, value] of Object.entries(node)) {
    if (name === '#text' || name.startsWith('@_')) continue;
    const text = textOf(value);
    if (text !== undefined) fields[name] = text;
  }
  return fields;
}

function echoOf(request: XmlNode | undefined): Record<string, string> {
  const echo: Record<string, string> = {};
  const params = request?.['param'];
  if (!Array.isArray(params)) return echo;
  for (const p of params) {
    if (typeof p === 'string') continue; // a <param> without a name attribute
    const node = asNode(p);
    const name = node?.['@_name'];
    if (typeof name === 'string') echo[name] = textOf(node?.['#text']) ?? '';
  }
  return echo;
}

/** Text of a leaf element: '' for `<x/>`, the first one when an element is repeated, undefined for structures. */
function textOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return textOf(value[0]);
  return undefined;
}

function asNode(value: unknown): XmlNode | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as XmlNode)
    : undefined;
}
