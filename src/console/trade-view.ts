import type { MerchantClockView } from '../domain/merchant-clock.js';
import type { LedgerPolicy } from '../ledger/trade-lifecycle.js';
import type { Notification } from '../ports/notification-outbox.js';
import type { Refund, Trade } from '../ledger/model.js';
import type { RequestLogEntry } from '../ports/request-log.js';
import { statusBadge, timeHtml } from './console-format.js';
import { requestRows } from './request-log-view.js';
import type { ConsoleViewer } from './console-session.js';
import { csrfField } from './console-layout.js';
import { enc, html, type SafeHtml } from './html.js';
import { refundJson, tradeJson } from '../views/json-views.js';

/** A table of trades, newest first. */
export function tradeRows(base: string, trades: readonly Trade[]): SafeHtml {
  return html`<div class="table-wrap">
    <table>
      <thead>
        <tr>
          <th scope="col">Created</th>
          <th scope="col">Alipay trans id</th>
          <th scope="col">Merchant order id</th>
          <th scope="col" class="num">Amount</th>
          <th scope="col">Status</th>
          <th scope="col" class="num">Refunded</th>
        </tr>
      </thead>
      <tbody>
        ${trades.map((t) => {
          const j = tradeJson(t);
          return html`<tr>
            <td>${timeHtml(t.createdAt)}</td>
            <td>
              <a href="${base}/trades/${enc(t.alipayTransId)}"><code>${t.alipayTransId}</code></a>
            </td>
            <td><code>${t.partnerTransId}</code></td>
            <td class="num">${j.amount} ${t.transCurrency}</td>
            <td>${statusBadge(t.status)}</td>
            <td class="num">${t.refundedMinor > 0 ? `${j.refunded} ${t.transCurrency}` : '—'}</td>
          </tr>`;
        })}
      </tbody>
    </table>
  </div>`;
}

/** One moment in a trade's life. */
interface HistoryEvent {
  at: Date;
  what: SafeHtml;
}

const CLOSE_REASONS = {
  cancel: 'by a cancel',
  refund: 'fully refunded',
  timeout: 'unpaid in time, or by the tester',
};

/**
 * The trade's status history in sandbox time, derived from its times and refunds (the ledger keeps
 * times, not transitions); the gateway requests that touched it are listed apart, in process time.
 */
export function tradeHistory(trade: Trade, refunds: readonly Refund[], policy: LedgerPolicy): HistoryEvent[] {
  // A trade without a scanned payment code was opened by precreate or create (docs/protocol.md §12).
  const origin = trade.buyerIdentityCode === '' ? 'a QR-code order (precreate or create)' : 'a spot pay';
  const events: HistoryEvent[] = [{ at: trade.createdAt, what: html`Created by ${origin}` }];
  if (trade.paidAt) events.push({ at: trade.paidAt, what: html`Paid: ${statusBadge('TRADE_SUCCESS')}` });
  else if (trade.status === 'WAIT_BUYER_PAY' || trade.closedAt) {
    events.push({ at: trade.createdAt, what: html`Waiting for the buyer: ${statusBadge('WAIT_BUYER_PAY')}` });
  }
  for (const r of refunds) {
    events.push({
      at: r.createdAt,
      what: html`Refund <code>${r.partnerRefundId}</code> of ${refundJson(r).amount} ${r.currency}`,
    });
  }
  if (trade.closedAt) {
    const how = trade.cancelAction
      ? `by a cancel (${trade.cancelAction})`
      : CLOSE_REASONS[trade.closeReason ?? 'timeout'];
    events.push({ at: trade.closedAt, what: html`Closed ${how}: ${statusBadge('TRADE_CLOSED')}` });
  }
  if (trade.status === 'TRADE_FINISHED' && trade.paidAt) {
    const end = new Date(trade.paidAt.getTime() + policy.refundWindowMs);
    events.push({ at: end, what: html`Refund window ended: ${statusBadge('TRADE_FINISHED')}` });
  }
  // A stable sort: events of the same instant keep the order above.
  return events.sort((a, b) => a.at.getTime() - b.at.getTime());
}

