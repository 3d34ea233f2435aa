import { createHash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { ConsoleSession } from '../ports/console-accounts.js';
import { isAllowedHost, isLoopbackCaller } from '../ops/request-origin.js';
import { sameSecret } from './console-session.js';

/** The marker of an operator session opened without an admin token (loopback only). */
const LOOPBACK_REF = 'loopback';

/** What an operator session remembers of how it was opened (never the token itself). */
export function operatorRef(adminToken: string | undefined): string {
  if (adminToken === undefined) return LOOPBACK_REF;
  return createHash('sha256').update(`alipay-mock console operator\n${adminToken}`, 'utf8').digest('hex');
}

/** Why an operator sign-in is refused, or undefined when it is allowed. */
export function operatorSignInProblem(
  req: FastifyRequest,
  adminToken: string | undefined,
  given: string,
  allowedHosts: readonly string[] = [],
): string | undefined {
  if (adminToken !== undefined) {
    return sameSecret(given, adminToken) ? undefined : 'That admin token is not right.';
  }
  // Same rule as the admin API without a token: only from this machine, by one of its own names
  // (a page whose name resolves to 127.0.0.1 reads the form's CSRF token as its own).
  if (!isLoopbackCaller(req)) {
    return 'No admin token is configured, so operator sign-in works only from this machine (loopback).';
  }
  if (!isAllowedHost(req.headers.host, allowedHosts)) {
    return 'No admin token is configured, so operator sign-in works only at a loopback address or name (or one of --allowed-hosts).';
  }
  return given === ''
    ? undefined
    : 'No admin token is configured: leave the token field empty (loopback only).';
}

/**
 * True while an operator session still holds: the admin token it was opened with is still the
 * configured one, or, without a token, the request still comes from loopback to an allowed Host.
 */
export function operatorSessionHolds(
  session: ConsoleSession,
  req: FastifyRequest,
  adminToken: string | undefined,
  allowedHosts: readonly string[] = [],
): boolean {
  if (session.kind !== 'operator') return true;
  if (session.operatorRef !== operatorRef(adminToken)) return false;
  return adminToken !== undefined || (isLoopbackCaller(req) && isAllowedHost(req.headers.host, allowedHosts));
}
