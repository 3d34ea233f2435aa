import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { readMerchantClock, resetMerchantClock, updateMerchantClock } from '../domain/merchant-clock.js';
import { FORCED_TRADE_STATES, forceTradeState, type ForcedTradeState } from '../domain/trade-state.js';
import { settledTrade } from '../ledger/settle-trade.js';
import { TRADE_STATUSES, type TradeStatus } from '../protocol/constants.js';
import type { RequestLogEntry } from '../ports/request-log.js';
import { merchantBase } from './console-layout.js';
import { formOf, messagePage, queryOf, seeOther, sendPage, type ConsoleContext } from './console-page.js';
import { enc, html } from './html.js';
import { isWalletPayable, tradeDetail, tradeRows } from './trade-view.js';
import { makeWalletToken } from '../ledger/wallet-token.js';

const PAGE_SIZE = 50;

/** The largest clock step the console offers in one go (the admin API allows ten years). */
const MAX_ADVANCE_SECONDS = 366 * 24 * 3600;

async function tradePage(
  ctx: ConsoleContext,
  req: FastifyRequest,
  reply: FastifyReply,
  id: string,
  error?: string,
): Promise<FastifyReply> {
  const { store, clock, policy, requestLog, notifications } = ctx.deps;
  const merchant = req.consoleMerchant!;
  const base = merchantBase(merchant.partner);
  // As the next gateway read would see it: a due resolution, auto-close or end of refunds is applied.
  const trade = await settledTrade(store, clock, policy, merchant.partner, id, notifications);
  if (!trade) {
    return sendPage(ctx, req, reply, messagePage('Not found', 'This merchant has no such trade.'), 404);
  }
  await requestLog.flush();
  const byId = new Map<number, RequestLogEntry>();
  for (const tradeId of new Set([trade.alipayTransId, trade.partnerTransId])) {
    for (const e of await store.listRequestLog({ partner: merchant.partner, tradeId, limit: 100 }))
      byId.set(e.id, e);
  }
  const body = tradeDetail(
    base,
    req.consoleViewer,
    {
      trade,
      refunds: await store.listRefunds(trade.alipayTransId),
      requests: [...byId.values()],
      notifications: await store.listNotifications({
        partner: merchant.partner,
        tradeId: trade.alipayTransId,
      }),
      clock: await readMerchantClock(store, clock, merchant.partner),
      policy,
      walletToken: isWalletPayable(trade)
        ? makeWalletToken(
            { kind: 'order', partner: merchant.partner, id: trade.alipayTransId },
            merchant.md5Key,
          )
        : undefined,
    },
    error,
  );
  return sendPage(
    ctx,
    req,
    reply,
    { title: `Trade ${trade.alipayTransId}`, active: 'trades', body },
    error ? 409 : 200,
  );
}

/** Trades (list, detail with history), forced resolutions and the sandbox clock. */
export function tradeRoutes(app: FastifyInstance, ctx: ConsoleContext): void {
  const { store, clock } = ctx.deps;

  app.get('/trades', async (req, reply) => {
    const merchant = req.consoleMerchant!;
    const base = merchantBase(merchant.partner);
    const q = queryOf(req);
    const status = TRADE_STATUSES.includes(q['status'] as TradeStatus) ? q['status'] : undefined;
    const before = q['before'] && /^[0-9A-Za-z]{1,64}$/.test(q['before']) ? q['before'] : undefined;
    const trades = await store.listTrades({
      partner: merchant.partner,
      limit: PAGE_SIZE,
      ...(status ? { status } : {}),
      ...(before ? { before } : {}),
    });
    const last = trades.at(-1);
    const body = html`<div class="page-head">
        <h1>Trades</h1>
        <p class="lead">
          The ledger of ${merchant.name}, newest first. Open a trade for its history and the tester's actions.
        </p>
      </div>
      <form method="get" action="${base}/trades" class="filters" role="search" aria-label="Filter trades">
        <div class="field">
          <label for="flt-status">Status</label>
          <select id="flt-status" name="status">
            <option value="">Any status</option>
            ${TRADE_STATUSES.map(
              (s) => html`<option value="${s}" ${s === status ? ' selected' : ''}>${s}</option>`,
            )}
          </select>
        </div>
        <div class="form-actions"><button type="submit" class="btn">Filter</button></div>
      </form>
      ${trades.length === 0 ? html`<p class="muted">No trade${status ? ` with status ${status}` : ''} yet.</p>` : tradeRows(base, trades)}
      ${
        trades.length === PAGE_SIZE && last
          ? html`<p>
              <a
                class="btn btn-quiet"
                href="${base}/trades?${status ? `status=${status}&` : ''}before=${enc(last.alipayTransId)}"
                >Older trades</a
              >
            </p>`
          : ''
      }`;
    return sendPage(ctx, req, reply, { title: 'Trades', active: 'trades', body });
  });

  app.get<{ Params: { id: string } }>('/trades/:id', (req, reply) =>
    tradePage(ctx, req, reply, req.params.id),
  );

  app.post<{ Params: { id: string } }>('/trades/:id/state', async (req, reply) => {
    const merchant = req.consoleMerchant!;
    const status = formOf(req)['status'] as ForcedTradeState;
    if (!FORCED_TRADE_STATES.includes(status))
      return tradePage(ctx, req, reply, req.params.id, 'Choose a state.');
    const result = await forceTradeState(
      store,
      clock,
      merchant.partner,
      req.params.id,
      status,
      ctx.deps.notifications,
    );
    if (!result.ok && result.reason === 'not_found') return tradePage(ctx, req, reply, req.params.id);
    if (!result.ok) {
      return tradePage(ctx, req, reply, req.params.id, "The buyer's balance is too low to pay this trade.");
    }
    return seeOther(
      reply,
      `${merchantBase(merchant.partner)}/trades/${enc(result.trade.alipayTransId)}?done=trade-resolved`,
    );
  });

  app.post('/clock', async (req, reply) => {
    const merchant = req.consoleMerchant!;
    const base = merchantBase(merchant.partner);
    const form = formOf(req);
    const back =
      form['back']?.startsWith(`${base}/`) && !form['back'].includes('?') ? form['back'] : `${base}/trades`;
    if (form['action'] === 'reset') {
      await resetMerchantClock(store, clock, merchant.partner);
    } else {
      const seconds = Number(form['advanceSeconds']);
      if (!Number.isSafeInteger(seconds) || Math.abs(seconds) > MAX_ADVANCE_SECONDS) {
        return sendPage(
          ctx,
          req,
          reply,
          messagePage('Request refused', 'Choose how far to move the clock.'),
          400,
        );
      }
      await updateMerchantClock(store, clock, merchant.partner, { advanceSeconds: seconds });
    }
    return seeOther(reply, `${back}?done=clock-changed`);
  });
}