function pendingNote(trade: Trade): SafeHtml {
  if (trade.status !== 'WAIT_BUYER_PAY') return html``;
  const r = trade.resolution;
  const parts: SafeHtml[] = [];
  if (r) {
    if (r.at) parts.push(html`resolves to <strong>${r.to}</strong> at ${timeHtml(r.at)}`);
    if (r.afterQueries)
      parts.push(
        html`resolves to <strong>${r.to}</strong> on query ${r.afterQueries} (${trade.queryCount} so far)`,
      );
  }
  if (trade.expiresAt) parts.push(html`closes unpaid at ${timeHtml(trade.expiresAt)}`);
  return parts.length === 0
    ? html``
    : html`<p class="note">
        Pending: ${parts.map((p, i) => html`${i > 0 ? '; ' : ''}${p}`)} (sandbox time), whichever comes first.
      </p>`;
}

/** The tester's controls: the sandbox clock and the forced resolution of the trade. */
export function tradeActions(
  base: string,
  viewer: ConsoleViewer | null,
  trade: Trade,
  clock: MerchantClockView,
  error?: string,
): SafeHtml {
  const back = `${base}/trades/${enc(trade.alipayTransId)}`;
  const advance = (seconds: number, label: string) =>
    html`<button type="submit" class="btn btn-small" name="advanceSeconds" value="${seconds}">
      ${label}
    </button>`;
  const resolve = (status: string, label: string, primary = false) =>
    html`<button type="submit" class="btn${primary ? ' btn-primary' : ''}" name="status" value="${status}">
      ${label}
    </button>`;
  return html`<section class="card" aria-labelledby="actions-h">
    <h2 id="actions-h">Tester actions</h2>
    ${error ? html`<p class="form-error" role="alert">${error}</p>` : ''}
    <h3>Sandbox clock</h3>
    <p>
      Sandbox time of this merchant:
      ${timeHtml(new Date(clock.now))}${clock.frozen ? ' (frozen)' : ''}${
        clock.offsetMs !== 0 ? html`, ${Math.round(clock.offsetMs / 1000)} s from real time` : ''
      }.
      Moving it lets pending trades resolve, unpaid ones close and the refund window end.
    </p>
    <form method="post" action="${base}/clock" class="button-row">
      ${csrfField(viewer)}
      <input type="hidden" name="back" value="${back}" />
      ${advance(60, '+1 minute')} ${advance(300, '+5 minutes')} ${advance(3600, '+1 hour')}
      ${advance(86400, '+1 day')}
      <button type="submit" class="btn btn-small btn-quiet" name="action" value="reset">
        Back to real time
      </button>
    </form>
    <h3>Resolve the trade</h3>
    <form method="post" action="${base}/trades/${enc(trade.alipayTransId)}/state" class="button-row">
      ${csrfField(viewer)}
      ${
        trade.status === 'WAIT_BUYER_PAY'
          ? html`${resolve('TRADE_SUCCESS', 'Mark paid (buyer confirmed)', true)}
            ${resolve('TRADE_CLOSED', 'Close unpaid')}`
          : trade.status === 'TRADE_SUCCESS'
            ? html`${resolve('TRADE_FINISHED', 'End the refund window (TRADE_FINISHED)')}
              ${resolve('TRADE_CLOSED', 'Close')}`
            : html`<p class="muted">This trade is final.</p>`
      }
    </form>
  </section>`;
}

function notificationsSection(notifications: readonly Notification[] | undefined): SafeHtml {
  if (notifications === undefined) {
    return html`<p class="placeholder">Notifications are not available in this sandbox build.</p>`;
  }
  if (notifications.length === 0) {
    return html`<p class="muted">No notification for this trade (none is sent without a notify_url).</p>`;
  }
  return html`<div class="table-wrap">
    <table>
      <thead>
        <tr>
          <th scope="col">Queued</th>
          <th scope="col">Action</th>
          <th scope="col">Status</th>
          <th scope="col" class="num">Attempts</th>
          <th scope="col">URL</th>
          <th scope="col">notify_id</th>
        </tr>
      </thead>
      <tbody>
        ${notifications.map(
          (n) =>
            html`<tr>
              <td>${timeHtml(n.createdAt)}</td>
              <td>${n.action}</td>
              <td>${n.status}${n.mode !== 'normal' ? ` (${n.mode})` : ''}</td>
              <td class="num">${n.attempts}</td>
              <td class="wrap"><code>${n.url}</code></td>
              <td><code>${n.notifyId}</code></td>
            </tr>`,
        )}
      </tbody>
    </table>
  </div>`;
}

/** Everything a trade page shows. */
export interface TradePageData {
  trade: Trade;
  refunds: Refund[];
  requests: RequestLogEntry[];
  notifications: Notification[] | undefined;
  clock: MerchantClockView;
  policy: LedgerPolicy;
  /** The wallet token of a waiting QR order a buyer may still pay; undefined for any other trade. */
  walletToken?: string | undefined;
}

