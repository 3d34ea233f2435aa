import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DEMO_CONSOLE_LOGINS } from '../demo-accounts.js';
import type { ConsoleContext } from './console-page.js';
import { formOf, queryOf, seeOther, sendPage } from './console-page.js';
import {
  LOGIN_COOKIE,
  cookie,
  endSession,
  parseCookies,
  randomToken,
  sameSecret,
  setCookie,
  startSession,
} from './console-session.js';
import { CSRF_FIELD } from './csrf.js';
import { html, type SafeHtml } from './html.js';
import { countLoginAttempt, forgiveLoginAttempt } from '../ops/login-rate-limit.js';
import { operatorRef, operatorSignInProblem } from './operator-access.js';
import { DECOY_PASSWORD_HASH, verifyPassword } from './password-hash.js';

/** Where to go after sign-in: a path of this console only (never another site, `//host` or `/\host`). */
export function safeNext(next: string | undefined, fallback: string): string {
  if (next === undefined || !/^\/(?![/\\])[\x21-\x7e]*$/.test(next) || next.startsWith('/login'))
    return fallback;
  return next;
}

/** The sign-in form's CSRF token: the one its cookie holds, or a new one (set on the reply). */
function loginToken(req: FastifyRequest, reply: FastifyReply): string {
  const existing = parseCookies(req.headers.cookie).get(LOGIN_COOKIE);
  if (existing !== undefined && /^[A-Za-z0-9_-]{43}$/.test(existing)) return existing;
  const token = randomToken();
  setCookie(reply, cookie(req, LOGIN_COOKIE, token, 3600));
  return token;
}

/** True when a sign-in POST carries the token of its form's cookie (double submit: no session yet). */
export function hasLoginToken(req: FastifyRequest): boolean {
  const expected = parseCookies(req.headers.cookie).get(LOGIN_COOKIE) ?? '';
  const given = formOf(req)[CSRF_FIELD] ?? '';
  return expected !== '' && sameSecret(given, expected);
}

interface LoginFormState {
  email?: string;
  merchantError?: string;
  operatorError?: string;
  next?: string | undefined;
}

async function demoHint(ctx: ConsoleContext): Promise<SafeHtml> {
  const demo = DEMO_CONSOLE_LOGINS[0];
  if (demo === undefined) return html``;
  const account = await ctx.deps.store.getConsoleAccount(demo.email);
  // Shown only while the documented demo password still works.
  if (account?.passwordHash !== demo.passwordHash) return html``;
  return html`<p class="hint demo-hint">
    Demo merchant: <code>${demo.email}</code> / <code>${demo.password}</code> (see the README's demo
    accounts).
  </p>`;
}

async function loginPage(
  ctx: ConsoleContext,
  req: FastifyRequest,
  reply: FastifyReply,
  state: LoginFormState,
  status = 200,
): Promise<FastifyReply> {
  const token = loginToken(req, reply);
  const next = state.next ? html`<input type="hidden" name="next" value="${state.next}" />` : '';
  const tokenConfigured = ctx.deps.adminToken !== undefined;
  const body = html`<div class="login">
    <section class="card login-card" aria-labelledby="merchant-login">
      <h1 id="merchant-login">Sign in</h1>
      <p class="lead">The sandbox console of your Alipay in-store test merchant.</p>
      ${state.merchantError ? html`<p class="form-error" role="alert" id="login-error">${state.merchantError}</p>` : ''}
      <form method="post" action="/login" class="stack">
        <input type="hidden" name="${CSRF_FIELD}" value="${token}" />${next}
        <div class="field">
          <label for="email">Email</label>
          <input
            id="email"
            name="email"
            type="email"
            autocomplete="username"
            required
            value="${state.email ?? ''}"
            ${state.merchantError ? html` aria-describedby="login-error" aria-invalid="true"` : ''}
          />
        </div>
        <div class="field">
          <label for="password">Password</label>
          <input id="password" name="password" type="password" autocomplete="current-password" required />
        </div>
        <button type="submit" class="btn btn-primary btn-block">Sign in</button>
      </form>
      ${await demoHint(ctx)}
    </section>
    <section class="card login-card" aria-labelledby="operator-login">
      <h2 id="operator-login">Operator</h2>
      <p class="hint">
        The operator sees every merchant and switches between them.
        ${
          tokenConfigured
            ? 'Sign in with the admin token (--admin-token).'
            : 'No admin token is configured: operator sign-in works only from this machine (loopback), with the field left empty.'
        }
      </p>
      ${state.operatorError ? html`<p class="form-error" role="alert" id="operator-error">${state.operatorError}</p>` : ''}
      <form method="post" action="/login/operator" class="stack">
        <input type="hidden" name="${CSRF_FIELD}" value="${token}" />${next}
        <div class="field">
          <label for="admin-token">Admin token</label>
          <input
            id="admin-token"
            name="token"
            type="password"
            autocomplete="off"
            ${state.operatorError ? html` aria-describedby="operator-error" aria-invalid="true"` : ''}
          />
        </div>
        <button type="submit" class="btn btn-block">Sign in as operator</button>
      </form>
    </section>
  </div>`;
  return sendPage(ctx, req, reply, { title: 'Sign in', body }, status);
}

