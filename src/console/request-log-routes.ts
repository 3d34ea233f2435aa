import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { explainRequest } from '../domain/explain-request.js';
import { findTrade } from '../domain/trade-state.js';
import type { RequestLogFilter } from '../ports/request-log.js';
import { merchantBase } from './console-layout.js';
import { messagePage, queryOf, sendPage, type ConsoleContext } from './console-page.js';
import { html } from './html.js';
import { requestDetail, requestRowItems, requestRows } from './request-log-view.js';
import { SERVICE_TABS, tabOf } from './rule-form.js';
import { logEntryJson } from '../views/json-views.js';

const PAGE_SIZE = 50;

/** Outcome filters offered in the list (the store takes an exact label or a prefix ending in ':'). */
const OUTCOME_FILTERS = [
  ['', 'Any outcome'],
  ['SUCCESS', 'SUCCESS'],
  ['FAILED:', 'FAILED (spot pay, refund)'],
  ['FAIL:', 'FAIL (cancel, query)'],
  ['UNKNOW', 'UNKNOW'],
  ['F:', 'Gateway errors (is_success=F)'],
  ['fault:', 'Transport faults'],
] as const;

interface LogQuery {
  service: string;
  outcome: string;
  tradeId: string;
  ruleId: string;
  requestId: string;
}

function logQuery(req: FastifyRequest): LogQuery {
  const q = queryOf(req);
  const clip = (v: string | undefined, max: number) => (v ?? '').trim().slice(0, max);
  return {
    service: clip(q['service'], 16),
    outcome: clip(q['outcome'], 80),
    tradeId: clip(q['tradeId'], 64),
    ruleId: clip(q['ruleId'], 64),
    requestId: clip(q['requestId'], 64),
  };
}

/** The store filter of a list: always the page's merchant, whatever the query says. */
function filterOf(partner: string, q: LogQuery, beforeId?: number): RequestLogFilter {
  return {
    partner,
    service: tabOf(q.service)?.service,
    outcome: q.outcome || undefined,
    tradeId: q.tradeId || undefined,
    ruleId: q.ruleId || undefined,
    requestId: q.requestId || undefined,
    beforeId,
    limit: PAGE_SIZE,
  };
}

function queryString(q: LogQuery): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(q) as Array<[string, string]>) if (v) params.set(k, v);
  const text = params.toString();
  return text ? `?${text}` : '';
}

function filterForm(base: string, q: LogQuery) {
  const select = (name: keyof LogQuery, label: string, options: ReadonlyArray<readonly [string, string]>) =>
    html`<div class="field">
      <label for="flt-${name}">${label}</label>
      <select id="flt-${name}" name="${name}">
        ${options.map(
          ([v, text]) => html`<option value="${v}" ${q[name] === v ? ' selected' : ''}>${text}</option>`,
        )}
      </select>
    </div>`;
  const text = (name: keyof LogQuery, label: string) =>
    html`<div class="field">
      <label for="flt-${name}">${label}</label>
      <input id="flt-${name}" name="${name}" value="${q[name]}" spellcheck="false" />
    </div>`;
  return html`<form
    method="get"
    action="${base}/requests"
    class="filters"
    role="search"
    aria-label="Filter the request log"
  >
    ${select('service', 'Service', [['', 'All services'], ...SERVICE_TABS.map((t) => [t.tab, t.label] as const)])}
    ${select('outcome', 'Outcome', OUTCOME_FILTERS)} ${text('tradeId', 'Trade id')}
    ${text('ruleId', 'Rule id')} ${text('requestId', 'Request id (X-Request-Id)')}
    <div class="form-actions">
      <button type="submit" class="btn">Filter</button>
      <a class="btn btn-quiet" href="${base}/requests">Clear</a>
    </div>
  </form>`;
}

