import { timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { Problem } from './problem.js';

function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  return address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
}

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Admin API access: with a configured token every call needs `Authorization: Bearer <token>`;
 * without one the API answers only to loopback callers, so a sandbox bound to 0.0.0.0 by
 * mistake does not expose merchant keys.
 */
export function checkAdminAccess(req: FastifyRequest, adminToken: string | undefined): void {
  if (adminToken === undefined) {
    if (!isLoopback(req.socket.remoteAddress)) {
      throw new Problem(
        'forbidden',
        'the admin API answers only on loopback unless an admin token is configured',
      );
    }
    return;
  }
  const header = req.headers.authorization ?? '';
  const m = /^Bearer\s+(.+)$/i.exec(header);
  if (!m?.[1] || !sameToken(m[1].trim(), adminToken)) {
    throw new Problem('unauthorized', 'a valid "Authorization: Bearer <admin token>" header is required');
  }
}
