import type { FastifyInstance } from 'fastify';
import type { Clock } from '../clock.js';
import type { RequestLogWriter } from '../gateway/request-log-writer.js';
import type { Store } from '../storage/store.js';
import { explainRequest } from '../domain/explain-request.js';
import { mustGetLogEntry } from './request-log-routes.js';

/**
 * GET /api/requests/:id/explain — "why did nothing match", computed only when asked: the logged
 * request's candidates under the rules, switches and merchant clock as they are now.
 */
export function explainRoute(
  app: FastifyInstance,
  store: Store,
  writer: RequestLogWriter,
  clock: Clock,
): void {
  app.get<{ Params: { id: string } }>('/api/requests/:id/explain', async (req) => {
    await writer.flush();
    const entry = await mustGetLogEntry(req, store, req.params.id);
    return explainRequest(store, clock, entry);
  });
}
