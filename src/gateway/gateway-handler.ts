import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { handleGatewayRequest, type GatewayDeps } from './handle-gateway-request.js';
import { renderReply, type GatewayReply } from './render-reply.js';
import type { GatewayOutcome } from './gateway-outcome.js';
import type { TransportFault } from './transport-fault.js';
import type { HeldConnections } from './held-connections.js';
import { releaseWhenClientLeaves } from './release-when-client-leaves.js';
import { joinTurn, type Deliver } from './join-turn.js';

/** The path the gateway answers on; every other path belongs to the application around it. */
export const GATEWAY_PATH = '/gateway.do';

/** Options of the gateway handler. */
export interface GatewayHandlerOptions {
  deps: GatewayDeps;
  /** Largest request body, and largest URL, in bytes; beyond it the answer is ILLEGAL_ARGUMENT. */
  bodyLimit: number;
  /** The request's id: a proxy's `X-Request-Id`, else one of this instance (ops/log-safety.ts). */
  requestId: (req: IncomingMessage) => string;
  /** `scheme://host` as the client addressed the sandbox (X-Forwarded-* of trusted proxies); QR codes point back to it. */
  origin: (req: IncomingMessage) => string;
  /** Called with every request's outcome and what was sent (request log, metrics). */
  onOutcome?: (outcome: GatewayOutcome, response: { status: number; body: string }) => void;
  /** Called with every unexpected failure of the pipeline (in practice the store's) and the request's id. */
  onError?: (err: unknown, requestId: string) => void;
  /** Bounds the requests hang and delay rules hold open; without it they are not bounded. */
  held?: HeldConnections | undefined;
}

/** The body of a request that has none. */
const NO_BODY = Buffer.alloc(0);

/** A hung connection is dropped after this long at the latest, so nothing leaks for ever. */
const HANG_LIMIT_MS = 10 * 60 * 1000;

/** True when the request is the gateway's: its path, before any query, is exactly GATEWAY_PATH. */
export function isGatewayRequest(url: string | undefined): boolean {
  if (url === undefined || !url.startsWith(GATEWAY_PATH)) return false;
  return url.length === GATEWAY_PATH.length || url.charCodeAt(GATEWAY_PATH.length) === 0x3f; // '?'
}

/**
 * The gateway as a plain node:http request handler, ahead of the application's router: every method
 * Node's parser accepts, bodies read raw (never through a form parser: URLSearchParams would destroy
 * GBK), every answer the protocol's envelope, also an oversize body or a failure of the store.
 * It bypasses the web framework because the gateway needs nothing of its routing, hooks and reply
 * objects, which cost every gateway request server CPU (docs/performance-history.md).
 */
export function createGatewayHandler(
  opts: GatewayHandlerOptions,
): (req: IncomingMessage, res: ServerResponse) => void {
  const { bodyLimit } = opts;
  const send = (res: ServerResponse, requestId: string, r: GatewayReply, close = false) => {
    if (res.headersSent || res.destroyed) return;
    res.writeHead(r.statusCode, {
      'x-request-id': requestId,
      'content-type': r.contentType,
      'content-length': r.body.length,
      ...(close ? { connection: 'close' } : {}),
    });
    // Node itself sends no body to a HEAD request.
    res.end(r.body, 'latin1');
  };

  /** send, at the time `deliver` (joinTurn) says; a failure to write ends the connection. */
  const sendWhen = (deliver: Deliver, res: ServerResponse, requestId: string, r: GatewayReply) =>
    deliver(() => {
      try {
        send(res, requestId, r);
      } catch (err) {
        opts.onError?.(err, requestId);
        res.destroy();
      }
    });

  async function answer(
    req: IncomingMessage,
    res: ServerResponse,
    requestId: string,
    body: Buffer,
    deliver: Deliver,
  ) {
    const url = req.url ?? '';
    const q = url.indexOf('?');
    const { reply, outcome, transport } = await handleGatewayRequest(opts.deps, {
      method: req.method ?? '',
      rawQuery: q >= 0 ? url.slice(q + 1) : '',
      body,
      contentType: req.headers['content-type'],
      origin: opts.origin(req),
      hold: (partner) => {
        const release = opts.held?.tryHold(partner);
        if (opts.held && !release) return false;
        if (release) res.once('close', release);
        releaseWhenClientLeaves(res);
        return true;
      },
    });
    outcome.requestId = requestId;
    opts.onOutcome?.(outcome, {
      status: transport ? 0 : reply.statusCode,
      body: transport ? '' : reply.body,
    });
    if (transport) applyFault(res.socket, transport, reply, requestId);
    else sendWhen(deliver, res, requestId, reply);
  }

  const fail = (res: ServerResponse, requestId: string, err: unknown, deliver: Deliver) => {
    opts.onError?.(err, requestId);
    sendWhen(deliver, res, requestId, renderReply.error('SYSTEM_ERROR'));
  };

  /**
   * Answers a request whose body is complete. The answers of the requests that arrived in this turn
   * leave together at its end (join-turn.ts).
   */
  const respond = (req: IncomingMessage, res: ServerResponse, requestId: string, body: Buffer) => {
    const deliver = joinTurn();
    answer(req, res, requestId, body, deliver).catch((err: unknown) => fail(res, requestId, err, deliver));
  };

  return (req, res) => {
    const requestId = opts.requestId(req);
    // The URL is bounded like the body (Node's own limit on the whole request head is 16 KiB more).
    const declared = Number(req.headers['content-length'] ?? 0);
    if ((req.url ?? '').length > bodyLimit || declared > bodyLimit) {
      // What arrives of an oversize body is dropped unread; the connection closes after the answer.
      send(res, requestId, renderReply.error('ILLEGAL_ARGUMENT'), true);
      req.resume();
      return;
    }
    // No Content-Length and no Transfer-Encoding (or a length of 0): the request has no body (RFC 9112
    // §6.3), so it is answered now, without listening to its stream (a GET, as POS terminals send
    // most calls); Node discards the stream's empty end once the answer is sent.
    if (declared === 0 && req.headers['transfer-encoding'] === undefined) {
      respond(req, res, requestId, NO_BODY);
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    req.on('data', (chunk: Buffer) => {
      if (refused) return;
      size += chunk.length;
      if (size > bodyLimit) {
        refused = true;
        chunks.length = 0;
        send(res, requestId, renderReply.error('ILLEGAL_ARGUMENT'), true);
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (refused) return;
      respond(req, res, requestId, chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks));
    });
  };
}

/** Does to the connection what a transport-fault rule asks (docs/rules.md). */
function applyFault(
  socket: Socket | null,
  fault: TransportFault,
  answer: GatewayReply,
  requestId: string,
): void {
  if (!socket) return;
  switch (fault.kind) {
    case 'hang': {
      const timer = setTimeout(() => socket.destroy(), HANG_LIMIT_MS);
      timer.unref();
      socket.once('close', () => clearTimeout(timer));
      return;
    }
    case 'reset':
      socket.resetAndDestroy();
      return;
    case 'empty':
      socket.destroy();
      return;
    case 'garbage':
      socket.end(randomBytes(64 + (randomBytes(1)[0] ?? 0)));
      return;
    case 'truncate': {
      const head =
        `HTTP/1.1 ${answer.statusCode} OK\r\nContent-Type: ${answer.contentType}\r\nX-Request-Id: ${requestId}\r\n` +
        `Content-Length: ${answer.body.length}\r\nConnection: close\r\n\r\n`;
      socket.write(head);
      socket.end(answer.body.slice(0, Math.floor(answer.body.length / 2)), 'latin1', () => socket.destroy());
      return;
    }
  }
}
