import { randomInt } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { MapiGatewayError, MapiTransportError } from '../client/client-errors.js';
import { createMapiClient } from '../client/mapi-client.js';
import { cancelParams, queryParams, spotPayParams, spotRefundParams } from '../client/service-inputs.js';
import type { MapiResult } from '../client/service-results.js';
import type { RequestLogEntry } from '../ports/request-log.js';
import { csrfField, merchantBase } from './console-layout.js';
import { formOf, queryOf, sendPage, type ConsoleContext } from './console-page.js';
import { outcomeBadge } from './console-format.js';
import { html, type SafeHtml } from './html.js';
import { xmlCodeBlock } from './pretty-xml.js';
import { ruleLink } from './request-log-view.js';
import { SERVICE_TABS, tabOf } from './rule-form.js';

type Tab = (typeof SERVICE_TABS)[number];
type Values = Record<string, string>;

/** A Try it call waits this long: long enough for delay rules, short of a hang rule's forever. */
const TRY_TIMEOUT_MS = 30_000;

/** Parameters the form builds itself; extra parameters may not override them. */
const RESERVED = new Set(['service', 'partner', '_input_charset', 'sign', 'sign_type']);

function freshId(prefix: string): string {
  return `${prefix}${Date.now()}${String(randomInt(0, 1000)).padStart(3, '0')}`;
}

/** The fields of each service's form: name, label, default, help. */
function fieldsOf(tab: Tab, currencies: readonly string[]): Array<[string, string, string, string?]> {
  const currency = currencies.includes('USD') ? 'USD' : (currencies[0] ?? 'USD');
  switch (tab.tab) {
    case 'pay':
      return [
        [
          'partner_trans_id',
          'Merchant order id (partner_trans_id)',
          freshId('TRY'),
          'Send the same id again to see a replay.',
        ],
        ['trans_amount', 'Amount (trans_amount)', '12.34'],
        ['currency', 'Currency', currency],
        [
          'buyer_identity_code',
          'Buyer payment code',
          '280000000000000001',
          'See Buyers for codes with small balances.',
        ],
        ['trans_name', 'Item (trans_name)', 'Console test'],
        ['memo', 'Memo', ''],
        ['notify_url', 'Notify URL', ''],
      ];
    case 'cancel':
      return [
        ['out_trade_no', 'Merchant order id to cancel (out_trade_no)', ''],
        ['trade_no', 'Alipay trans id (trade_no, optional)', ''],
      ];
    case 'refund':
      return [
        ['partner_trans_id', 'Merchant order id of the payment', ''],
        ['partner_refund_id', 'Refund id (partner_refund_id)', freshId('TRYR')],
        ['refund_amount', 'Refund amount', '1.00'],
        ['currency', 'Currency', currency],
        ['is_sync', 'Synchronous (is_sync: Y or N)', 'Y'],
        ['refund_reason', 'Reason', ''],
      ];
    default:
      return [
        ['partner_trans_id', 'Merchant order id (partner_trans_id)', ''],
        ['alipay_trans_id', 'Alipay trans id (optional)', ''],
      ];
  }
}

/** Extra `name=value` lines, reserved names refused. */
function extraParams(text: string): { params: Record<string, string>; problem?: string } {
  const params: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '') continue;
    const eq = line.indexOf('=');
    const name = eq > 0 ? line.slice(0, eq).trim() : '';
    if (!/^[A-Za-z0-9_]{1,64}$/.test(name))
      return { params, problem: `"${line.slice(0, 40)}" is not name=value` };
    if (RESERVED.has(name)) return { params, problem: `${name} is set by the form itself` };
    params[name] = line.slice(eq + 1);
  }
  return { params };
}

/** The business parameters of the call, built by the client's own input builders. */
function businessParams(tab: Tab, v: Values, partner: string): Record<string, string | undefined> {
  const opt = (name: string) => (v[name] ? v[name] : undefined);
  switch (tab.tab) {
    case 'pay':
      return spotPayParams(
        {
          partnerTransId: v['partner_trans_id'] ?? '',
          transName: v['trans_name'] ?? '',
          currency: v['currency'] ?? '',
          transAmount: v['trans_amount'] ?? '',
          buyerIdentityCode: v['buyer_identity_code'] ?? '',
          ...(opt('memo') ? { memo: opt('memo') } : {}),
          ...(opt('notify_url') ? { notifyUrl: opt('notify_url') } : {}),
        },
        partner,
      );
    case 'cancel':
      return cancelParams(
        { outTradeNo: v['out_trade_no'] ?? '', ...(opt('trade_no') ? { tradeNo: opt('trade_no') } : {}) },
        Date.now,
      );
    case 'refund':
      return {
        ...spotRefundParams({
          partnerTransId: v['partner_trans_id'] ?? '',
          partnerRefundId: v['partner_refund_id'] ?? '',
          refundAmount: v['refund_amount'] ?? '',
          currency: v['currency'] ?? '',
          ...(opt('refund_reason') ? { refundReason: opt('refund_reason') } : {}),
        }),
        is_sync: opt('is_sync'),
      };
    default: {
      const partnerTransId = opt('partner_trans_id');
      const alipayTransId = opt('alipay_trans_id');
      // Without either id in the form, the extra parameters carry them (checked before sending).
      if (partnerTransId !== undefined) {
        return queryParams({ partnerTransId, ...(alipayTransId ? { alipayTransId } : {}) });
      }
      return alipayTransId !== undefined ? queryParams({ alipayTransId }) : {};
    }
  }
}

