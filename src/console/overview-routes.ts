import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { createRequestSigner } from '../client/request-signer.js';
import { spotPayParams } from '../client/service-inputs.js';
import { MAPI_SERVICES } from '../client/mapi-client.js';
import { readMerchantClock } from '../domain/merchant-clock.js';
import { encodeForm } from '../protocol/form-encode.js';
import { normalizeRsaPublicKey } from '../protocol/sign.js';
import type { Merchant } from '../ledger/model.js';
import { changeOwnPassword, setMerchantLogin, type LoginProblems } from './console-logins.js';
import { csrfField, merchantBase } from './console-layout.js';
import { formOf, seeOther, sendPage, type ConsoleContext } from './console-page.js';
import { requestRows } from './request-log-view.js';
import { html, type SafeHtml } from './html.js';
import { timeHtml } from './console-format.js';
import { tradeRows } from './trade-view.js';

/** What an overview shows beyond the merchant itself. */
interface OverviewState {
  revealMd5?: boolean;
  rsaError?: string;
  rsaText?: string;
  loginProblems?: LoginProblems;
  loginEmail?: string;
}

/** `http://host:port/gateway.do` as the browser reached this sandbox. */
export function gatewayUrlOf(req: FastifyRequest): string {
  return `${req.protocol}://${req.headers.host ?? '127.0.0.1'}/gateway.do`;
}

/** A signed spot pay of 0.01 USD with a fresh id, as a curl command a merchant can paste. */
function exampleRequest(req: FastifyRequest, merchant: Merchant): string {
  const params: Record<string, string> = {
    service: MAPI_SERVICES.spotPay,
    partner: merchant.partner,
    _input_charset: 'UTF-8',
  };
  const business = spotPayParams(
    {
      partnerTransId: `EXAMPLE${Date.now()}`,
      transName: 'Coffee',
      currency: merchant.currencies.includes('USD') ? 'USD' : (merchant.currencies[0] ?? 'USD'),
      transAmount: '0.01',
      buyerIdentityCode: '280000000000000001',
    },
    merchant.partner,
  );
  for (const [k, v] of Object.entries(business)) if (v !== undefined) params[k] = v;
  const { sign } = createRequestSigner({ signType: 'MD5', key: merchant.md5Key, charset: 'UTF-8' }).sign(
    params,
  );
  const query = encodeForm({ ...params, sign, sign_type: 'MD5' }, 'UTF-8');
  return `curl '${gatewayUrlOf(req)}?${query}'`;
}

function copyButton(targetId: string, what: string): SafeHtml {
  return html`<button type="button" class="btn btn-small btn-quiet" data-copy="${targetId}">
    Copy<span class="sr-only"> ${what}</span>
  </button>`;
}

function keysCard(
  ctx: ConsoleContext,
  req: FastifyRequest,
  merchant: Merchant,
  state: OverviewState,
): SafeHtml {
  const base = merchantBase(merchant.partner);
  const viewer = req.consoleViewer;
  const md5 = state.revealMd5
    ? html`<code id="md5-key" class="secret">${merchant.md5Key}</code> ${copyButton('md5-key', 'MD5 key')}`
    : html`<span class="secret-hidden" aria-label="hidden">••••••••••••••••</span>
        <form method="post" action="${base}/keys/md5" class="inline">
          ${csrfField(viewer)} <button type="submit" class="btn btn-small">Reveal MD5 key</button>
        </form>`;
  const rsaError = state.rsaError;
  return html`<section class="card" aria-labelledby="keys-h">
    <h2 id="keys-h">Keys</h2>
    <dl class="props">
      <dt>Partner id (PID)</dt>
      <dd><code id="pid">${merchant.partner}</code> ${copyButton('pid', 'partner id')}</dd>
      <dt>MD5 key</dt>
      <dd>${md5}</dd>
      <dt>Sign types</dt>
      <dd>${merchant.signTypes.join(', ')}</dd>
    </dl>
    <h3>Your RSA public key</h3>
    ${
      merchant.rsaPublicKey
        ? html`<pre class="pem" id="rsa-key">${merchant.rsaPublicKey}</pre>`
        : html`<p class="muted">None uploaded: RSA and RSA2 requests are refused until you upload one.</p>`
    }
    <form method="post" action="${base}/keys/rsa" class="stack" data-file-form>
      ${csrfField(viewer)}
      <div class="field field-wide${rsaError ? ' has-error' : ''}">
        <label for="rsaPublicKey"
          >${merchant.rsaPublicKey ? 'Replace with' : 'Upload'} a public key (PEM or bare Base64)</label
        >
        <textarea
          id="rsaPublicKey"
          name="rsaPublicKey"
          rows="4"
          spellcheck="false"
          ${rsaError ? html` aria-invalid="true" aria-describedby="e-rsaPublicKey"` : ''}
        >
${state.rsaText ?? ''}</textarea>
        ${rsaError ? html`<p class="field-error" id="e-rsaPublicKey"><span class="sr-only">Error: </span>${rsaError}</p>` : ''}
      </div>
      <div class="field">
        <label for="rsa-file">Or read it from a .pem file</label>
        <input id="rsa-file" type="file" accept=".pem,.pub,.txt,.key" data-file-into="rsaPublicKey" />
      </div>
      <div class="form-actions">
        <button type="submit" class="btn" name="action" value="save">Save RSA key</button>
        ${merchant.rsaPublicKey ? html`<button type="submit" class="btn btn-quiet" name="action" value="remove">Remove</button>` : ''}
      </div>
    </form>
    <h3>Alipay public key (this sandbox)</h3>
    <p class="hint">Verifies the signature of RSA and RSA2 answers.</p>
    <pre class="pem" id="alipay-key">${ctx.deps.alipayKeys.publicKeyPem}</pre>
    ${copyButton('alipay-key', 'Alipay public key')}
  </section>`;
}

