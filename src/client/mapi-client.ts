/**
 * A typed client of the Alipay Global MAPI gateway for the in-store services (docs/reference/alipay-mapi-protocol.md §3–§6,
 * §9, §12). It speaks the real protocol only, so it works against this sandbox and Alipay's gateways alike.
 */
import {
  type SignType,
  CANCEL_SERVICE,
  PAY_SERVICE,
  QUERY_SERVICE,
  REFUND_SERVICE,
} from '../protocol/constants.js';
import { encodeForm } from '../protocol/form-encode.js';
import { normalizeRsaPublicKey } from '../protocol/sign.js';
import { MapiGatewayError, MapiSignatureError, MapiTransportError } from './client-errors.js';
import { decodeBody } from './decode-body.js';
import { createHttpAgents, httpExchange } from './http-exchange.js';
import { readAnswer } from './read-answer.js';
import { createRequestSigner } from './request-signer.js';
import {
  cancelParams,
  queryParams,
  spotPayParams,
  spotRefundParams,
  type CancelInput,
  type QueryInput,
  type SpotPayInput,
  type SpotRefundInput,
} from './service-inputs.js';
import {
  CANCEL_FIELDS,
  QUERY_FIELDS,
  SPOT_PAY_FIELDS,
  SPOT_REFUND_FIELDS,
  withView,
  type CancelResult,
  type MapiResult,
  type QueryResult,
  type SpotPayResult,
  type SpotRefundResult,
} from './service-results.js';
import { verifyResponse } from './verify-response.js';

/** Service names of the in-store API (docs/reference/alipay-mapi-protocol.md §3–§6). */
export const MAPI_SERVICES = {
  spotPay: PAY_SERVICE,
  cancel: CANCEL_SERVICE,
  spotRefund: REFUND_SERVICE,
  query: QUERY_SERVICE,
} as const;

/** How to reach and sign for one merchant. */
export interface MapiClientOptions {
  /** URL of `gateway.do`, e.g. `https://globalmapi.alipay.com/gateway.do` or `http://127.0.0.1:8080/gateway.do`. */
  gateway: string;
  /** Merchant PID (16 digits starting 2088). */
  partner: string;
  /** MD5 key; required for `MD5`, also used to verify MD5 answers. */
  key?: string;
  /** Default `MD5`. */
  signType?: SignType;
  /** Merchant RSA private key (PEM or bare Base64), required for `RSA` / `RSA2`. */
  privateKey?: string;
  /** Alipay's RSA public key; without it RSA answers report `signatureVerified: null`. */
  alipayPublicKey?: string;
  /** `_input_charset`: the bytes that are signed and sent. Default `UTF-8`. */
  charset?: 'UTF-8' | 'GBK';
  /** `POST` (default): form body, `_input_charset` also in the URL as the docs require; `GET`: query string. */
  method?: 'GET' | 'POST';
  /** Whole-call deadline in ms. Default 15000, the read timeout of Alipay's SDK (§9.1). */
  timeoutMs?: number;
  /** Throw MapiSignatureError unless the answer's signature verifies. Default false. */
  strictSignature?: boolean;
}

/** A MAPI client bound to one gateway and one merchant. */
export interface MapiClient {
  /** Charges the buyer's payment code (§3). */
  spotPay(input: SpotPayInput): Promise<SpotPayResult>;
  /** Closes an unpaid trade or refunds a paid one in full (§4). */
  cancel(input: CancelInput): Promise<CancelResult>;
  /** Refunds part or all of a paid trade (§5). */
  spotRefund(input: SpotRefundInput): Promise<SpotRefundResult>;
  /** Reads a trade's status (§6). */
  query(input: QueryInput): Promise<QueryResult>;
  /** Asks the gateway whether a notification's `notify_id` is genuine (§12): the plain-text answer `true` / `false`. */
  notifyVerify(notifyId: string): Promise<boolean>;
  /** Any service with raw parameters (undefined and empty values are not sent); for tools and new services. */
  call(service: string, params: Record<string, string | undefined>): Promise<MapiResult>;
  /** Closes the kept-alive connections. */
  close(): void;
}

const DEFAULT_TIMEOUT_MS = 15_000;
const USER_AGENT = 'alipay-mock-client';

