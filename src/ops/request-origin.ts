import type { FastifyRequest } from 'fastify';
import type { IncomingMessage } from 'node:http';
import { isLoopback } from './is-loopback.js';

/**
 * True when the caller is on this machine: the connection comes from loopback, and so does the client
 * a trusted proxy names (--trust-proxy). Both, so that neither a proxy on this machine makes every
 * client local nor a forged X-Forwarded-For (with `--trust-proxy true`) makes a remote one local.
 */
export function isLoopbackCaller(req: FastifyRequest): boolean {
  return isLoopback(req.socket.remoteAddress) && isLoopback(req.ip);
}

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
 * True when a state-changing request comes from this console's own pages: a browser's Origin (or,
 * without one, Sec-Fetch-Site) must name this host. Non-browser clients that send neither pass this
 * check and still need the CSRF token.
 */
export function isSameOrigin(req: FastifyRequest): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) {
    const site = req.headers['sec-fetch-site'];
    return site === undefined || site === 'same-origin' || site === 'none';
  }
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false; // "null" (sandboxed frames, some redirects) or garbage
  }
}

/** Which hops of X-Forwarded-* to believe: the function form of --trust-proxy (Fastify's own form). */
export type TrustProxy = (address: string, hop: number) => boolean;

/** The last of a header's comma-separated values: the one the nearest proxy added. */
function lastEntry(value: string): string {
  const at = value.lastIndexOf(',');
  return (at === -1 ? value : value.slice(at + 1)).trim();
}

/**
 * `scheme://host` as the client addressed the sandbox, read exactly as Fastify reads `protocol` and
 * `host` for its own routes: X-Forwarded-Proto and X-Forwarded-Host when the connection comes from a
 * trusted proxy, else the connection's TLS and the Host header.
 */
export function requestOrigin(req: IncomingMessage, trust: TrustProxy): string {
  const socket = req.socket as IncomingMessage['socket'] & { encrypted?: boolean };
  const trusted = socket.remoteAddress !== undefined && trust(socket.remoteAddress, 0);
  const proto = req.headers['x-forwarded-proto'];
  const forwardedHost = req.headers['x-forwarded-host'];
  const scheme =
    trusted && typeof proto === 'string' && proto !== ''
      ? lastEntry(proto)
      : socket.encrypted
        ? 'https'
        : 'http';
  const host =
    trusted && typeof forwardedHost === 'string' && forwardedHost !== ''
      ? lastEntry(forwardedHost)
      : (req.headers.host ?? '');
  return `${scheme}://${host}`;
}