function tooMany(reply: FastifyReply, seconds: number): string {
  void reply.header('retry-after', String(seconds));
  return `Too many sign-in attempts. Wait ${seconds} s and try again.`;
}

/** GET/POST /login, POST /login/operator, POST /logout. */
export function loginRoutes(app: FastifyInstance, ctx: ConsoleContext): void {
  const { store, clock, adminToken } = ctx.deps;

  app.get('/login', async (req, reply) => {
    const next = queryOf(req)['next'];
    if (req.consoleViewer) return seeOther(reply, safeNext(next, '/'));
    return loginPage(ctx, req, reply, { next });
  });

  app.post('/login', async (req, reply) => {
    const form = formOf(req);
    const email = (form['email'] ?? '').trim().toLowerCase().slice(0, 254);
    const password = (form['password'] ?? '').slice(0, 1024);
    const next = form['next'];
    const keys = [`ip:${req.ip}`, `email:${email}`];
    const attempt = await countLoginAttempt(store, clock.now(), keys);
    if (!attempt.allowed) {
      const merchantError = tooMany(reply, attempt.retryAfterSeconds);
      return loginPage(ctx, req, reply, { email, merchantError, next }, 429);
    }
    const account = email === '' ? undefined : await store.getConsoleAccount(email);
    // Checked against a decoy when the login is unknown, so timing does not tell which emails exist.
    const passwordOk = await verifyPassword(password, account?.passwordHash ?? DECOY_PASSWORD_HASH);
    const merchant = account && passwordOk ? await store.getMerchant(account.partner) : undefined;
    if (!account || !merchant) {
      const merchantError = 'That email and password do not match a console login.';
      return loginPage(ctx, req, reply, { email, merchantError, next }, 401);
    }
    await forgiveLoginAttempt(store, attempt.windowStart, keys);
    await startSession(store, clock, req, reply, {
      kind: 'merchant',
      partner: merchant.partner,
      email: account.email,
      operatorRef: null,
    });
    return seeOther(reply, safeNext(next, `/m/${merchant.partner}`));
  });

  app.post('/login/operator', async (req, reply) => {
    const form = formOf(req);
    const next = form['next'];
    const keys = [`ip:${req.ip}`, 'operator'];
    const attempt = await countLoginAttempt(store, clock.now(), keys);
    if (!attempt.allowed) {
      const operatorError = tooMany(reply, attempt.retryAfterSeconds);
      return loginPage(ctx, req, reply, { operatorError, next }, 429);
    }
    const given = (form['token'] ?? '').slice(0, 1024);
    const problem = operatorSignInProblem(req, adminToken, given, ctx.deps.allowedHosts);
    if (problem !== undefined) return loginPage(ctx, req, reply, { operatorError: problem, next }, 401);
    await forgiveLoginAttempt(store, attempt.windowStart, keys);
    await startSession(store, clock, req, reply, {
      kind: 'operator',
      partner: null,
      email: null,
      operatorRef: operatorRef(adminToken),
    });
    return seeOther(reply, safeNext(next, '/operator'));
  });

  app.post('/logout', async (req, reply) => {
    await endSession(store, req, reply);
    return seeOther(reply, '/login?done=signed-out');
  });
}
