import type { FastifyInstance } from 'fastify';
import type { StoreHealth, StoreReadiness } from '../ports/store-health.js';
import type { InFlightTracker } from './in-flight.js';
import { METRICS_CONTENT_TYPE } from './metrics-registry.js';
import type { SandboxMetrics } from './sandbox-metrics.js';

/** Options of the operations routes. */
export interface OpsRoutesOptions {
  store: StoreHealth;
  metrics: SandboxMetrics;
  inFlight: InFlightTracker;
  /** A store that does not answer /readyz's check within this long is not ready (default 2000 ms). */
  readyTimeoutMs?: number;
}

function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

/**
 * `/readyz` (200 `{status: 'ready'}` when the store answers and its migrations are current, else 503
 * with the reason; 503 while shutting down) and `/metrics` (Prometheus text). `/healthz` (liveness)
 * is in app.ts. See docs/deployment.md.
 */
export function opsRoutes(app: FastifyInstance, opts: OpsRoutesOptions, done: () => void): void {
  app.get('/readyz', async (req, reply) => {
    if (opts.inFlight.draining()) return reply.code(503).send({ status: 'shutting_down' });
    let verdict: StoreReadiness;
    try {
      const check = opts.store.checkReady?.() ?? Promise.resolve<StoreReadiness>({ ready: true });
      verdict = await withTimeout(check, opts.readyTimeoutMs ?? 2000, 'the store');
    } catch (err) {
      req.log.error({ err }, 'readiness check failed');
      opts.metrics.storeError('readiness');
      // The error stays in the log: a store URL or driver message is nothing to hand out.
      verdict = { ready: false, reason: `store unreachable (request id ${req.id})` };
    }
    if (verdict.ready) return { status: 'ready' };
    return reply.code(503).send({ status: 'not_ready', reason: verdict.reason });
  });
  app.get('/metrics', (_req, reply) => reply.type(METRICS_CONTENT_TYPE).send(opts.metrics.registry.render()));
  done();
}
