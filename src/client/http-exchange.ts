import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
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
}

/** The raw answer: status, headers, body bytes (decoding is the caller's business). */
export interface HttpExchangeResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

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
 * Sends one request with node:http(s) and collects the whole answer. Every failure below HTTP becomes a
 * MapiTransportError: `timeout` when the deadline passes, `network` for refused, reset or DNS errors.
 */
export function httpExchange(req: HttpExchangeRequest, agents: HttpAgents): Promise<HttpExchangeResponse> {
  return new Promise((resolve, reject) => {
    const isHttps = req.url.protocol === 'https:';
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
      { method: req.method, headers, agent: isHttps ? agents.https : agents.http },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) });
        });
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
