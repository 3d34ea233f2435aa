import type { FastifyRequest } from 'fastify';
import { Problem } from './problem.js';

/** Who calls the admin API: the operator (everything) or one merchant (its own data only). */
export type Principal = { kind: 'operator' } | { kind: 'merchant'; partner: string; keyId: string };

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the admin API's onRequest hook before any route runs. */
    principal: Principal;
  }
  interface FastifyContextConfig {
    /** Merchant API keys get 403 `forbidden` on this route (creating merchants, changing buyers…). */
    operatorOnly?: boolean;
  }
}

const PARTNER_ID = /^\d{16}$/;

/**
 * Throws 403 `forbidden` unless the caller may act for this partner: the operator always, a
 * merchant only for itself. For partners the caller names (URL, body, filter); a resource found by
 * its own id uses `ownsPartner` instead and answers 404, so ids of other merchants are not revealed.
 */
export function assertPartnerAccess(req: FastifyRequest, partner: string): void {
  const p = req.principal;
  if (p.kind === 'merchant' && p.partner !== partner) {
    throw new Problem('forbidden', `this API key belongs to merchant ${p.partner}, not ${partner}`);
  }
}

/** True when the caller may see data of this partner (null: not any merchant's, operator only). */
export function ownsPartner(req: FastifyRequest, partner: string | null): boolean {
  const p = req.principal;
  return p.kind === 'operator' || p.partner === partner;
}

/**
 * The partner a list is restricted to: what the caller asked for, and for a merchant its own partner
 * whether it asked or not (asking for another one is 403).
 */
export function scopedPartner(req: FastifyRequest, requested: string | undefined): string | undefined {
  const p = req.principal;
  if (p.kind === 'operator') return requested;
  if (requested !== undefined) assertPartnerAccess(req, requested);
  return p.partner;
}

/**
 * The checks every admin route gets from the route table alone, run once per request after the
 * principal is known: `operatorOnly` routes refuse merchants, and a `:partner` in the path must be
 * 16 digits (400) and the caller's own (403).
 */
export function enforceRouteAccess(req: FastifyRequest): void {
  if (req.routeOptions.config.operatorOnly === true && req.principal.kind !== 'operator') {
    throw new Problem('forbidden', `${req.method} ${req.routeOptions.url ?? ''} needs the admin token`);
  }
  const partner = (req.params as Record<string, string | undefined> | undefined)?.['partner'];
  if (partner === undefined) return;
  if (!PARTNER_ID.test(partner)) {
    throw new Problem('invalid_request', `partner ${partner} is not a partner id`, [
      { field: 'partner', message: 'must be 16 digits' },
    ]);
  }
  assertPartnerAccess(req, partner);
}
