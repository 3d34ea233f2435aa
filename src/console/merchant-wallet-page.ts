import { formatAmount } from '../ledger/money.js';
import type { MerchantQrCode } from '../ledger/merchant-qr.js';
import type { Buyer, Merchant, Trade } from '../ledger/model.js';
import { html } from './html.js';
import { walletBuyerOption, walletDocument, walletMessage } from './wallet-page.js';

/** What the wallet page of a merchant QR code shows; `amountError` sits next to the amount field. */
export interface MerchantWalletPageView {
  token: string;
  merchant: Merchant;
  code: MerchantQrCode;
  buyers: readonly Buyer[];
  csrf: string;
  amount?: string | undefined;
  amountError?: string | undefined;
  message?: { kind: 'ok' | 'bad'; text: string } | undefined;
  /** The trade a payment just made. */
  paid?: Trade | undefined;
}

const STATUS_WORDS = {
  ACTIVE: { text: 'Accepting payments', cls: 'ok' },
  STOP: { text: 'Stopped', cls: 'bad' },
  DELETE: { text: 'Deleted', cls: 'bad' },
} as const;

/**
 * The wallet page of a merchant QR code (docs/protocol.md §12.6): the store, an amount field in the
 * code's pricing currency, and the buyer who pays; a stopped or deleted code shows why it takes nothing.
 */
export function renderMerchantWalletPage(view: MerchantWalletPageView): string {
  const { code, merchant } = view;
  const currency = code.transCurrency;
  const status = STATUS_WORDS[code.status];
  const message = walletMessage(view.message);
  const paid = view.paid
    ? html`<p class="muted" id="paid-trade">
        Paid ${formatAmount(view.paid.amountMinor, currency)} ${currency} · trade ${view.paid.alipayTransId}
      </p>`
    : '';
  const error = view.amountError
    ? html`<p class="msg bad" id="amount-error" role="alert">${view.amountError}</p>`
    : '';
  const form =
    code.status === 'ACTIVE'
      ? html`<form class="card" method="post" action="/wallet/${view.token}">
          <input type="hidden" name="_csrf" value="${view.csrf}" />
          <label for="amount">Amount (${currency})</label>
          <input
            id="amount"
            name="amount"
            inputmode="decimal"
            autocomplete="off"
            value="${view.amount ?? ''}"
            aria-describedby="amount-error"
            ${view.amountError ? html`aria-invalid="true"` : ''}
          />
          ${error}
          <label for="buyer">Pay as sandbox buyer</label>
          <select id="buyer" name="buyer">
            ${view.buyers.map((b) => walletBuyerOption(b, currency, b.isDefault))}
          </select>
          <button class="primary" type="submit" name="action" value="pay">Pay</button>
          <button type="submit" name="action" value="decline">Decline</button>
        </form>`
      : '';
  return walletDocument(
    'Pay',
    html`${message}
      <section class="card">
        <h1>${merchant.name}</h1>
        <div class="muted">${code.storeName}</div>
        <span class="status ${status.cls}" id="status">${status.text}</span>
        <p class="muted">Merchant QR code ${code.id} · amounts in ${currency}</p>
        ${paid}
      </section>
      ${form}`,
  );
}
