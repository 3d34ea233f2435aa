import type { FastifyInstance } from 'fastify';
import type { Buyer } from '../ledger/model.js';
import { code128Svg } from './code128.js';
import { merchantBase } from './console-layout.js';
import { messagePage, sendPage, type ConsoleContext } from './console-page.js';
import { enc, html, raw, type SafeHtml } from './html.js';
import { buyerJson } from '../views/json-views.js';

/** What the default buyer's app would show: any well-formed code that no other buyer holds pays from it. */
const DEFAULT_BUYER_SAMPLE_CODE = '280000000000000001';

/** The code as the buyer's app prints it under the barcode: groups of four digits. */
export function groupedDigits(code: string): string {
  return code.replace(/(\d{4})(?=\d)/g, '$1 ');
}

function balancesText(b: Buyer): string {
  const shown = Object.entries(buyerJson(b).balances);
  if (shown.length === 0) return 'no balance';
  if (shown.length > 4) return `${shown.length} currencies`;
  return shown.map(([c, v]) => `${v} ${c}`).join(', ');
}

function payScreen(b: Buyer): SafeHtml {
  const code = b.paymentCode ?? DEFAULT_BUYER_SAMPLE_CODE;
  return html`<figure class="pay-screen">
    <div class="pay-screen-head">
      <span class="wallet">${b.wallet === 'ALIPAYHK' ? 'AlipayHK' : 'Alipay'}</span> Pay
    </div>
    <p class="pay-screen-hint">Show this code to the cashier</p>
    ${raw(code128Svg(code, { label: `Barcode of payment code ${code}` }))}
    <p class="pay-digits" aria-label="Payment code ${code}">${groupedDigits(code)}</p>
    <figcaption>
      ${b.name}${b.paymentCode === null ? html`<br /><span class="hint">a sample: this buyer pays for any well-formed code not listed here</span>` : ''}
    </figcaption>
  </figure>`;
}

/** The sandbox buyers (shared by every merchant) and each one's payment code as a barcode. */
export function buyerRoutes(app: FastifyInstance, ctx: ConsoleContext): void {
  const { store } = ctx.deps;

  app.get('/buyers', async (req, reply) => {
    const base = merchantBase(req.consoleMerchant!.partner);
    const buyers = await store.listBuyers();
    const body = html`<div class="page-head">
        <h1>Buyers</h1>
        <p class="lead">
          The sandbox's test buyers, shared by every merchant. Put a payment code in
          <code>buyer_identity_code</code>.
        </p>
      </div>
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">Buyer</th>
              <th scope="col">Login</th>
              <th scope="col">Wallet</th>
              <th scope="col">Payment code</th>
              <th scope="col">Balances</th>
            </tr>
          </thead>
          <tbody>
            ${buyers.map(
              (b) =>
                html`<tr>
                  <td>
                    <a href="${base}/buyers/${enc(b.userId)}">${b.name}</a
                    >${b.isDefault ? html` <span class="badge badge-ok">default</span>` : ''}
                  </td>
                  <td><code>${b.loginId}</code></td>
                  <td>${b.wallet}</td>
                  <td>
                    ${b.paymentCode ? html`<code>${b.paymentCode}</code>` : html`<span class="muted">any other code</span>`}
                  </td>
                  <td>${balancesText(b)}</td>
                </tr>`,
            )}
          </tbody>
        </table>
      </div>`;
    return sendPage(ctx, req, reply, { title: 'Buyers', active: 'buyers', body });
  });

  app.get<{ Params: { userId: string } }>('/buyers/:userId', async (req, reply) => {
    const base = merchantBase(req.consoleMerchant!.partner);
    const buyer = await store.getBuyer(req.params.userId);
    if (!buyer) return sendPage(ctx, req, reply, messagePage('Not found', 'There is no such buyer.'), 404);
    const balances = Object.entries(buyerJson(buyer).balances);
    const body = html`<div class="page-head">
        <p class="crumbs"><a href="${base}/buyers">Buyers</a></p>
        <h1>${buyer.name}</h1>
      </div>
      <div class="grid-2">
        ${payScreen(buyer)}
        <section class="card" aria-labelledby="buyer-h">
          <h2 id="buyer-h">Account</h2>
          <dl class="props">
            <dt>User id</dt>
            <dd><code>${buyer.userId}</code></dd>
            <dt>Login</dt>
            <dd><code>${buyer.loginId}</code></dd>
            <dt>Wallet</dt>
            <dd>${buyer.wallet}</dd>
            <dt>Payment code</dt>
            <dd>
              ${buyer.paymentCode ? html`<code>${buyer.paymentCode}</code>` : 'any well-formed code no other buyer holds'}
            </dd>
          </dl>
          <h3>Balances</h3>
          ${
            balances.length === 0
              ? html`<p class="muted">No balance: every payment is declined.</p>`
              : html`<div class="table-wrap">
                  <table class="compact">
                    <thead>
                      <tr>
                        <th scope="col">Currency</th>
                        <th scope="col" class="num">Balance</th>
                      </tr>
                    </thead>
                    <tbody>
                      ${balances.map(
                        ([c, v]) =>
                          html`<tr>
                            <td>${c}</td>
                            <td class="num">${v}</td>
                          </tr>`,
                      )}
                    </tbody>
                  </table>
                </div>`
          }
        </section>
      </div>`;
    return sendPage(ctx, req, reply, { title: buyer.name, active: 'buyers', body });
  });
}
