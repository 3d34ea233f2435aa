import type { FastifyError, FastifyInstance } from 'fastify';
import type { Store } from '../storage/store.js';
import { checkAdminAccess } from './admin-auth.js';
import { Problem, sendProblem } from './problem.js';
import { merchantRoutes } from './merchant-routes.js';
import { buyerRoutes } from './buyer-routes.js';
import { tradeRoutes } from './trade-routes.js';
import { ruleRoutes } from './rule-routes.js';
import { requestLogRoutes } from './request-log-routes.js';
import { sandboxRoutes } from './sandbox-routes.js';
import type { RuleEngine } from '../rules/rule-engine.js';
import type { RequestLogWriter } from '../gateway/request-log-writer.js';
import type { Clock } from '../clock.js';
import type { AlipayKeys } from '../gateway/render-reply.js';

/** Options of the admin API plugin. */
export interface AdminApiOptions {
  store: Store;
  adminToken: string | undefined;
  rules: RuleEngine;
  requestLog: RequestLogWriter;
  clock: Clock;
  alipayKeys: AlipayKeys;
}

/** Maps framework errors (bad JSON, wrong media type, oversize) to stable problem codes. */
function toProblem(err: FastifyError | Error): Problem | undefined {
  if (err instanceof Problem) return err;
  const code = (err as FastifyError).code;
  if (code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE')
    return new Problem('unsupported_media_type', 'send application/json');
  if (code === 'FST_ERR_CTP_BODY_TOO_LARGE')
    return new Problem('payload_too_large', 'request body too large');
  if (
    code?.startsWith('FST_ERR_CTP') ||
    code === 'FST_ERR_VALIDATION' ||
    (err as FastifyError).statusCode === 400
  ) {
    return new Problem('invalid_request', err.message);
  }
  return undefined;
}

/** The JSON admin API under /api (docs/admin-api.md). */
export function adminApi(app: FastifyInstance, opts: AdminApiOptions, done: () => void): void {
  app.addHook('onRequest', (req, _reply, next) => {
    checkAdminAccess(req, opts.adminToken);
    next();
  });
  app.setErrorHandler((err: FastifyError, req, reply) => {
    const problem = toProblem(err);
    if (problem) return sendProblem(reply, problem);
    req.log.error({ err }, 'admin API failure');
    return sendProblem(reply, new Problem('internal_error', `internal error (request id ${req.id})`));
  });
  app.setNotFoundHandler((req, reply) =>
    sendProblem(reply, new Problem('not_found', `no route ${req.method} ${req.url.split('?')[0]}`)),
  );
  merchantRoutes(app, opts.store);
  buyerRoutes(app, opts.store);
  tradeRoutes(app, opts.store);
  ruleRoutes(app, opts.store, opts.rules);
  requestLogRoutes(app, opts.store, opts.requestLog);
  sandboxRoutes(app, opts.store, opts.clock);
  // Merchants verify RSA/RSA2 answers with this key (the portal's "Alipay public key").
  app.get('/api/alipay-public-key', () => ({
    pem: opts.alipayKeys.publicKeyPem,
    base64: opts.alipayKeys.publicKeyPem.replace(/-----[^-]+-----|\s/g, ''),
  }));
  done();
}
