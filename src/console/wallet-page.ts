import { formatAmount } from '../ledger/money.js';
import { html, raw, type SafeHtml } from './html.js';
import type { Buyer, Merchant, Trade } from '../ledger/model.js';

/** What the wallet page shows: the order, the buyers a tester may pick, and an outcome message. */
export interface WalletPageView {
  token: string;
  merchant: Merchant;
  trade: Trade;
  buyers: readonly Buyer[];
  csrf: string;
  message?: { kind: 'ok' | 'bad'; text: string } | undefined;
}

// Inline and small: the page must load on a phone from a sandbox with nothing else to fetch.
const STYLE = `
body{margin:0;font:16px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;background:#f4f6f9;color:#1c2430}
main{max-width:28rem;margin:0 auto;padding:1rem}
.card{background:#fff;border:1px solid #dfe4ec;border-radius:12px;padding:1.25rem;margin-bottom:1rem}
h1{font-size:1.1rem;margin:0 0 .25rem}.amount{font-size:2rem;font-weight:700;margin:.5rem 0}
.muted{color:#5d6878;font-size:.9rem}.status{display:inline-block;border-radius:999px;padding:.1rem .6rem;background:#e8f0fd}
.ok{background:#dff3e4;color:#146c2e}.bad{background:#fde4e1;color:#b42318}
.msg{padding:.75rem 1rem;border-radius:8px;margin-bottom:1rem}
label{display:block;font-weight:600;margin:.5rem 0 .35rem}select,input{box-sizing:border-box;width:100%;font-size:1rem;padding:.6rem;border-radius:8px;border:1px solid #c5cdd9}
button{display:block;width:100%;font-size:1.05rem;padding:.8rem;margin-top:.75rem;border-radius:8px;border:1px solid #c5cdd9;background:#fff}
button.primary{background:#1463d8;border-color:#1463d8;color:#fff;font-weight:600}`;

function statusWords(trade: Trade): { text: string; cls: string } {
  switch (trade.status) {
    case 'WAIT_BUYER_PAY':
      return { text: 'Waiting for payment', cls: '' };
    case 'TRADE_SUCCESS':
    case 'TRADE_FINISHED':
      return { text: 'Paid', cls: 'ok' };
    case 'TRADE_CLOSED':
      return { text: 'Closed', cls: 'bad' };
  }
}

/** A sandbox buyer to pay as, with its balance in the currency the buyer pays in. */
export function walletBuyerOption(buyer: Buyer, currency: string, selected: boolean): SafeHtml {
  const balance = buyer.balances[currency] ?? 0;
  return html`<option value="${buyer.userId}" ${selected ? 'selected' : ''}>
    ${buyer.name} (${buyer.loginId}) — ${formatAmount(balance, currency)} ${currency}
  </option>`;
}

/** The outcome of the last action, above the page's cards. */
export function walletMessage(message: { kind: string; text: string } | undefined): SafeHtml | string {
  return message ? html`<p class="msg ${message.kind}" role="status">${message.text}</p>` : '';
}

/** A whole HTML document around a body, for the wallet's phone-sized pages. */
export function walletDocument(title: string, body: SafeHtml): string {
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${title} · alipay-mock wallet</title>
        <style>
          ${raw(STYLE)}
        </style>
      </head>
      <body>
        <main>${body}</main>
      </body>
    </html>`.toString();
}

/** The wallet page of an order QR code: what is to be paid, to whom, and the buyer's three choices. */
export function renderWalletPage(view: WalletPageView): string {
  const { trade, merchant } = view;
  const status = statusWords(trade);
  const waiting = trade.status === 'WAIT_BUYER_PAY';
  const message = walletMessage(view.message);
  const form = waiting
    ? html`<form class="card" method="post" action="/wallet/${view.token}">
        <input type="hidden" name="_csrf" value="${view.csrf}" />
        <label for="buyer">Pay as sandbox buyer</label>
        <select id="buyer" name="buyer">
          ${view.buyers.map((b) =>
            walletBuyerOption(
              b,
              trade.transCurrency,
              trade.buyerUserId !== '' ? b.userId === trade.buyerUserId : b.isDefault,
            ),
          )}
        </select>
        <button class="primary" type="submit" name="action" value="pay">
          Pay ${formatAmount(trade.amountMinor, trade.transCurrency)} ${trade.transCurrency}
        </button>
        <button type="submit" name="action" value="decline">Decline</button>
        <button type="submit" name="action" value="expire">Let it time out</button>
      </form>`
    : '';
  return walletDocument(
    'Pay',
    html`${message}
      <section class="card">
        <h1>${merchant.name}</h1>
        <div class="muted">${trade.transName}</div>
        <div class="amount">
          ${formatAmount(trade.amountMinor, trade.transCurrency)} ${trade.transCurrency}
        </div>
        <span class="status ${status.cls}" id="status">${status.text}</span>
        <p class="muted">Order ${trade.partnerTransId} · trade ${trade.alipayTransId}</p>
      </section>
      ${form}`,
  );
}