/** This sandbox's own gateway, as the process listens (not as the browser reached it). */
export function ownGatewayUrl(req: FastifyRequest): string {
  const address = req.server.server.address() as AddressInfo | null;
  const port = address?.port ?? 8080;
  const host = address?.address ?? '127.0.0.1';
  const local = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
  return `http://${local.includes(':') ? `[${local}]` : local}:${port}/gateway.do`;
}

type CallResult =
  | { kind: 'answer'; result: MapiResult }
  | { kind: 'refused'; code: string; xml: string; request: Record<string, string> }
  | { kind: 'transport'; message: string; body?: string | undefined };

function resultCard(base: string, call: CallResult, entry: RequestLogEntry | undefined): SafeHtml {
  const logLink = entry
    ? html`<p>
        ${outcomeBadge(entry.outcome)} · answered by ${ruleLink(base, entry)} ·
        <a href="${base}/requests/${entry.id}">open request #${entry.id} in the request log</a>
      </p>`
    : html`<p class="muted">Not found in the request log.</p>`;
  if (call.kind === 'transport') {
    return html`<section class="card result" aria-labelledby="result-h" tabindex="-1" data-result>
      <h2 id="result-h">No usable answer</h2>
      <p>${call.message}</p>
      ${logLink} ${call.body ? html`<pre class="code-block">${call.body}</pre>` : ''}
    </section>`;
  }
  const request = call.kind === 'answer' ? call.result.request : call.request;
  const xml = call.kind === 'answer' ? call.result.xml : call.xml;
  const headline =
    call.kind === 'answer'
      ? `${call.result.resultCode || '(no result_code)'}${call.result.error ? ` · ${call.result.error}` : ''}`
      : `Gateway refused: ${call.code}`;
  return html`<section class="card result" aria-labelledby="result-h" tabindex="-1" data-result>
    <h2 id="result-h">Answer: ${headline}</h2>
    ${logLink}
    ${
      call.kind === 'answer'
        ? html`<p class="hint">
            Answer signature
            ${call.result.signatureVerified === true ? 'verified' : call.result.signatureVerified === false ? 'did NOT verify' : 'not checked'}.
          </p>`
        : ''
    }
    <div class="grid-2">
      <div>
        <h3>Sent (signed with your MD5 key)</h3>
        <div class="table-wrap">
          <table class="compact">
            <tbody>
              ${Object.entries(request).map(
                ([k, v]) =>
                  html`<tr>
                    <th scope="row"><code>${k}</code></th>
                    <td class="wrap"><code>${v}</code></td>
                  </tr>`,
              )}
            </tbody>
          </table>
        </div>
      </div>
      <div>
        <h3>Received</h3>
        ${xmlCodeBlock(xml)}
      </div>
    </div>
  </section>`;
}

function form(base: string, req: FastifyRequest, tab: Tab, v: Values, problem?: string): SafeHtml {
  const merchant = req.consoleMerchant!;
  const fields = fieldsOf(tab, merchant.currencies);
  return html`<form
    method="post"
    action="${base}/try?service=${tab.tab}"
    class="card stack"
    aria-labelledby="try-form-h"
  >
    <h2 id="try-form-h">${tab.label} request</h2>
    ${csrfField(req.consoleViewer)}
    <div class="field-grid">
      ${fields.map(
        ([name, label, fallback, help]) =>
          html`<div class="field">
            <label for="try-${name}">${label}</label>
            <input
              id="try-${name}"
              name="${name}"
              value="${v[name] ?? fallback}"
              spellcheck="false"
              ${help ? html` aria-describedby="h-try-${name}"` : ''}
            />
            ${help ? html`<p class="hint" id="h-try-${name}">${help}</p>` : ''}
          </div>`,
      )}
      <div class="field">
        <label for="try-charset">Charset</label>
        <select id="try-charset" name="charset">
          ${['UTF-8', 'GBK'].map((c) => html`<option${v['charset'] === c ? ' selected' : ''}>${c}</option>`)}
        </select>
      </div>
      <div class="field">
        <label for="try-method">HTTP method</label>
        <select id="try-method" name="method">
          ${['POST', 'GET'].map((m) => html`<option${v['method'] === m ? ' selected' : ''}>${m}</option>`)}
        </select>
      </div>
    </div>
    <div class="field field-wide${problem ? ' has-error' : ''}">
      <label for="try-extra">Extra parameters</label>
      <textarea
        id="try-extra"
        name="extra"
        rows="2"
        spellcheck="false"
        aria-describedby="h-try-extra${problem ? ' e-try-extra' : ''}"
      >
${v['extra'] ?? ''}</textarea>
      <p class="hint" id="h-try-extra">One name=value per line, e.g. extend_info={"store_id":"S1"}.</p>
      ${problem ? html`<p class="field-error" id="e-try-extra"><span class="sr-only">Error: </span>${problem}</p>` : ''}
    </div>
    <div class="form-actions"><button type="submit" class="btn btn-primary">Sign and send</button></div>
  </form>`;
}