/** The request log: the list (live), its JSON for polling, one entry. */
export function requestLogRoutes(app: FastifyInstance, ctx: ConsoleContext): void {
  const { store, requestLog } = ctx.deps;

  app.get('/requests', async (req, reply) => {
    const merchant = req.consoleMerchant!;
    const base = merchantBase(merchant.partner);
    const q = logQuery(req);
    const before = Number(queryOf(req)['before']);
    const beforeId = Number.isSafeInteger(before) && before > 0 ? before : undefined;
    await requestLog.flush();
    const entries = await store.listRequestLog(filterOf(merchant.partner, q, beforeId));
    const last = entries.at(-1);
    const live = beforeId === undefined;
    const body = html`<div class="page-head">
        <h1>Request log</h1>
        <p class="lead">
          Every gateway request of ${merchant.name}, newest
          first.${live ? ' New requests appear as they arrive.' : ''}
        </p>
      </div>
      ${filterForm(base, q)}
      ${
        live
          ? html`<div class="live-bar">
              <p class="live-status" role="status" aria-live="polite" data-live-status>Live</p>
              <button type="button" class="btn btn-small btn-quiet" data-live-toggle aria-pressed="false">
                Pause live updates
              </button>
            </div>`
          : html`<p><a href="${base}/requests${queryString(q)}">Back to the newest</a></p>`
      }
      ${
        entries.length === 0 && !live
          ? html`<p class="muted">No request matches.</p>`
          : requestRows(base, entries, live)
      }
      ${entries.length === 0 && live ? html`<p class="muted" data-empty-note>No request matches yet.</p>` : ''}
      ${
        entries.length === PAGE_SIZE && last
          ? html`<p>
              <a
                class="btn btn-quiet"
                href="${base}/requests${queryString(q)}${queryString(q) ? '&' : '?'}before=${last.id}"
                >Older requests</a
              >
            </p>`
          : ''
      }`;
    const mainAttrs = live
      ? html` data-poll="${base}/requests.json${queryString(q)}" data-last-id="${entries[0]?.id ?? 0}"`
      : undefined;
    return sendPage(ctx, req, reply, { title: 'Request log', active: 'requests', body, mainAttrs });
  });

  // Polled by console.js: the newest entries as rows rendered (and escaped) here, plus their ids.
  app.get('/requests.json', async (req) => {
    const merchant = req.consoleMerchant!;
    const after = Number(queryOf(req)['after'] ?? 0);
    await requestLog.flush();
    const entries = (await store.listRequestLog(filterOf(merchant.partner, logQuery(req)))).filter(
      (e) => e.id > after,
    );
    return {
      items: entries.map((e) => ({
        id: e.id,
        receivedAt: e.receivedAt.toISOString(),
        outcome: e.outcome,
        ruleId: e.ruleId,
      })),
      lastId: entries[0]?.id ?? after,
      html: requestRowItems(merchantBase(merchant.partner), entries).text,
    };
  });

  /** This page's merchant's entry with this id; another merchant's is answered exactly like a missing one. */
  async function ownEntry(req: FastifyRequest<{ Params: { id: string } }>) {
    await requestLog.flush();
    const id = req.params.id;
    const entry = /^\d{1,15}$/.test(id) ? await store.getRequestLogEntry(Number(id)) : undefined;
    return entry?.partner === req.consoleMerchant!.partner ? entry : undefined;
  }
  const notFound = (req: FastifyRequest, reply: FastifyReply) =>
    sendPage(ctx, req, reply, messagePage('Not found', "This merchant's log has no such request."), 404);

  app.get<{ Params: { id: string } }>('/requests/:id', async (req, reply) => {
    const merchant = req.consoleMerchant!;
    const entry = await ownEntry(req);
    if (!entry) return notFound(req, reply);
    const tradeKey = entry.alipayTransId ?? entry.partnerTransId;
    const trade = tradeKey === null ? undefined : await findTrade(store, merchant.partner, tradeKey);
    const body = requestDetail(
      merchantBase(merchant.partner),
      entry,
      logEntryJson(entry).responseBody,
      trade?.alipayTransId,
      await explainRequest(store, ctx.deps.clock, entry),
    );
    return sendPage(ctx, req, reply, { title: `Request #${entry.id}`, active: 'requests', body });
  });

  // The answer's bytes exactly as the client got them (GBK, or whatever a broken-reply rule sent).
  app.get<{ Params: { id: string } }>('/requests/:id/response', async (req, reply) => {
    const entry = await ownEntry(req);
    if (!entry) return notFound(req, reply);
    const extension = entry.responseBody.startsWith('<?xml') ? 'xml' : 'txt';
    return reply
      .type('application/octet-stream')
      .header('content-disposition', `attachment; filename="response-${entry.id}.${extension}"`)
      .send(Buffer.from(entry.responseBody, 'latin1'));
  });
}
