import { z } from 'zod';
import type { FastifyInstance } from 'fastify';
import type { Clock } from '../clock.js';
import type { Store } from '../storage/store.js';
import type { RequestLogWriter } from '../gateway/request-log-writer.js';
import { changeMerchantClock } from '../ledger/sandbox-clock.js';
import { readMerchantClock, resetMerchantClock } from '../domain/merchant-clock.js';
import { FORCED_TRADE_STATES, forceTradeState } from '../domain/trade-state.js';
import type { NotificationQueue } from '../notify/notification-queue.js';
import { Problem } from './problem.js';
import { validateBody } from './validate-body.js';
import { tradeJson } from '../views/json-views.js';

/** Body of POST /api/merchants/:partner/clock. */
export const CLOCK_CHANGE_SCHEMA = z
  .object({
    advanceSeconds: z.number().int().min(-31_536_000).max(315_360_000).optional(),
    freeze: z.boolean().optional(),
    set: z.iso.datetime({ offset: true }).optional(),
  })
  .strict();

/** Body of POST /api/merchants/:partner/trades/:id/state. */
export const FORCE_STATE_SCHEMA = z.object({ status: z.enum(FORCED_TRADE_STATES) }).strict();

async function mustHaveMerchant(store: Store, partner: string): Promise<void> {
  if (!(await store.getMerchant(partner)))
    throw new Problem('not_found', `merchant ${partner} does not exist`);
}

/** /api/merchants/:partner/clock, …/trades/:id/state and …/reset: what a tester needs to drive time and state. */
export function sandboxRoutes(
  app: FastifyInstance,
  store: Store,
  clock: Clock,
  notifications?: NotificationQueue,
  requestLog?: RequestLogWriter,
): void {
  const clockJson = (partner: string) => readMerchantClock(store, clock, partner);

  app.get<{ Params: { partner: string } }>('/api/merchants/:partner/clock', async (req) => {
    await mustHaveMerchant(store, req.params.partner);
    return clockJson(req.params.partner);
  });

  /** One call: set an instant, advance, freeze or unfreeze (in that order). */
  app.post<{ Params: { partner: string } }>('/api/merchants/:partner/clock', async (req) => {
    const { partner } = req.params;
    await mustHaveMerchant(store, partner);
    const change = validateBody(CLOCK_CHANGE_SCHEMA, req.body);
    await changeMerchantClock(store, clock, partner, {
      ...change,
      set: change.set ? new Date(change.set) : undefined,
    });
    return clockJson(partner);
  });

  app.delete<{ Params: { partner: string } }>('/api/merchants/:partner/clock', async (req) => {
    await mustHaveMerchant(store, req.params.partner);
    return resetMerchantClock(store, clock, req.params.partner);
  });

  app.post<{ Params: { partner: string; id: string } }>(
    '/api/merchants/:partner/trades/:id/state',
    async (req) => {
      const { partner, id } = req.params;
      const { status } = validateBody(FORCE_STATE_SCHEMA, req.body);
      // Forced paid or closed notifies like the real transition would (docs/notifications.md).
      const result = await forceTradeState(store, clock, partner, id, status, notifications);
      if (!result.ok && result.reason === 'balance_too_low') {
        throw new Problem('conflict', 'the buyer balance is too low to pay this trade');
      }
      if (!result.ok) throw new Problem('not_found', `trade ${id} of merchant ${partner} does not exist`);
      return tradeJson(result.trade);
    },
  );

  app.post<{ Params: { partner: string } }>('/api/merchants/:partner/reset', async (req, reply) => {
    await mustHaveMerchant(store, req.params.partner);
    // Entries still buffered would otherwise be written after the reset and survive it.
    await requestLog?.flush();
    await store.resetMerchantState(req.params.partner);
    return reply.code(204).send();
  });
}
