import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP, type LookupFunction } from 'node:net';
import type { NotifyAllow } from './notify-allow.js';

/** Where a notification may be sent: the addresses to connect to, or why it may not be sent at all. */
export type NotifyTarget =
  | { ok: true; lookup: LookupFunction | undefined }
  | { ok: false; refused: string }
  | { ok: false; unresolved: string };

/** A `lookup` for node:http that answers with addresses already checked, so the connection uses them. */
function pinned(addresses: ReadonlyArray<{ address: string; family: number }>): LookupFunction {
  return (_hostname, options, callback) => {
    const first = addresses[0];
    if (options.all === true) callback(null, [...addresses]);
    else if (first) callback(null, first.address, first.family);
  };
}

/**
 * Checks a notify_url's host against --notify-allow. A listed host name is trusted as it resolves;
 * otherwise every address it resolves to must be allowed, and the request then connects to exactly
 * those (a second DNS answer could point elsewhere).
 */
export async function checkNotifyTarget(url: URL, allow: NotifyAllow): Promise<NotifyTarget> {
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (allow.allowsHost(host)) return { ok: true, lookup: undefined };
  let addresses: Array<{ address: string; family: number }>;
  if (isIP(host) !== 0) {
    addresses = [{ address: host, family: isIP(host) }];
  } else {
    try {
      addresses = await dnsLookup(host, { all: true });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? 'ERROR';
      return { ok: false, unresolved: `connection failed (${code}: cannot resolve ${host})` };
    }
  }
  for (const { address } of addresses) {
    const why = allow.refusal(address);
    if (why !== undefined) return { ok: false, refused: `notify_url host ${host} refused: ${why}` };
  }
  return { ok: true, lookup: isIP(host) !== 0 ? undefined : pinned(addresses) };
}
