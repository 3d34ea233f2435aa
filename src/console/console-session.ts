import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from '../clock.js';
import type { ConsoleSession } from '../ports/console-accounts.js';
import type { Store } from '../storage/store.js';

/** Cookie of a console session: a random 32-byte id, base64url. */
export const SESSION_COOKIE = 'amock_session';
/** Cookie of the sign-in form's CSRF token (there is no session yet to hold it). */
export const LOGIN_COOKIE = 'amock_login';
/** A session ends this long after sign-in, whatever happens. */
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;

/** Who is signed in to the console. */
export type ConsoleViewer = ConsoleSession;

/** The cookies of a request (later duplicates are ignored, as browsers send the most specific first). */
export function parseCookies(header: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    if (!out.has(name)) out.set(name, part.slice(eq + 1).trim());
  }
  return out;
}

/** What the store keeps of a session id: its SHA-256, so a copy of the database opens no session. */
export function sessionIdHash(id: string): string {
  return createHash('sha256').update(id, 'utf8').digest('hex');
}

/** A new random token: 32 bytes from the system CSPRNG, base64url. */
export function randomToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Equal strings in time that does not depend on where they differ. */
export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** A Set-Cookie value: HttpOnly, SameSite=Lax, Path=/, Secure on HTTPS; maxAge 0 deletes it. */
export function cookie(req: FastifyRequest, name: string, value: string, maxAgeSeconds: number): string {
  const secure = req.protocol === 'https' ? '; Secure' : '';
  return `${name}=${value}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAgeSeconds}${secure}`;
}

/** Adds a Set-Cookie header, keeping those already set on the reply. */
export function setCookie(reply: FastifyReply, value: string): void {
  const existing = reply.getHeader('set-cookie');
  const list = existing === undefined ? [] : Array.isArray(existing) ? existing : [String(existing)];
  void reply.header('set-cookie', [...list, value]);
}

/** The session the request's cookie names, if it is still valid. */
export async function findSession(
  store: Store,
  clock: Clock,
  req: FastifyRequest,
): Promise<ConsoleSession | undefined> {
  const id = parseCookies(req.headers.cookie).get(SESSION_COOKIE);
  if (id === undefined || !/^[A-Za-z0-9_-]{43}$/.test(id)) return undefined;
  return store.getConsoleSession(sessionIdHash(id), clock.now());
}

/**
 * Starts a session after a successful sign-in: always a NEW random id (a session id planted before
 * sign-in is never promoted, so there is no session fixation), and the old session, if any, ends.
 */
export async function startSession(
  store: Store,
  clock: Clock,
  req: FastifyRequest,
  reply: FastifyReply,
  who: Pick<ConsoleSession, 'kind' | 'partner' | 'email' | 'operatorRef'>,
): Promise<ConsoleSession> {
  await dropSession(store, req);
  const id = randomToken();
  const now = clock.now();
  const session: ConsoleSession = {
    ...who,
    idHash: sessionIdHash(id),
    csrfToken: randomToken(),
    createdAt: now,
    expiresAt: new Date(now.getTime() + SESSION_TTL_MS),
  };
  await store.createConsoleSession(session);
  // Expired sessions are swept at sign-in, so the table holds about the live ones.
  await store.pruneConsoleSessions(now);
  setCookie(reply, cookie(req, SESSION_COOKIE, id, SESSION_TTL_MS / 1000));
  return session;
}

/** Deletes the session the request's cookie names, on the server. */
async function dropSession(store: Store, req: FastifyRequest): Promise<void> {
  const id = parseCookies(req.headers.cookie).get(SESSION_COOKIE);
  if (id !== undefined) await store.deleteConsoleSession(sessionIdHash(id));
}

/** Ends the request's session (server side) and clears the cookie. */
export async function endSession(store: Store, req: FastifyRequest, reply: FastifyReply): Promise<void> {
  await dropSession(store, req);
  setCookie(reply, cookie(req, SESSION_COOKIE, '', 0));
}
