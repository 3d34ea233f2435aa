import { z } from 'zod';
import type { FastifyInstance } from 'fastify';
import type { Clock } from '../clock.js';
import type { Store } from '../storage/store.js';
import type { Trade } from '../storage/types.js';
import { merchantNow } from '../sandbox-clock.js';
import { Problem } from './problem.js';
import { validateBody } from './validate-body.js';
import { tradeJson } from './trade-routes.js';

const CLOCK_CHANGE = z
  .object({
    advanceSeconds: z.number().int().min(-31_536_000).max(315_360_000).optional(),
    freeze: z.boolean().optional(),
    set: z.iso.datetime({ offset: true }).optional(),
  })
  .strict();

const FORCE_STATE = z
  .object({ status: z.enum(['TRADE_SUCCESS', 'TRADE_CLOSED', 'TRADE_FINISHED']) })
  .strict();

async function mustHaveMerchant(store: Store, partner: string): Promise<void> {
  if (!(await store.getMerchant(partner)))
    throw new Problem('not_found', `merchant ${partner} does not exist`);
}

/** /api/merchants/:partner/clock, …/trades/:id/state and …/reset: what a tester needs to drive time and state. */
export function sandboxRoutes(app: FastifyInstance, store: Store, clock: Clock): void {
  const clockJson = async (partner: string) => {
    const own = await store.getMerchantClock(partner);
    return {
      now: (await merchantNow(store, clock, partner)).toISOString(),
      offsetMs: own?.offsetMs ?? 0,
      frozen: Boolean(own?.frozenAt),
    };
  };

  app.get<{ Params: { partner: string } }>('/api/merchants/:partner/clock', async (req) => {
    await mustHaveMerchant(store, req.params.partner);
    return clockJson(req.params.partner);
  });

  /** One call: set an instant, advance, freeze or unfreeze (in that order). */
  app.post<{ Params: { partner: string } }>('/api/merchants/:partner/clock', async (req) => {
    const { partner } = req.params;
    await mustHaveMerchant(store, partner);
    const change = validateBody(CLOCK_CHANGE, req.body);
    let now = change.set ? new Date(change.set) : await merchantNow(store, clock, partner);
    now = new Date(now.getTime() + (change.advanceSeconds ?? 0) * 1000);
    const own = await store.getMerchantClock(partner);
    const frozen = change.freeze ?? Boolean(own?.frozenAt);
    await store.setMerchantClock(partner, {
      offsetMs: now.getTime() - clock.now().getTime(),
      frozenAt: frozen ? now : null,
    });
    return clockJson(partner);
  });

  app.delete<{ Params: { partner: string } }>('/api/merchants/:partner/clock', async (req) => {
    await mustHaveMerchant(store, req.params.partner);
    await store.setMerchantClock(req.params.partner, null);
    return clockJson(req.params.partner);
  });

  app.post<{ Params: { partner: string; id: string } }>(
    '/api/merchants/:partner/trades/:id/state',
    async (req) => {
      const { partner, id } = req.params;
      const { status } = validateBody(FORCE_STATE, req.body);
      const now = await merchantNow(store, clock, partner);
      const trade = await store.transaction(async (tx) => {
        const found =
          (await tx.getTradeForUpdate(partner, { alipayTransId: id })) ??
          (await tx.getTradeForUpdate(partner, { partnerTransId: id }));
        if (!found) return undefined;
        const patch: Partial<Trade> = { status, resolution: null, expiresAt: null };
        // Paying a pending trade takes the money like the buyer's confirmation would.
        if (status === 'TRADE_SUCCESS' && found.status === 'WAIT_BUYER_PAY') {
          if (!(await tx.adjustBalance(found.buyerUserId, found.transCurrency, -found.amountMinor))) {
            throw new Problem('conflict', 'the buyer balance is too low to pay this trade');
          }
          patch.paidAt = now;
        }
        if (status === 'TRADE_CLOSED' && found.status !== 'TRADE_CLOSED') {
          patch.closedAt = now;
          patch.closeReason = 'timeout';
        }
        await tx.updateTrade(found.alipayTransId, patch);
        return { ...found, ...patch };
      });
      if (!trade) throw new Problem('not_found', `trade ${id} of merchant ${partner} does not exist`);
      return tradeJson(trade);
    },
  );

  app.post<{ Params: { partner: string } }>('/api/merchants/:partner/reset', async (req, reply) => {
    await mustHaveMerchant(store, req.params.partner);
    await store.resetMerchantState(req.params.partner);
    return reply.code(204).send();
  });
}
