import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { Store } from '../storage/store.js';
import { API_KEY_PREFIX } from './api-key-secret.js';
import type { CredentialThrottle } from './credential-throttle.js';
import { localCallerProblem } from './local-caller.js';
import type { Principal } from './principal.js';
import { Problem } from './problem.js';
import { isLoopbackCaller } from '../ops/request-origin.js';

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The lower-case hex SHA-256 of an API key secret: what the store keeps instead of the secret. */
export function hashApiKey(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

function bearerToken(req: FastifyRequest): string | undefined {
  const m = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '');
  return m?.[1]?.trim() || undefined;
}

const UNAUTHORIZED = 'a valid "Authorization: Bearer <admin token or merchant API key>" header is required';

/** How the admin API tells who calls: the configured token, the hosts trusted without one, the guess throttle. */
export interface AdminAccess {
  adminToken: string | undefined;
  allowedHosts: readonly string[];
  throttle: CredentialThrottle;
}

/**
 * Who is calling the admin API (docs/admin-api.md, "Access"):
 * - the configured admin token makes the caller the operator;
 * - a merchant API key (`amk_…`) makes the caller that merchant, wherever the call comes from; a
 *   key that is not known is refused even on loopback, so a revoked key never falls back to more;
 * - without a configured token, any other call from loopback is the operator, and a call from
 *   elsewhere is refused, so a sandbox bound to 0.0.0.0 by mistake does not expose merchant keys;
 *   so is one that names another Host or comes from another site's page (local-caller.ts).
 * Wrong tokens and unknown keys are throttled per address (credential-throttle.ts).
 */
export async function resolvePrincipal(
  req: FastifyRequest,
  access: AdminAccess,
  store: Store,
): Promise<Principal> {
  const { adminToken, throttle } = access;
  const token = bearerToken(req);
  if (token !== undefined) throttle.assertAllowed(req.ip);
  if (adminToken !== undefined && token !== undefined && sameToken(token, adminToken)) {
    return { kind: 'operator' };
  }
  if (token?.startsWith(API_KEY_PREFIX)) {
    const key = await store.findApiKeyByHash(hashApiKey(token), { markUsed: true });
    if (!key) {
      await throttle.failed(req.ip);
      throw new Problem('unauthorized', 'unknown or revoked API key');
    }
    return { kind: 'merchant', partner: key.partner, keyId: key.id };
  }
  if (adminToken !== undefined) {
    if (token !== undefined) await throttle.failed(req.ip);
    throw new Problem('unauthorized', UNAUTHORIZED);
  }
  if (!isLoopbackCaller(req)) {
    throw new Problem(
      'forbidden',
      'the admin API answers only on loopback unless an admin token is configured (or send a merchant API key)',
    );
  }
  const problem = localCallerProblem(req, access.allowedHosts);
  if (problem) throw problem;
  return { kind: 'operator' };
}
