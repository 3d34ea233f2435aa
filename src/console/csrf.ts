import type { FastifyRequest } from 'fastify';
import { sameSecret } from './console-session.js';

/** Name of the hidden form field (and `x-csrf-token` header) that carries the CSRF token. */
export const CSRF_FIELD = '_csrf';

/** The CSRF token the request carries (form field or header). */
export function submittedCsrfToken(req: FastifyRequest): string {
  const body = req.body as Record<string, unknown> | undefined;
  const field = typeof body?.[CSRF_FIELD] === 'string' ? body[CSRF_FIELD] : undefined;
  const header = req.headers['x-csrf-token'];
  return field ?? (typeof header === 'string' ? header : '');
}

/** True when the request carries the expected token. */
export function hasCsrfToken(req: FastifyRequest, expected: string): boolean {
  const given = submittedCsrfToken(req);
  return given !== '' && sameSecret(given, expected);
}
