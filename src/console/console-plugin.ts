import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { loadConsoleAssets } from './console-assets.js';
import type { ConsoleDeps } from './console-deps.js';
import { messagePage, sendPage, type ConsoleContext } from './console-page.js';
import { findSession } from './console-session.js';
import { hasCsrfToken } from './csrf.js';
import { isSameOrigin } from '../ops/request-origin.js';
import { enc } from './html.js';
import { hasLoginToken, loginRoutes } from './login-routes.js';
import { merchantRoutes } from './merchant-routes.js';
import { operatorSessionHolds } from './operator-access.js';
import { operatorRoutes } from './operator-routes.js';

// Pages carry merchant keys: never cached, never framed, no script or style but the console's own.
const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'same-origin',
  'cross-origin-opener-policy': 'same-origin',
  'cache-control': 'no-store',
};

const LOGIN_ROUTES = new Set(['/login', '/login/operator']);

/** Form bodies as a null-prototype record of the first value of each name (no prototype keys). */
function parseForm(text: string): Record<string, string> {
  const out = Object.create(null) as Record<string, string>;
  for (const [name, value] of new URLSearchParams(text)) if (!(name in out)) out[name] = value;
  return out;
}

async function refuse(ctx: ConsoleContext, req: FastifyRequest, reply: FastifyReply, status: 401 | 403) {
  const page =
    status === 401
      ? messagePage('Signed out', 'Your session has ended. Sign in again to continue.', {
          href: '/login',
          label: 'Sign in',
        })
      : messagePage(
          'Request refused',
          'This form was out of date or sent from another site, so nothing was changed. Reload the page and try again.',
        );
  return sendPage(ctx, req, reply, page, status);
}

/**
 * The web console (docs/console.md): server-rendered pages at `/`, one stylesheet and one script
 * under /assets, sessions in HttpOnly cookies, CSRF checks on every POST.
 */
export async function consolePlugin(app: FastifyInstance, deps: ConsoleDeps): Promise<void> {
  const ctx: ConsoleContext = { deps, assets: await loadConsoleAssets() };
  app.decorateRequest('consoleViewer', null);
  app.decorateRequest('consoleMerchant', null);
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) =>
    done(null, parseForm(body as string)),
  );

  app.addHook('onRequest', async (req, reply) => {
    void reply.headers(SECURITY_HEADERS);
    if (req.url.startsWith('/assets/')) return;
    const session = await findSession(deps.store, deps.clock, req);
    if (session && operatorSessionHolds(session, req, deps.adminToken, deps.allowedHosts))
      req.consoleViewer = session;
  });

  // Every POST must come from this console's pages: same origin, and the session's CSRF token (or,
  // for sign-in, the token of the sign-in form's cookie).
  app.addHook('preHandler', async (req, reply) => {
    if (req.method !== 'POST') return;
    if (!isSameOrigin(req)) return refuse(ctx, req, reply, 403);
    if (LOGIN_ROUTES.has(req.routeOptions.url ?? '')) {
      if (!hasLoginToken(req)) return refuse(ctx, req, reply, 403);
      return;
    }
    const viewer = req.consoleViewer;
    if (viewer === null) return refuse(ctx, req, reply, 401);
    if (!hasCsrfToken(req, viewer.csrfToken)) return refuse(ctx, req, reply, 403);
  });

  app.setErrorHandler(async (err: FastifyError, req, reply) => {
    const status = err.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      return sendPage(ctx, req, reply, messagePage('Request refused', err.message), status);
    }
    req.log.error({ err }, 'console failure');
    const text = `Something went wrong on the server (request id ${req.id}); the sandbox log has the details.`;
    return sendPage(ctx, req, reply, messagePage('Server error', text), 500);
  });

  for (const asset of [ctx.assets.css, ctx.assets.js]) {
    const path = asset.url.split('?')[0] ?? '';
    const type = path.endsWith('.css') ? 'text/css; charset=utf-8' : 'text/javascript; charset=utf-8';
    app.get(path, (_req, reply) =>
      reply.header('cache-control', 'public, max-age=86400').type(type).send(asset.body),
    );
  }

  loginRoutes(app, ctx);
  operatorRoutes(app, ctx);
  await app.register(
    (merchantApp, _opts, done) => {
      // The one place that decides whose pages these are: a merchant only its own, the operator any.
      merchantApp.addHook('preHandler', async (req, reply) => {
        const viewer = req.consoleViewer;
        if (viewer === null) {
          return reply
            .code(303)
            .header('location', `/login?next=${enc(req.url)}`)
            .send();
        }
        const partner = (req.params as { partner?: string }).partner ?? '';
        const allowed = viewer.kind === 'operator' || viewer.partner === partner;
        const merchant =
          allowed && /^\d{16}$/.test(partner) ? await deps.store.getMerchant(partner) : undefined;
        if (merchant === undefined) {
          // The same answer for a merchant that does not exist and one that is not yours.
          if (req.url.split('?')[0]?.endsWith('.json')) {
            return reply.code(404).send({ error: 'not_found' });
          }
          return sendPage(ctx, req, reply, messagePage('Not found', 'There is no such merchant page.'), 404);
        }
        req.consoleMerchant = merchant;
      });
      merchantApp.setNotFoundHandler((req, reply) =>
        sendPage(ctx, req, reply, messagePage('Not found', 'There is no such page.'), 404),
      );
      merchantRoutes(merchantApp, ctx);
      done();
    },
    { prefix: '/m/:partner' },
  );
}
