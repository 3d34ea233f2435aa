import { randomBytes } from 'node:crypto';
import type { GatewayReply } from './render-reply.js';

/** The kinds of broken replies a rule can ask for (docs/rules.md). */
export type BrokenKind = 'bad_signature' | 'malformed_xml' | 'html_error' | 'wrong_charset';

/**
 * Breaks a correct reply the way real networks and gateways do: a signature that does not verify,
 * XML that stops half-way, a proxy's HTML error page, or a body that lies about its charset.
 */
export function breakReply(reply: GatewayReply, kind: BrokenKind, status: 502 | 503 = 502): GatewayReply {
  const text = reply.body;
  switch (kind) {
    case 'bad_signature': {
      const broken = text.replace(/<sign>([^<]*)<\/sign>/, (_m, sign: string) => {
        const fake = /^[0-9a-f]{32}$/i.test(sign)
          ? randomBytes(16).toString('hex')
          : randomBytes(256).toString('base64');
        return `<sign>${fake}</sign>`;
      });
      return { ...reply, body: broken };
    }
    case 'malformed_xml':
      return { ...reply, body: `${text.slice(0, Math.floor(text.length * 0.7))}<` };
    case 'html_error': {
      const title = status === 502 ? '502 Bad Gateway' : '503 Service Temporarily Unavailable';
      const html = `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`;
      return { statusCode: status, contentType: 'text/html', body: html };
    }
    case 'wrong_charset':
      // Bytes stay GBK while header and declaration say UTF-8: clients that trust them garble Chinese.
      return {
        statusCode: reply.statusCode,
        contentType: 'text/xml; charset=UTF-8',
        body: text.replace('encoding="GBK"', 'encoding="UTF-8"'),
      };
  }
}