function loginField(
  name: 'email' | 'password' | 'current',
  label: string,
  type: string,
  problem?: string,
  value = '',
) {
  return html`<div class="field${problem ? ' has-error' : ''}">
    <label for="login-${name}">${label}</label>
    <input
      id="login-${name}"
      name="${name}"
      type="${type}"
      value="${value}"
      autocomplete="${type === 'password' ? 'new-password' : 'off'}"
      ${problem ? html` aria-invalid="true" aria-describedby="e-login-${name}"` : ''}
    />
    ${problem ? html`<p class="field-error" id="e-login-${name}"><span class="sr-only">Error: </span>${problem}</p>` : ''}
  </div>`;
}

async function loginsCard(
  ctx: ConsoleContext,
  req: FastifyRequest,
  merchant: Merchant,
  state: OverviewState,
) {
  const viewer = req.consoleViewer;
  const base = merchantBase(merchant.partner);
  const p = state.loginProblems ?? {};
  if (viewer?.kind === 'merchant') {
    return html`<section class="card" aria-labelledby="account-h">
      <h2 id="account-h">Your console login</h2>
      <p>Signed in as <strong>${viewer.email}</strong>.</p>
      <form method="post" action="${base}/password" class="stack">
        ${csrfField(viewer)} ${loginField('current', 'Current password', 'password', p.current)}
        ${loginField('password', 'New password (8 characters or more)', 'password', p.password)}
        <div class="form-actions"><button type="submit" class="btn">Change password</button></div>
      </form>
    </section>`;
  }
  const logins = await ctx.deps.store.listConsoleAccounts(merchant.partner);
  return html`<section class="card" aria-labelledby="logins-h">
    <h2 id="logins-h">Console logins of this merchant</h2>
    ${
      logins.length === 0
        ? html`<p class="muted">None yet.</p>`
        : html`<ul class="plain">
            ${logins.map((a) => html`<li><code>${a.email}</code></li>`)}
          </ul>`
    }
    <form method="post" action="${base}/logins" class="stack">
      ${csrfField(viewer)} ${loginField('email', 'Email', 'email', p.email, state.loginEmail)}
      ${loginField('password', 'Password (8 characters or more)', 'password', p.password)}
      <div class="form-actions">
        <button type="submit" class="btn">Create login or set its password</button>
      </div>
    </form>
  </section>`;
}

