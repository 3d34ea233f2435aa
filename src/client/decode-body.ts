import iconv from 'iconv-lite';

const HEADER_CHARSET = /;\s*charset\s*=\s*"?([^";\s]+)"?/i;
const DECLARED_ENCODING = /^\s*<\?xml[^>]*\sencoding\s*=\s*["']([^"']+)["']/i;

/**
 * Decodes an answer body with the charset of its Content-Type header, as Alipay's SDK does
 * (docs/reference/alipay-mapi-protocol.md §9.1), falling back to the XML declaration and then UTF-8. The sandbox and the real
 * gateway answer GBK; decoding as UTF-8 garbles echoed Chinese text (§10.4).
 */
export function decodeBody(body: Buffer, contentType: string | undefined): { text: string; charset: string } {
  const fromHeader = HEADER_CHARSET.exec(contentType ?? '')?.[1];
  // The declaration is ASCII in every charset the gateway uses, so a latin1 peek reads it safely.
  const fromDeclaration = DECLARED_ENCODING.exec(body.subarray(0, 200).toString('latin1'))?.[1];
  const charset = (fromHeader ?? fromDeclaration ?? 'UTF-8').toUpperCase();
  if (charset === 'UTF-8' || charset === 'UTF8' || !iconv.encodingExists(charset)) {
    return { text: body.toString('utf8'), charset: 'UTF-8' };
  }
  return { text: iconv.decode(body, charset), charset };
}
