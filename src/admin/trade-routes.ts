import { z } from 'zod';
import type { FastifyInstance } from 'fastify';
import { TRADE_STATUSES } from '../protocol/constants.js';
import type { Store } from '../storage/store.js';
import { findTrade } from '../domain/trade-state.js';
import { scopedPartner } from './principal.js';
import { Problem } from './problem.js';
import { validateBody } from './validate-body.js';
import { refundJson, tradeJson } from '../views/json-views.js';

/** Query of GET /api/trades. */
export const TRADE_LIST_QUERY = z.object({
  partner: z
    .string()
    .regex(/^\d{16}$/)
    .optional(),
  status: z.enum(TRADE_STATUSES).optional(),
  limit: z.coerce.number().int().min(1).max(500).optional(),
  before: z.string().max(64).optional(),
});

/** /api/trades: read the ledger (newest first, cursor paging) and one trade with its refunds. */
export function tradeRoutes(app: FastifyInstance, store: Store): void {
  app.get('/api/trades', async (req) => {
    const q = validateBody(TRADE_LIST_QUERY, req.query);
    const items = await store.listTrades({ ...q, partner: scopedPartner(req, q.partner) });
    const last = items.at(-1);
    return {
      items: items.map(tradeJson),
      next: items.length === (q.limit ?? 50) && last ? last.alipayTransId : null,
    };
  });

  app.get<{ Params: { partner: string; id: string } }>('/api/merchants/:partner/trades/:id', async (req) => {
    const { partner, id } = req.params;
    const trade = await findTrade(store, partner, id);
    if (!trade) throw new Problem('not_found', `trade ${id} of merchant ${partner} does not exist`);
    return { ...tradeJson(trade), refunds: (await store.listRefunds(trade.alipayTransId)).map(refundJson) };
  });
}
