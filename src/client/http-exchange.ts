import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import type { LookupFunction } from 'node:net';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { MapiTransportError } from './client-errors.js';

/** One HTTP request of a MAPI call. */
export interface HttpExchangeRequest {
  url: URL;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: Buffer;
  /** Whole-exchange deadline (connect + send + full answer). */
  timeoutMs: number;
  /** Keep at most this many bytes of the answer; past them the connection is closed (default 1 MiB). */
  maxBodyBytes?: number;
  /** Resolves the host name (node's `lookup` option), e.g. to refuse or pin addresses. */
  lookup?: LookupFunction;
}

/** The raw answer: status, headers, body bytes (decoding is the caller's business). */
export interface HttpExchangeResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** True when the answer was longer than maxBodyBytes: `body` holds its first maxBodyBytes bytes. */
  truncated: boolean;
}

/** The answer size httpExchange keeps when the caller sets none: far above any MAPI answer. */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

/** Keep-alive agents for http and https, owned by one client. */
export interface HttpAgents {
  http: HttpAgent;
  https: HttpsAgent;
  destroy(): void;
}

/**
 * Keep-alive agents: a POS talks to one gateway all day, so reusing the TLS connection saves a
 * handshake per payment. Idle sockets are unref'd by Node, so they never keep a CLI process alive.
 */
export function createHttpAgents(): HttpAgents {
  const http = new HttpAgent({ keepAlive: true });
  const https = new HttpsAgent({ keepAlive: true });
  return {
    http,
    https,
    destroy: () => {
      http.destroy();
      https.destroy();
    },
  };
}

/**
 * Sends one request with node:http(s) and collects the answer, at most maxBodyBytes of it. Every failure below HTTP becomes a
 * MapiTransportError: `timeout` when the deadline passes, `network` for refused, reset or DNS errors.
 */
export function httpExchange(req: HttpExchangeRequest, agents: HttpAgents): Promise<HttpExchangeResponse> {
  return new Promise((resolve, reject) => {
    const isHttps = req.url.protocol === 'https:';
    const maxBody = req.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
    const send = isHttps ? httpsRequest : httpRequest;
    let settled = false;
    const fail = (err: MapiTransportError) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      reject(err);
    };
    const headers = { ...req.headers };
    if (req.body !== undefined) headers['content-length'] = String(req.body.length);
    const outgoing = send(
      req.url,
      {
        method: req.method,
        headers,
        agent: isHttps ? agents.https : agents.http,
        ...(req.lookup === undefined ? {} : { lookup: req.lookup }),
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        const finish = (truncated: boolean) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          const body = Buffer.concat(chunks);
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: truncated ? body.subarray(0, maxBody) : body,
            truncated,
          });
        };
        res.on('data', (chunk: Buffer) => {
          chunks.push(chunk);
          size += chunk.length;
          // A peer that streams without end must not fill our memory: keep the start, drop the rest.
          if (size > maxBody) {
            finish(true);
            outgoing.destroy();
          }
        });
        res.on('end', () => finish(false));
        res.on('error', (err) => fail(networkError(err)));
      },
    );
    const timer = setTimeout(() => {
      fail(new MapiTransportError('timeout', `no complete answer within ${req.timeoutMs} ms`));
      outgoing.destroy();
    }, req.timeoutMs);
    outgoing.on('error', (err) => fail(networkError(err)));
    outgoing.end(req.body);
  });
}

function networkError(err: Error): MapiTransportError {
  const code = (err as NodeJS.ErrnoException).code;
  const what = code === undefined ? err.message : `${code}: ${err.message}`;
  return new MapiTransportError('network', `connection failed (${what})`, { cause: err });
}