/** Creates a client; throws a TypeError at once when the options cannot sign or verify. */
export function createMapiClient(options: MapiClientOptions): MapiClient {
  const signType = options.signType ?? 'MD5';
  const charset = options.charset ?? 'UTF-8';
  const method = options.method ?? 'POST';
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const gateway = new URL(options.gateway);
  const signer = createRequestSigner({ signType, key: options.key, privateKey: options.privateKey, charset });
  const alipayPublicKey = publicKeyOf(options.alipayPublicKey);
  if (options.strictSignature && signType !== 'MD5' && alipayPublicKey === undefined) {
    throw new TypeError('strictSignature with RSA/RSA2 needs alipayPublicKey');
  }
  const agents = createHttpAgents();

  async function call(service: string, business: Record<string, string | undefined>): Promise<MapiResult> {
    const params = presentOnly({ service, partner: options.partner, _input_charset: charset, ...business });
    const { sign } = signer.sign(params);
    const request = { ...params, sign, sign_type: signType };
    const form = encodeForm(request, charset);
    const url = new URL(gateway);
    const res = await httpExchange(
      method === 'GET'
        ? { url: withQuery(url, form), method, headers: { 'user-agent': USER_AGENT }, timeoutMs }
        : {
            // The docs require `_input_charset` in the URL of a POST (§9.1); it is in the body too, so
            // a gateway reading either place sees it, and it is signed either way.
            url: withQuery(url, encodeForm({ _input_charset: charset }, charset)),
            method,
            headers: {
              'user-agent': USER_AGENT,
              'content-type': `application/x-www-form-urlencoded; charset=${charset}`,
            },
            body: Buffer.from(form, 'latin1'),
            timeoutMs,
          },
      agents,
    );
    const { text, envelope } = readAnswer(res);
    // Alipay's SDK returns at once on `F`, without checking any signature (§9.4).
    if (envelope.isSuccess !== 'T') throw new MapiGatewayError(envelope.error ?? '', text, request);
    const signatureVerified = verifyResponse(envelope, {
      signType,
      charset,
      key: options.key,
      alipayPublicKey,
    });
    if (options.strictSignature && signatureVerified !== true) {
      throw new MapiSignatureError(
        envelope.sign ? 'the answer signature does not verify' : 'the answer is not signed',
        text,
      );
    }
    const fields = envelope.fields ?? {};
    return {
      resultCode: fields['result_code'] ?? '',
      ...(fields['error'] === undefined ? {} : { error: fields['error'] }),
      fields,
      signatureVerified,
      xml: text,
      request,
    };
  }

  return {
    call,
    spotPay: async (input) =>
      withView(await call(MAPI_SERVICES.spotPay, spotPayParams(input, options.partner)), SPOT_PAY_FIELDS),
    cancel: async (input) =>
      withView(await call(MAPI_SERVICES.cancel, cancelParams(input, Date.now)), CANCEL_FIELDS),
    spotRefund: async (input) =>
      withView(await call(MAPI_SERVICES.spotRefund, spotRefundParams(input)), SPOT_REFUND_FIELDS),
    query: async (input) => withView(await call(MAPI_SERVICES.query, queryParams(input)), QUERY_FIELDS),
    notifyVerify: async (notifyId) => {
      // Unsigned, as Alipay's demo sends it (§12): the notify_id itself is the secret being checked.
      const query = encodeForm(
        { service: 'notify_verify', partner: options.partner, notify_id: notifyId },
        charset,
      );
      const url = withQuery(new URL(gateway), query);
      const res = await httpExchange(
        { url, method: 'GET', headers: { 'user-agent': USER_AGENT }, timeoutMs },
        agents,
      );
      return readVerdict(res.status, decodeBody(res.body, res.headers['content-type']).text);
    },
    close: () => agents.destroy(),
  };
}

/** The plain-text `true` / `false` of notify_verify; an `F` envelope is the gateway refusing the call. */
function readVerdict(status: number, text: string): boolean {
  if (status !== 200)
    throw new MapiTransportError('http-status', `HTTP status ${status}`, { status, body: text });
  const verdict = text.trim();
  if (verdict === 'true') return true;
  if (verdict === 'false') return false;
  const refused = /<is_success>\s*F\s*<\/is_success>\s*<error>([^<]*)<\/error>/.exec(text);
  if (refused) throw new MapiGatewayError(refused[1] ?? '', text, {});
  throw new MapiTransportError('not-xml', 'notify_verify answered neither true nor false', {
    status,
    body: text,
  });
}

function publicKeyOf(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const pem = normalizeRsaPublicKey(text);
  if (pem === null) throw new TypeError('alipayPublicKey is not an RSA public key');
  return pem;
}

/** Drops undefined and empty values: they are neither sent nor signed, like Alipay's SDK (§10.3). */
function presentOnly(params: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(params))
    if (value !== undefined && value !== '') out[name] = value;
  return out;
}

/** Appends already percent-encoded pairs to the URL's query, keeping what the gateway URL carries. */
function withQuery(url: URL, encoded: string): URL {
  url.search = url.search.length > 1 ? `${url.search}&${encoded}` : `?${encoded}`;
  return url;
}
