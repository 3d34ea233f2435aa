import type { AlipayKeys } from '../protocol/alipay-keys.js';
import type { Charset, SignType } from '../protocol/constants.js';
import {
  gbkByteString,
  renderErrorEnvelope,
  renderSuccessEnvelope,
  responseSignString,
  sortedFields,
  type SortedFields,
} from '../protocol/envelope.js';
import { md5Sign, rsaSign } from '../protocol/sign.js';
import type { RequestParam } from '../protocol/form-decode.js';
import type { Merchant } from '../ledger/model.js';
import type { ResponseFields } from '../ledger/trade-fields.js';

/** An encoded gateway answer: always HTTP 200, GBK XML (docs/reference/alipay-mapi-protocol.md §15). */
export interface GatewayReply {
  statusCode: number;
  contentType: string;
  /**
   * The answer's bytes as a byte string (latin1: one character per byte). Node writes a string body
   * with the response's head in one piece, where a Buffer costs a second chunk of the same write
   * (docs/performance-history.md); the request log keeps the bytes as this same text.
   */
  body: string;
}

/** Content type of every gateway answer; Alipay's SDK requires the `text/xml;` prefix (§9.1). */
export const GATEWAY_CONTENT_TYPE = 'text/xml; charset=GBK';

function reply(xml: string): GatewayReply {
  return { statusCode: 200, contentType: GATEWAY_CONTENT_TYPE, body: gbkByteString(xml) };
}

/**
 * Signs the business fields with the request's sign type: MD5 with the merchant key, RSA with Alipay's.
 * The values are signed as the client will read them from the XML (a control character as '?',
 * responseSignString).
 */
export function signResponse(
  fields: ResponseFields | SortedFields,
  signType: SignType,
  merchant: Merchant,
  charset: Charset,
  keys: AlipayKeys,
): string {
  const text = responseSignString(fields);
  return signType === 'MD5'
    ? md5Sign(text, merchant.md5Key, charset)
    : rsaSign(text, keys.privateKeyPem, signType, charset);
}

/** Renders gateway answers. */
export const renderReply = {
  /** An unsigned `is_success=F` envelope (§9.6). */
  error(code: string): GatewayReply {
    return reply(renderErrorEnvelope(code));
  },
  /** An `is_success=T` envelope with the request echo and the signed business fields (§9.4). */
  success(input: {
    request: RequestParam[];
    fields: ResponseFields;
    merchant: Merchant;
    signType: SignType;
    charset: Charset;
    keys: AlipayKeys;
  }): GatewayReply {
    // Sorted once: the signature and the envelope take the fields in the same order.
    const fields = sortedFields(input.fields);
    const sign = signResponse(fields, input.signType, input.merchant, input.charset, input.keys);
    return reply(
      renderSuccessEnvelope({
        request: input.request,
        response: fields,
        sign,
        signType: input.signType,
      }),
    );
  },
};
