import type { FastifyInstance } from 'fastify';
import { merchantBase } from './console-layout.js';
import { messagePage, queryOf, seeOther, sendPage, type ConsoleContext } from './console-page.js';
import { html } from './html.js';

/** GET / (where a viewer starts), GET /operator (every merchant) and GET /operator/switch. */
export function operatorRoutes(app: FastifyInstance, ctx: ConsoleContext): void {
  const { store } = ctx.deps;

  app.get('/', async (req, reply) => {
    const viewer = req.consoleViewer;
    if (viewer === null) return seeOther(reply, '/login');
    if (viewer.kind === 'operator') return seeOther(reply, '/operator');
    return seeOther(reply, merchantBase(viewer.partner ?? ''));
  });

  app.get('/operator', async (req, reply) => {
    if (req.consoleViewer?.kind !== 'operator') {
      return sendPage(ctx, req, reply, messagePage('Not found', 'There is no such page.'), 404);
    }
    const merchants = await store.listMerchants();
    const logins = await Promise.all(merchants.map((m) => store.listConsoleAccounts(m.partner)));
    const body = html`<h1>Merchants</h1>
      <p class="lead">Every sandbox merchant. Open one to see its console as the merchant does.</p>
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">Merchant</th>
              <th scope="col">Partner id</th>
              <th scope="col">Currencies</th>
              <th scope="col">Console logins</th>
              <th scope="col"><span class="sr-only">Open</span></th>
            </tr>
          </thead>
          <tbody>
            ${merchants.map(
              (m, i) =>
                html`<tr>
                  <td>${m.name}</td>
                  <td><code>${m.partner}</code></td>
                  <td>
                    ${m.currencies.length > 6 ? `${m.currencies.length} currencies` : m.currencies.join(', ')}
                  </td>
                  <td>
                    ${(logins[i] ?? []).map((a) => a.email).join(', ') || html`<span class="muted">none</span>`}
                  </td>
                  <td><a class="btn btn-small" href="${merchantBase(m.partner)}">Open console</a></td>
                </tr>`,
            )}
          </tbody>
        </table>
      </div>`;
    return sendPage(ctx, req, reply, { title: 'Merchants', body });
  });

  app.get('/operator/switch', async (req, reply) => {
    const partner = queryOf(req)['partner'] ?? '';
    if (req.consoleViewer?.kind !== 'operator' || !/^\d{16}$/.test(partner)) return seeOther(reply, '/');
    return seeOther(reply, merchantBase(partner));
  });
}
