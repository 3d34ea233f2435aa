import type { FastifyInstance } from 'fastify';
import { handleGatewayRequest, type GatewayDeps } from './handle-gateway-request.js';
import { renderReply } from './render-reply.js';
import type { GatewayOutcome } from './gateway-outcome.js';

/** Options of the gateway plugin. */
export interface GatewayRouteOptions {
  deps: GatewayDeps;
  /** Called with every request's outcome once the answer is sent (request log, metrics). */
  onOutcome?: (outcome: GatewayOutcome) => void;
}

/**
 * Mounts `/gateway.do` for every method. Bodies are read raw (never through a form parser:
 * URLSearchParams would destroy GBK), and every error, including an oversize body, is answered
 * with the protocol's envelope.
 */
export function gatewayRoute(app: FastifyInstance, opts: GatewayRouteOptions, done: () => void): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
  app.setErrorHandler((err, req, reply) => {
    req.log.warn({ err }, 'gateway request rejected before the pipeline');
    const r = renderReply.error('ILLEGAL_ARGUMENT');
    return reply.code(r.statusCode).type(r.contentType).send(r.body);
  });
  app.route({
    method: ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'],
    url: '/gateway.do',
    handler: async (req, reply) => {
      const url = req.raw.url ?? '';
      const q = url.indexOf('?');
      const { reply: r, outcome } = await handleGatewayRequest(opts.deps, {
        method: req.method,
        rawQuery: q >= 0 ? url.slice(q + 1) : '',
        body: Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0),
        contentType: req.headers['content-type'],
      });
      opts.onOutcome?.(outcome);
      return reply.code(r.statusCode).type(r.contentType).send(r.body);
    },
  });
  done();
}
