import { z } from 'zod';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { RequestLogFilter } from '../ports/request-log.js';
import type { Store } from '../storage/store.js';
import type { RequestLogEntry } from '../ports/request-log.js';
import type { RequestLogWriter } from '../gateway/request-log-writer.js';
import { ownsPartner, scopedPartner } from './principal.js';
import { Problem } from './problem.js';
import { validateBody } from './validate-body.js';
import { logEntryJson } from '../views/json-views.js';

/** Query of GET /api/requests and /api/requests/count. */
export const REQUEST_LOG_FILTER = z.object({
  partner: z.string().max(16).optional(),
  service: z.string().max(64).optional(),
  tradeId: z.string().max(64).optional(),
  ruleId: z.string().max(64).optional(),
  outcome: z.string().max(80).optional(),
  requestId: z.string().max(64).optional(),
  since: z.iso.datetime({ offset: true }).optional(),
  until: z.iso.datetime({ offset: true }).optional(),
  before: z.coerce.number().int().min(1).optional(),
  limit: z.coerce.number().int().min(1).max(500).optional(),
});

function toFilter(q: z.infer<typeof REQUEST_LOG_FILTER>): RequestLogFilter {
  return {
    partner: q.partner,
    service: q.service,
    tradeId: q.tradeId,
    ruleId: q.ruleId,
    outcome: q.outcome,
    requestId: q.requestId,
    since: q.since ? new Date(q.since) : undefined,
    until: q.until ? new Date(q.until) : undefined,
    beforeId: q.before,
    limit: q.limit,
  };
}

/**
 * The log entry with this id, when the caller may see it: another merchant's entry (or one without a
 * known partner, for a merchant key) is answered like a missing one.
 */
export async function mustGetLogEntry(
  req: FastifyRequest,
  store: Store,
  id: string,
): Promise<RequestLogEntry> {
  const entry = /^\d{1,15}$/.test(id) ? await store.getRequestLogEntry(Number(id)) : undefined;
  if (!entry || !ownsPartner(req, entry.partner))
    throw new Problem('not_found', `request ${id} is not in the log`);
  return entry;
}

/** The filter of a list or count; a merchant key only ever sees its own partner's entries. */
function scopedFilter(req: FastifyRequest): RequestLogFilter {
  const filter = toFilter(validateBody(REQUEST_LOG_FILTER, req.query));
  return { ...filter, partner: scopedPartner(req, filter.partner) };
}

/** /api/requests: the gateway request log (list, one entry, count for verification). */
export function requestLogRoutes(app: FastifyInstance, store: Store, writer: RequestLogWriter): void {
  app.get('/api/requests', async (req) => {
    await writer.flush();
    const filter = scopedFilter(req);
    const items = await store.listRequestLog(filter);
    return {
      items: items.map(logEntryJson),
      next: items.length === (filter.limit ?? 50) ? (items.at(-1)?.id ?? null) : null,
    };
  });

  app.get('/api/requests/count', async (req) => {
    await writer.flush();
    return { count: await store.countRequestLog(scopedFilter(req)) };
  });

  app.get<{ Params: { id: string } }>('/api/requests/:id', async (req) => {
    await writer.flush();
    return logEntryJson(await mustGetLogEntry(req, store, req.params.id));
  });
}