async function tryPage(
  ctx: ConsoleContext,
  req: FastifyRequest,
  reply: FastifyReply,
  tab: Tab,
  v: Values,
  result?: SafeHtml,
  problem?: string,
): Promise<FastifyReply> {
  const base = merchantBase(req.consoleMerchant!.partner);
  const body = html`<div class="page-head">
      <h1>Try it</h1>
      <p class="lead">
        Build a request, sign it with this merchant's MD5 key and send it to this sandbox's gateway: the way
        to try a rule without writing client code.
      </p>
      <nav class="tabs" aria-label="Services">
        ${SERVICE_TABS.map(
          (t) =>
            html`<a href="${base}/try?service=${t.tab}" ${t.tab === tab.tab ? html` aria-current="page"` : ''}
              >${t.label}<span class="tab-service">${t.service}</span></a
            >`,
        )}
      </nav>
    </div>
    ${result ?? ''} ${form(base, req, tab, v, problem)}`;
  return sendPage(ctx, req, reply, { title: 'Try it', active: 'try', body }, problem ? 400 : 200);
}

async function send(
  ctx: ConsoleContext,
  req: FastifyRequest,
  tab: Tab,
  v: Values,
  extra: Record<string, string>,
) {
  const merchant = req.consoleMerchant!;
  const client = createMapiClient({
    gateway: ownGatewayUrl(req),
    partner: merchant.partner,
    key: merchant.md5Key,
    charset: v['charset'] === 'GBK' ? 'GBK' : 'UTF-8',
    method: v['method'] === 'GET' ? 'GET' : 'POST',
    timeoutMs: TRY_TIMEOUT_MS,
  });
  try {
    const result = await client.call(tab.service, { ...businessParams(tab, v, merchant.partner), ...extra });
    return { kind: 'answer', result } as const;
  } catch (err) {
    if (err instanceof MapiGatewayError)
      return { kind: 'refused', code: err.code, xml: err.xml, request: err.request } as const;
    if (err instanceof MapiTransportError)
      return { kind: 'transport', message: err.message, body: err.body } as const;
    throw err;
  } finally {
    client.close();
  }
}

/** GET/POST …/try: the request builder. */
export function tryItRoutes(app: FastifyInstance, ctx: ConsoleContext): void {
  const { store, requestLog } = ctx.deps;

  app.get('/try', (req, reply) =>
    tryPage(ctx, req, reply, tabOf(queryOf(req)['service'] ?? '') ?? SERVICE_TABS[0]!, {}),
  );

  app.post('/try', async (req, reply) => {
    const merchant = req.consoleMerchant!;
    const tab = tabOf(queryOf(req)['service'] ?? '') ?? SERVICE_TABS[0]!;
    const v = formOf(req);
    const extra = extraParams(v['extra'] ?? '');
    if (extra.problem !== undefined) return tryPage(ctx, req, reply, tab, v, undefined, extra.problem);
    if (tab.tab === 'query' && !v['partner_trans_id'] && !v['alipay_trans_id']) {
      const problem =
        'A query needs partner_trans_id or alipay_trans_id (or put one in the extra parameters).';
      if (!extra.params['partner_trans_id'] && !extra.params['alipay_trans_id']) {
        return tryPage(ctx, req, reply, tab, v, undefined, problem);
      }
    }
    const call: CallResult = await send(ctx, req, tab, v, extra.params);
    await requestLog.flush();
    const tradeId = v['partner_trans_id'] || v['out_trade_no'] || v['alipay_trans_id'];
    const [entry] = tradeId
      ? await store.listRequestLog({ partner: merchant.partner, service: tab.service, tradeId, limit: 1 })
      : await store.listRequestLog({ partner: merchant.partner, service: tab.service, limit: 1 });
    return tryPage(ctx, req, reply, tab, v, resultCard(merchantBase(merchant.partner), call, entry));
  });
}
