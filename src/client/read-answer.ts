import { MapiTransportError } from './client-errors.js';
import { decodeBody } from './decode-body.js';
import type { HttpExchangeResponse } from './http-exchange.js';
import { parseMapiEnvelope, type MapiEnvelope } from './parse-envelope.js';

const HTML_START = /^\s*<(!doctype\s+html|html[\s>])/i;

/**
 * Turns a raw answer into an envelope, or a MapiTransportError: an HTTP status other than 200, an HTML
 * page (a proxy or a login portal; Alipay's SDK refuses `text/html` too, docs/reference/alipay-mapi-protocol.md §9.1), or a
 * body that is not an `<alipay>` XML envelope.
 */
export function readAnswer(res: HttpExchangeResponse): { text: string; envelope: MapiEnvelope } {
  if (res.truncated) {
    throw new MapiTransportError(
      'not-xml',
      `the answer is longer than ${res.body.length} bytes (not read further)`,
      {
        status: res.status,
      },
    );
  }
  const contentType = res.headers['content-type'];
  const { text } = decodeBody(res.body, contentType);
  if (res.status !== 200) {
    throw new MapiTransportError('http-status', `HTTP status ${res.status}`, {
      status: res.status,
      body: text,
    });
  }
  if (/^\s*text\/html\b/i.test(contentType ?? '') || HTML_START.test(text)) {
    throw new MapiTransportError('html', 'the gateway answered with an HTML page', {
      status: res.status,
      body: text,
    });
  }
  const envelope = parseMapiEnvelope(text);
  if (envelope === null) {
    throw new MapiTransportError('not-xml', 'the answer is not a MAPI XML envelope', {
      status: res.status,
      body: text,
    });
  }
  return { text, envelope };
}
