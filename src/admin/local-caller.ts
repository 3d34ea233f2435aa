import type { FastifyRequest } from 'fastify';
import { isSameOrigin } from '../console/csrf.js';
import { Problem } from './problem.js';

/** The host name of a Host header, lower case, without port, brackets or a final dot. */
function hostNameOf(host: string): string {
  const name = host.startsWith('[') ? host.slice(1, host.indexOf(']')) : host.replace(/:\d*$/, '');
  return name.toLowerCase().replace(/\.$/, '');
}

/** True for `localhost`, `*.localhost` (RFC 6761), 127.0.0.0/8 and ::1 written as a host name. */
function isLoopbackName(name: string): boolean {
  return (
    name === 'localhost' ||
    name.endsWith('.localhost') ||
    /^127(?:\.\d{1,3}){3}$/.test(name) ||
    name === '::1' ||
    /^::ffff:127(?:\.\d{1,3}){3}$/.test(name)
  );
}

/**
 * True when the Host header names this machine: a loopback name or address, or a host listed in
 * --allowed-hosts. A request without Host (HTTP/1.0) passes: every browser sends one, and the check
 * is against browsers led to the sandbox by a name that resolves to loopback (DNS rebinding).
 */
export function isAllowedHost(host: string | undefined, allowedHosts: readonly string[]): boolean {
  if (host === undefined) return true;
  const name = hostNameOf(host);
  return isLoopbackName(name) || allowedHosts.includes(name);
}

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