/** Whether a sandbox buyer may still pay this trade in the wallet: a waiting, unparked QR order. */
export function isWalletPayable(trade: Trade): boolean {
  return trade.status === 'WAIT_BUYER_PAY' && trade.buyerIdentityCode === '' && !trade.resolution;
}

/** The QR code of a waiting order and the wallet link a tester opens to pay it as a buyer. */
function walletCard(token: string): SafeHtml {
  const wallet = `/wallet/${enc(token)}`;
  return html`<section class="card" aria-labelledby="qr-h">
    <h2 id="qr-h">QR code</h2>
    <p class="hint">What the POS shows: a buyer scans it with a phone on this network, or opens it here.</p>
    <p><img src="${wallet}/qr.svg?size=M" alt="QR code of this order" width="192" height="192" /></p>
    <p><a class="btn btn-primary" href="${wallet}">Scan as buyer</a></p>
  </section>`;
}

/** The trade's detail page. */
export function tradeDetail(
  base: string,
  viewer: ConsoleViewer | null,
  d: TradePageData,
  error?: string,
): SafeHtml {
  const t = d.trade;
  const j = tradeJson(t);
  const props: Array<[string, SafeHtml | string]> = [
    ['Status', statusBadge(t.status)],
    [
      'Amount',
      `${j.amount} ${t.transCurrency}${t.currency !== t.transCurrency ? ` (settles in ${t.currency})` : ''}`,
    ],
    ['Refunded', `${j.refunded} ${t.transCurrency}`],
    ['Merchant order id', html`<code>${t.partnerTransId}</code>`],
    [
      'Buyer',
      html`${t.buyerLoginId} (<code>${t.buyerUserId}</code>), code <code>${t.buyerIdentityCode}</code>`,
    ],
    ['Wallet', t.paymentInst],
    ['Item', t.transName],
    ['Notify URL', t.notifyUrl ?? '—'],
  ];
  return html`<div class="page-head">
      <p class="crumbs"><a href="${base}/trades">Trades</a></p>
      <h1>Trade <code>${t.alipayTransId}</code></h1>
      ${pendingNote(t)}
    </div>
    <div class="grid-2">
      <section class="card" aria-labelledby="trade-h">
        <h2 id="trade-h">Trade</h2>
        <dl class="props">
          ${props.map(
            ([k, v]) =>
              html`<dt>${k}</dt>
                <dd>${v}</dd>`,
          )}
        </dl>
      </section>
      ${tradeActions(base, viewer, t, d.clock, error)}
    </div>
    ${d.walletToken === undefined ? '' : walletCard(d.walletToken)}
    <section class="card" aria-labelledby="history-h">
      <h2 id="history-h">Status history</h2>
      <p class="hint">In this merchant's sandbox time.</p>
      <ol class="timeline">
        ${tradeHistory(t, d.refunds, d.policy).map(
          (e) =>
            html`<li><span class="when">${timeHtml(e.at)}</span> <span class="what">${e.what}</span></li>`,
        )}
      </ol>
    </section>
    <section class="card" aria-labelledby="requests-h">
      <h2 id="requests-h">Gateway requests for this trade</h2>
      ${
        d.requests.length === 0
          ? html`<p class="muted">None in the request log.</p>`
          : requestRows(
              base,
              [...d.requests].sort((a, b) => b.id - a.id),
            )
      }
    </section>
    <section class="card" aria-labelledby="refunds-h">
      <h2 id="refunds-h">Refunds</h2>
      ${
        d.refunds.length === 0
          ? html`<p class="muted">No refund.</p>`
          : html`<div class="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">Refund id</th>
                    <th scope="col" class="num">Amount</th>
                    <th scope="col">Reason</th>
                    <th scope="col">When</th>
                  </tr>
                </thead>
                <tbody>
                  ${d.refunds.map(
                    (r) =>
                      html`<tr>
                        <td><code>${r.partnerRefundId}</code></td>
                        <td class="num">${refundJson(r).amount} ${r.currency}</td>
                        <td>${r.reason ?? '—'}</td>
                        <td>${timeHtml(r.createdAt)}</td>
                      </tr>`,
                  )}
                </tbody>
              </table>
            </div>`
      }
    </section>
    <section class="card" aria-labelledby="notify-h">
      <h2 id="notify-h">Notifications</h2>
      ${notificationsSection(d.notifications)}
    </section>`;
}