async function overview(
  ctx: ConsoleContext,
  req: FastifyRequest,
  reply: FastifyReply,
  state: OverviewState,
  status = 200,
): Promise<FastifyReply> {
  const { store, clock, requestLog } = ctx.deps;
  const merchant = req.consoleMerchant!;
  const base = merchantBase(merchant.partner);
  await requestLog.flush();
  const [recent, trades, sandboxClock] = await Promise.all([
    store.listRequestLog({ partner: merchant.partner, limit: 8 }),
    store.listTrades({ partner: merchant.partner, limit: 5 }),
    readMerchantClock(store, clock, merchant.partner),
  ]);
  const body = html`<div class="page-head">
      <h1>Overview</h1>
      <p class="lead">
        ${merchant.name} · sandbox time
        ${timeHtml(new Date(sandboxClock.now))}${
          sandboxClock.offsetMs !== 0 || sandboxClock.frozen
            ? html` <span class="badge badge-warn">shifted</span>`
            : ''
        }
      </p>
    </div>
    <div class="grid-2">
      <section class="card" aria-labelledby="gw-h">
        <h2 id="gw-h">Gateway</h2>
        <dl class="props">
          <dt>Gateway URL</dt>
          <dd><code id="gw-url">${gatewayUrlOf(req)}</code> ${copyButton('gw-url', 'gateway URL')}</dd>
          <dt>Services</dt>
          <dd>${merchant.services.length} of 4 enabled</dd>
          <dt>Currencies</dt>
          <dd>${merchant.currencies.join(', ')}</dd>
        </dl>
        <h3>Example request</h3>
        <p class="hint">
          A signed spot pay of 0.01 with a new id each time this page loads: paste it into a terminal.
        </p>
        <pre class="code-block" id="example">${exampleRequest(req, merchant)}</pre>
        ${copyButton('example', 'example request')}
      </section>
      ${keysCard(ctx, req, merchant, state)}
    </div>
    <section class="card" aria-labelledby="recent-h">
      <div class="card-head">
        <h2 id="recent-h">Recent requests</h2>
        <a href="${base}/requests">Open the request log</a>
      </div>
      ${recent.length === 0 ? html`<p class="muted">No request yet. Try the example above, or <a href="${base}/try">Try it</a>.</p>` : requestRows(base, recent)}
    </section>
    <section class="card" aria-labelledby="trades-h">
      <div class="card-head">
        <h2 id="trades-h">Latest trades</h2>
        <a href="${base}/trades">All trades</a>
      </div>
      ${trades.length === 0 ? html`<p class="muted">No trade yet.</p>` : tradeRows(base, trades)}
    </section>
    ${await loginsCard(ctx, req, merchant, state)}`;
  return sendPage(ctx, req, reply, { title: `${merchant.name} overview`, active: 'overview', body }, status);
}

/** The overview page and its forms: reveal the MD5 key, RSA key upload, console logins. */
export function overviewRoutes(app: FastifyInstance, ctx: ConsoleContext): void {
  const { store } = ctx.deps;

  app.get('/', (req, reply) => overview(ctx, req, reply, {}));

  // A POST, so the key is never in a URL, a history entry or a cached page.
  app.post('/keys/md5', (req, reply) => overview(ctx, req, reply, { revealMd5: true }));

  app.post('/keys/rsa', async (req, reply) => {
    const merchant = req.consoleMerchant!;
    const form = formOf(req);
    if (form['action'] === 'remove') {
      await store.updateMerchant(merchant.partner, { rsaPublicKey: null });
      return seeOther(reply, `${merchantBase(merchant.partner)}?done=rsa-removed`);
    }
    const text = form['rsaPublicKey'] ?? '';
    const pem = text.trim() === '' ? null : normalizeRsaPublicKey(text);
    if (pem === null) {
      const rsaError =
        'Not an RSA public key: paste a PEM "BEGIN PUBLIC KEY" block or its bare Base64 (X.509).';
      return overview(ctx, req, reply, { rsaError, rsaText: text.slice(0, 10_000) }, 400);
    }
    await store.updateMerchant(merchant.partner, { rsaPublicKey: pem });
    return seeOther(reply, `${merchantBase(merchant.partner)}?done=rsa-saved`);
  });

  app.post('/logins', async (req, reply) => {
    const merchant = req.consoleMerchant!;
    if (req.consoleViewer?.kind !== 'operator') return reply.code(404).send();
    const form = formOf(req);
    const email = form['email'] ?? '';
    const problems = await setMerchantLogin(store, merchant.partner, email, form['password'] ?? '');
    if (Object.keys(problems).length > 0) {
      return overview(ctx, req, reply, { loginProblems: problems, loginEmail: email }, 400);
    }
    return seeOther(reply, `${merchantBase(merchant.partner)}?done=login-saved`);
  });

  app.post('/password', async (req, reply) => {
    const merchant = req.consoleMerchant!;
    const viewer = req.consoleViewer;
    if (viewer?.kind !== 'merchant' || viewer.email === null) return reply.code(404).send();
    const form = formOf(req);
    const problems = await changeOwnPassword(
      store,
      viewer.email,
      form['current'] ?? '',
      form['password'] ?? '',
      viewer.idHash,
    );
    if (Object.keys(problems).length > 0) return overview(ctx, req, reply, { loginProblems: problems }, 400);
    return seeOther(reply, `${merchantBase(merchant.partner)}?done=password-changed`);
  });
}
