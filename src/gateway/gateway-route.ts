import { randomBytes } from 'node:crypto';
import { METHODS } from 'node:http';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { handleGatewayRequest, type GatewayDeps } from './handle-gateway-request.js';
import { renderReply, type GatewayReply } from './render-reply.js';
import type { GatewayOutcome } from './gateway-outcome.js';
import type { TransportFault } from './transport-fault.js';
import type { HeldConnections } from './held-connections.js';
import { releaseWhenClientLeaves } from './release-when-client-leaves.js';

/** Options of the gateway plugin. */
export interface GatewayRouteOptions {
  deps: GatewayDeps;
  /** Called with every request's outcome and what was sent (request log, metrics). */
  onOutcome?: (outcome: GatewayOutcome, response: { status: number; body: Buffer }) => void;
  /** Called with every unexpected failure of the pipeline (in practice the store's), after it was logged. */
  onError?: (err: unknown) => void;
  /** Bounds the requests hang and delay rules hold open; without it they are not bounded. */
  held?: HeldConnections | undefined;
}

/** A hung connection is dropped after this long at the latest, so nothing leaks for ever. */
const HANG_LIMIT_MS = 10 * 60 * 1000;

/** Does to the connection what a transport-fault rule asks (docs/rules.md), bypassing Fastify's reply. */
function applyFault(
  reply: FastifyReply,
  fault: TransportFault,
  answer: GatewayReply,
  requestId: string,
): void {
  const socket = reply.raw.socket;
  void reply.hijack();
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
      socket.end(answer.body.subarray(0, Math.floor(answer.body.length / 2)), () => socket.destroy());
      return;
    }
  }
}

/**
 * Mounts `/gateway.do` for every method. Bodies are read raw (never through a form parser:
 * URLSearchParams would destroy GBK), and every error, including an oversize body, is answered
 * with the protocol's envelope.
 */
export function gatewayRoute(app: FastifyInstance, opts: GatewayRouteOptions, done: () => void): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, next) => next(null, body));
  // Every answer names its request, also the refusals before the pipeline: the id finds the request-log
  // entry (GET /api/requests?requestId=) and, with a proxy's X-Request-Id, the proxy's log line.
  app.addHook('onRequest', (req, reply, done) => {
    reply.header('x-request-id', req.id);
    done();
  });
  app.setErrorHandler((err, req, reply) => {
    // Fastify's own refusals (oversize or unreadable body) carry a 4xx status and are the client's
    // fault: ILLEGAL_ARGUMENT. Anything else is an internal failure (the store, in practice): the
    // gateway-level SYSTEM_ERROR, which tells the client the outcome is unknown and to query.
    const status = (err as { statusCode?: unknown }).statusCode;
    const clientFault = typeof status === 'number' && status >= 400 && status < 500;
    if (clientFault) {
      req.log.warn({ err }, 'gateway request rejected before the pipeline');
    } else {
      req.log.error({ err }, 'gateway request failed');
      opts.onError?.(err);
    }
    const r = renderReply.error(clientFault ? 'ILLEGAL_ARGUMENT' : 'SYSTEM_ERROR');
    return reply.code(r.statusCode).type(r.contentType).send(r.body);
  });
  // Every method Node's HTTP parser accepts is routed here (CONNECT goes to Node's 'connect' event), so a
  // wrong one (PROPFIND, TRACE…) is ILLEGAL_ARGUMENT in the envelope, not the admin API's JSON 404.
  for (const method of METHODS) {
    if (method !== 'CONNECT' && !app.supportedMethods.includes(method))
      app.addHttpMethod(method, { hasBody: true });
  }
  // config bodyLimit bounds the URL too (Node's own limit on the whole request head is 16 KiB more, app.ts).
  const urlLimit = app.initialConfig.bodyLimit ?? Infinity;
  app.route({
    method: app.supportedMethods.filter((m) => m !== 'HEAD'),
    url: '/gateway.do',
    handler: async (req, reply) => {
      const url = req.raw.url ?? '';
      if (url.length > urlLimit) {
        const r = renderReply.error('ILLEGAL_ARGUMENT');
        return reply.code(r.statusCode).type(r.contentType).send(r.body);
      }
      const q = url.indexOf('?');
      const {
        reply: r,
        outcome,
        transport,
      } = await handleGatewayRequest(opts.deps, {
        method: req.method,
        rawQuery: q >= 0 ? url.slice(q + 1) : '',
        body: Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0),
        contentType: req.headers['content-type'],
        hold: (partner) => {
          const release = opts.held?.tryHold(partner);
          if (opts.held && !release) return false;
          if (release) reply.raw.once('close', release);
          releaseWhenClientLeaves(reply.raw);
          return true;
        },
      });
      outcome.requestId = req.id;
      opts.onOutcome?.(outcome, {
        status: transport ? 0 : r.statusCode,
        body: transport ? Buffer.alloc(0) : r.body,
      });
      if (transport) return applyFault(reply, transport, r, req.id);
      return reply.code(r.statusCode).type(r.contentType).send(r.body);
    },
  });
  done();
}
