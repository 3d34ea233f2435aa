import type { FastifyRequest } from 'fastify';
import { isAllowedHost, isSameOrigin } from '../ops/request-origin.js';
import { Problem } from './problem.js';

/**
 * Why a request that is trusted for coming from loopback (no admin token configured) is refused,
 * or undefined: a page of another site in a browser on this machine can send requests from loopback
 * too, by a form or script (cross-site) or through a name of its own resolving to 127.0.0.1.
 */
export function localCallerProblem(
  req: FastifyRequest,
  allowedHosts: readonly string[],
): Problem | undefined {
  if (!isAllowedHost(req.headers.host, allowedHosts)) {
    return new Problem(
      'host_not_allowed',
      `Host ${req.headers.host ?? ''} is not a name of this sandbox: without an admin token only loopback names and addresses and --allowed-hosts are answered`,
    );
  }
  if (!isSameOrigin(req)) {
    return new Problem(
      'cross_site_request',
      'a request from another site is refused: without an admin token the admin API trusts only callers on this machine, not pages they open',
    );
  }
  return undefined;
}
