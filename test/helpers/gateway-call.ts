import { request } from 'node:http';
import iconv from 'iconv-lite';
import { XMLParser } from 'fast-xml-parser';
import { buildSignString, md5Sign } from '../../src/protocol/sign.js';
import { encodeForm } from '../../src/protocol/form-encode.js';
import type { Charset } from '../../src/protocol/constants.js';
import { DEMO_MERCHANT } from '../../src/demo-accounts.js';

/** A raw HTTP exchange over a real socket. */
export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  /** The body decoded as GBK, as a client honouring the declaration would. */
  text: string;
}

/** Sends bytes to the sandbox and returns the answer. */
export function rawRequest(
  baseUrl: string,
  opts: { method?: string; path: string; body?: Buffer | string; headers?: Record<string, string> },
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${baseUrl}${opts.path}`,
      { method: opts.method ?? 'GET', headers: opts.headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const body = Buffer.concat(chunks);
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body,
            text: iconv.decode(body, 'gbk'),
          });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    if (opts.body !== undefined) req.write(opts.body);
    req.end();
  });
}

const parser = new XMLParser({ ignoreAttributes: false, parseTagValue: false, trimValues: false });

/** Parsed envelope: is_success, error, request echo, business fields in document order, sign. */
export interface Envelope {
  isSuccess: string;
  error?: string;
  request: Array<[string, string]>;
  response: Record<string, string>;
  responseOrder: string[];
  sign?: string;
  signType?: string;
}

/** Parses an envelope with a real XML parser (also proves it is well-formed). */
export function parseEnvelope(text: string): Envelope {
  const doc = parser.parse(text, true) as { alipay: Record<string, unknown> };
  const root = doc.alipay;
  const params = (root.request as { param?: unknown } | undefined)?.param;
  const list = params === undefined ? [] : Array.isArray(params) ? params : [params];
  const response = (root.response as { alipay?: Record<string, string> } | undefined)?.alipay ?? {};
  return {
    isSuccess: String(root.is_success),
    error: root.error as string | undefined,
    request: list.map((p: Record<string, string>) => [p['@_name'] ?? '', String(p['#text'] ?? '')]),
    response,
    responseOrder: Object.keys(response),
    sign: root.sign as string | undefined,
    signType: root.sign_type as string | undefined,
  };
}

/** Options of a signed call. */
export interface CallOptions {
  partner?: string;
  key?: string;
  charset?: Charset;
  method?: 'GET' | 'POST';
  /** Leave `_input_charset` out of the request entirely. */
  omitCharset?: boolean;
}

/** The form of a request signed with MD5 (demo merchant by default), for the URL or the body. */
export function signedForm(service: string, params: Record<string, string>, opts: CallOptions = {}): string {
  const charset = opts.charset ?? 'UTF-8';
  const all: Record<string, string> = {
    service,
    partner: opts.partner ?? DEMO_MERCHANT.partner,
    ...(opts.omitCharset ? {} : { _input_charset: charset.toLowerCase() }),
    ...params,
  };
  const sign = md5Sign(buildSignString(all), opts.key ?? DEMO_MERCHANT.md5Key, charset);
  return encodeForm({ ...all, sign, sign_type: 'MD5' }, charset);
}

/** Signs params with MD5 (demo merchant by default), sends them, parses the answer. */
export async function callGateway(
  baseUrl: string,
  service: string,
  params: Record<string, string>,
  opts: CallOptions = {},
): Promise<RawResponse & { envelope: Envelope }> {
  const form = signedForm(service, params, opts);
  const res =
    opts.method === 'POST'
      ? await rawRequest(baseUrl, {
          method: 'POST',
          path: '/gateway.do',
          body: form,
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        })
      : await rawRequest(baseUrl, { path: `/gateway.do?${form}` });
  return { ...res, envelope: parseEnvelope(res.text) };
}
