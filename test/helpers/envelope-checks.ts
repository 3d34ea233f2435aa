import iconv from 'iconv-lite';
import { XMLParser, XMLValidator } from 'fast-xml-parser';

/** The exact `is_success=F` envelope (docs/protocol.md, "Response envelope"); group 1 is the code. */
export const GATEWAY_ERROR_XML =
  /^<\?xml version="1\.0" encoding="GBK"\?><alipay><is_success>F<\/is_success><error>([A-Z_]+)<\/error><\/alipay>$/;

const DECLARATION = '<?xml version="1.0" encoding="GBK"?>';
// XML 1.0 forbids these; the sandbox must have replaced them before they reach the wire.
// eslint-disable-next-line no-control-regex
const FORBIDDEN_CONTROL = /[\x00-\x08\x0B\x0C\x0E-\x1F]/;

// htmlEntities: true makes fast-xml-parser resolve numeric character references (&#x1F600;) too.
const parser = new XMLParser({
  ignoreAttributes: false,
  parseTagValue: false,
  trimValues: false,
  htmlEntities: true,
});

/** A gateway answer, parsed: `alipay` is the root element's children. */
export interface CheckedAnswer {
  text: string;
  alipay: Record<string, unknown>;
}

/**
 * Checks an answer is the protocol's own envelope: HTTP 200, `text/xml; charset=GBK`, GBK-declared,
 * well-formed XML, `is_success` T (with a `result_code` and a signature) or F (exactly the error
 * shape). Returns what is wrong as a sentence, or the parsed answer.
 */
export function checkEnvelope(
  status: number,
  contentType: string | undefined,
  body: Buffer,
): CheckedAnswer | string {
  if (status !== 200) return `HTTP ${status}`;
  if (contentType !== 'text/xml; charset=GBK') return `content type ${contentType ?? 'none'}`;
  if (body.length === 0) return 'empty body';
  const text = iconv.decode(body, 'gbk');
  if (!text.startsWith(DECLARATION)) return `no GBK declaration: ${text.slice(0, 80)}`;
  if (FORBIDDEN_CONTROL.test(text)) return 'a control character XML forbids';
  const valid = XMLValidator.validate(text);
  if (valid !== true) return `not well-formed: ${valid.err.msg}`;
  const alipay = (parser.parse(text) as { alipay?: Record<string, unknown> }).alipay;
  if (alipay === undefined) return 'no <alipay> root';
  if (alipay.is_success === 'F') {
    return GATEWAY_ERROR_XML.test(text)
      ? { text, alipay }
      : `F envelope of another shape: ${text.slice(0, 200)}`;
  }
  if (alipay.is_success !== 'T') return `is_success ${String(alipay.is_success)}`;
  const response = (alipay.response as { alipay?: Record<string, unknown> } | undefined)?.alipay;
  const resultCode = response?.result_code;
  if (typeof resultCode !== 'string' || resultCode === '') return 'T without a result_code';
  if (typeof alipay.sign !== 'string' || typeof alipay.sign_type !== 'string') return 'T without a signature';
  return { text, alipay };
}

/** The request echo of a parsed T answer as [name, value] pairs, in document order. */
export function echoOf(answer: CheckedAnswer): Array<[string, string]> {
  const params = (answer.alipay.request as { param?: unknown } | undefined)?.param;
  const list = (params === undefined ? [] : Array.isArray(params) ? params : [params]) as Array<
    Record<string, string>
  >;
  return list.map((p) => [p['@_name'] ?? '', String(p['#text'] ?? '')]);
}
