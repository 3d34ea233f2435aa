import type { FastifyError, FastifyInstance } from 'fastify';
import type { Store } from '../storage/store.js';
import { resolvePrincipal, type AdminAccess } from './admin-auth.js';
import { createCredentialThrottle } from './credential-throttle.js';
import { enforceRouteAccess, type Principal } from './principal.js';
import { apiKeyRoutes } from './api-key-routes.js';
import { explainRoute } from './explain-route.js';
import { OPENAPI_DOCUMENT } from './openapi.js';
import { Problem, sendProblem } from './problem.js';
import { merchantRoutes } from './merchant-routes.js';
import { buyerRoutes } from './buyer-routes.js';
import { tradeRoutes } from './trade-routes.js';
import { ruleRoutes } from './rule-routes.js';
import { requestLogRoutes } from './request-log-routes.js';
import { sandboxRoutes } from './sandbox-routes.js';
import { notificationRoutes } from './notification-routes.js';
import { walletRoutes } from './wallet-routes.js';
import type { RateTable } from '../ledger/rates.js';
import type { LedgerPolicy } from '../ledger/trade-lifecycle.js';
import { checkRoutes } from './check-routes.js';
import type { NotificationQueue } from '../notify/notification-queue.js';
import type { RuleEngine } from '../rules/rule-engine.js';
import type { RequestLogWriter } from '../gateway/request-log-writer.js';
import type { Clock } from '../clock.js';
import type { AlipayKeys } from '../protocol/alipay-keys.js';

/** Options of the admin API plugin. */
export interface AdminApiOptions {
  store: Store;
  adminToken: string | undefined;
  /** Host names answered without a token besides loopback ones (--allowed-hosts). */
  allowedHosts?: readonly string[] | undefined;
  rules: RuleEngine;
  requestLog: RequestLogWriter;
  clock: Clock;
  alipayKeys: AlipayKeys;
  /** The outbox (forced trade states notify) and a way to make the delivery worker look now. */
  notifications?: { queue: NotificationQueue; kick(): void } | undefined;
  /** The unpaid timeout and refund window (the wallet settles trades before acting on them). */
  policy?: LedgerPolicy | undefined;
  /** Rates of the trades merchant QR code payments create (the wallet). */
  rates?: RateTable | undefined;
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
  // Fastify wants decorations declared up front and refuses object defaults; the hook below sets it
  // on every request before any handler can read it.
  app.decorateRequest<Principal>('principal', null as unknown as Principal);
  // JSON only: Fastify's built-in text/plain parser would hand a string to the schemas (400 instead of 415).
  app.removeContentTypeParser('text/plain');
  const access: AdminAccess = {
    adminToken: opts.adminToken,
    allowedHosts: opts.allowedHosts ?? [],
    throttle: createCredentialThrottle(opts.store, opts.clock),
  };
  // Who calls, and the checks the route table implies (principal.ts), before any body is read.
  app.addHook('onRequest', async (req) => {
    req.principal = await resolvePrincipal(req, access, opts.store);
    enforceRouteAccess(req);
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
  explainRoute(app, opts.store, opts.requestLog, opts.clock);
  sandboxRoutes(app, opts.store, opts.clock, opts.notifications?.queue, opts.requestLog);
  notificationRoutes(app, opts.store, opts.clock, () => opts.notifications?.kick());
  checkRoutes(app, opts.store, opts.rules, opts.requestLog, opts.clock);
  apiKeyRoutes(app, opts.store);
  if (opts.policy) {
    const { store, clock, policy } = opts;
    walletRoutes(
      app,
      { store, clock, policy, rates: opts.rates, notifications: opts.notifications?.queue },
      () => opts.notifications?.kick(),
    );
  }
  app.get('/api/openapi.json', () => OPENAPI_DOCUMENT);
  // Merchants verify RSA/RSA2 answers with this key (the portal's "Alipay public key").
  app.get('/api/alipay-public-key', () => ({
    pem: opts.alipayKeys.publicKeyPem,
    base64: opts.alipayKeys.publicKeyPem.replace(/-----[^-]+-----|\s/g, ''),
  }));
  done();
}
