import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { cookie, parseCookies, randomToken, sameSecret, setCookie } from './console-session.js';
import { isSameOrigin } from '../ops/request-origin.js';
import { CSRF_FIELD } from './csrf.js';
import { html } from './html.js';
import {
  resolveMerchantCode,
  resolveOrderCode,
  viewOrderCode,
  WALLET_ACTIONS,
  WALLET_REFUSALS,
  type WalletAction,
  type WalletDeps,
} from '../domain/wallet.js';
import { renderWalletPage, walletDocument } from './wallet-page.js';
import { renderMerchantWalletPage, type MerchantWalletPageView } from './merchant-wallet-page.js';
import { viewMerchantCode } from '../domain/merchant-qr-wallet.js';
import { qrSvg } from './qr-svg.js';

/** The wallet's double-submit CSRF cookie: a phone has no console session to hold a token. */
const WALLET_COOKIE = 'amock_wallet';
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

// No script at all; the page's own inline style only; never framed or cached.
const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy':
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'same-origin',
  'cache-control': 'no-store',
};

function csrfToken(req: FastifyRequest, reply: FastifyReply): string {
  const existing = parseCookies(req.headers.cookie).get(WALLET_COOKIE);
  if (existing !== undefined && TOKEN_SHAPE.test(existing)) return existing;
  const token = randomToken();
  setCookie(reply, cookie(req, WALLET_COOKIE, token, 3600));
  return token;
}

function formOf(req: FastifyRequest): Record<string, string> {
  return (req.body ?? {}) as Record<string, string>;
}

function notFound(reply: FastifyReply): FastifyReply {
  const body = walletDocument(
    'Unknown code',
    html`<section class="card">
      <h1>Unknown QR code</h1>
      <p class="muted">${WALLET_REFUSALS.not_found}.</p>
    </section>`,
  );
  return reply.code(404).type('text/html; charset=utf-8').send(body);
}

/**
 * The sandbox wallet's page (docs/console.md, "Wallet"): a precreate `qr_code` opens it on a phone or a
 * desktop; a tester picks a sandbox buyer and pays, declines, or lets the order time out. No sign-in:
 * the code itself is the capability, and forms are CSRF-checked (same origin and a double-submit token).
 */
export function walletPagePlugin(
  app: FastifyInstance,
  opts: { deps: WalletDeps; kick?: (() => void) | undefined },
  done: () => void,
): void {
  const { deps } = opts;
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, next) => {
    const out = Object.create(null) as Record<string, string>;
    for (const [name, value] of new URLSearchParams(body as string)) if (!(name in out)) out[name] = value;
    next(null, out);
  });
  app.addHook('onRequest', async (_req, reply) => {
    void reply.headers(SECURITY_HEADERS);
  });

  type Extra = Pick<MerchantWalletPageView, 'amount' | 'amountError' | 'paid'>;

  /** The page of a merchant QR code: an amount to enter, then pay (docs/protocol.md §12.6). */
  async function merchantPage(
    req: FastifyRequest<{ Params: { token: string } }>,
    reply: FastifyReply,
    message: { kind: 'ok' | 'bad'; text: string } | undefined,
    status: number,
    extra: Extra,
  ) {
    const found = await resolveMerchantCode(deps.store, req.params.token);
    const code = found && (await viewMerchantCode(deps, found.merchant, found.codeId));
    if (!found || !code) return notFound(reply);
    const body = renderMerchantWalletPage({
      token: req.params.token,
      merchant: found.merchant,
      code,
      buyers: await deps.store.listBuyers(),
      csrf: csrfToken(req, reply),
      message,
      ...extra,
    });
    return reply.code(status).type('text/html; charset=utf-8').send(body);
  }

  async function page(
    req: FastifyRequest<{ Params: { token: string } }>,
    reply: FastifyReply,
    message?: { kind: 'ok' | 'bad'; text: string },
    status = 200,
    extra: Extra = {},
  ) {
    const view = await viewOrderCode(deps, req.params.token);
    if (!view) return merchantPage(req, reply, message, status, extra);
    const buyers = await deps.store.listBuyers();
    const body = renderWalletPage({
      ...view,
      token: req.params.token,
      buyers,
      csrf: csrfToken(req, reply),
      message,
    });
    return reply.code(status).type('text/html; charset=utf-8').send(body);
  }

  app.get<{ Params: { token: string } }>('/wallet/:token', (req, reply) => page(req, reply));

  // The picture URLs of a precreate answer (docs/protocol.md §12.1): the code of this page's own URL.
  app.get<{ Params: { token: string }; Querystring: { size?: string } }>(
    '/wallet/:token/qr.svg',
    async (req, reply) => {
      const known =
        (await resolveOrderCode(deps.store, req.params.token)) ??
        (await resolveMerchantCode(deps.store, req.params.token));
      if (!known) return notFound(reply);
      const svg = await qrSvg(`${req.protocol}://${req.host}/wallet/${req.params.token}`, req.query.size);
      return reply.type('image/svg+xml').send(svg);
    },
  );

  app.post<{ Params: { token: string } }>('/wallet/:token', async (req, reply) => {
    const form = formOf(req);
    const expected = parseCookies(req.headers.cookie).get(WALLET_COOKIE) ?? '';
    if (!isSameOrigin(req) || expected === '' || !sameSecret(form[CSRF_FIELD] ?? '', expected)) {
      const text = 'This form was out of date or sent from another site, so nothing was changed.';
      return page(req, reply, { kind: 'bad', text }, 403);
    }
    const buyer = /^\d{16}$/.test(form['buyer'] ?? '') ? form['buyer'] : undefined;
    const code = req.params.token;
    const action = form['action'];
    if (action !== 'pay' && action !== 'decline' && action !== 'expire')
      return page(req, reply, { kind: 'bad', text: 'Choose pay, decline or let it time out.' }, 400);
    const amount = form['amount'];
    const merchantCode = await resolveMerchantCode(deps.store, code);
    // Backing out of a merchant QR code leaves nothing behind: there is no order to keep waiting.
    if (merchantCode && action === 'decline')
      return page(req, reply, { kind: 'ok', text: 'Declined: nothing was paid.' });
    const result = await WALLET_ACTIONS[action satisfies WalletAction](deps, code, buyer, amount);
    if (!result.ok && (result.reason === 'amount_required' || result.reason === 'amount_invalid')) {
      // The message goes next to the amount field, which keeps what was typed.
      const amountError = `${WALLET_REFUSALS[result.reason]}.`;
      return page(req, reply, undefined, 400, { amount, amountError });
    }
    if (!result.ok) return page(req, reply, { kind: 'bad', text: `${WALLET_REFUSALS[result.reason]}.` }, 409);
    opts.kick?.();
    if (merchantCode) return page(req, reply, { kind: 'ok', text: 'Paid.' }, 200, { paid: result.trade });
    const words = {
      pay: 'Paid.',
      decline: 'Declined: the order is still waiting.',
      expire: 'The order timed out.',
    };
    return page(req, reply, { kind: 'ok', text: words[action] });
  });
  done();
}
