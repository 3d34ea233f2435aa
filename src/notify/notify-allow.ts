import { BlockList, isIP } from 'node:net';

/** Where notifications may go when --notify-allow is not set: this machine and private networks. */
export const DEFAULT_NOTIFY_ALLOW = 'loopback,private';

/** The kinds of address a --notify-allow keyword names; `special` is never public nor private. */
type AddressKind = 'loopback' | 'private' | 'special' | 'public';

const KEYWORDS = new Set(['loopback', 'private', 'public', 'any']);

function subnets(list: ReadonlyArray<[string, number]>): BlockList {
  const blocks = new BlockList();
  for (const [net, prefix] of list) blocks.addSubnet(net, prefix, isIP(net) === 6 ? 'ipv6' : 'ipv4');
  return blocks;
}

const LOOPBACK = subnets([
  ['127.0.0.0', 8],
  ['::1', 128],
]);
const PRIVATE = subnets([
  ['10.0.0.0', 8],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['fc00::', 7], // unique local
]);
// Link-local (cloud metadata services live at 169.254.169.254), unspecified, multicast and reserved.
const SPECIAL = subnets([
  ['0.0.0.0', 8],
  ['169.254.0.0', 16],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
  ['::', 128],
  ['fe80::', 10],
  ['ff00::', 8],
]);

function familyOf(address: string): 'ipv4' | 'ipv6' {
  return isIP(address) === 6 ? 'ipv6' : 'ipv4';
}

function kindOf(address: string): AddressKind {
  const family = familyOf(address);
  if (LOOPBACK.check(address, family)) return 'loopback';
  if (PRIVATE.check(address, family)) return 'private';
  if (SPECIAL.check(address, family)) return 'special';
  return 'public';
}

/** The parsed --notify-allow list: which notify_url hosts and addresses a notification may go to. */
export interface NotifyAllow {
  /** The setting as written, for messages. */
  readonly text: string;
  /** True when the URL's host name itself is listed (then any address it resolves to is allowed). */
  allowsHost(hostname: string): boolean;
  /** Why a notification may not go to this address, or undefined when it may. */
  refusal(address: string): string | undefined;
}

/** Splits the setting into entries, or throws with the entry that is neither keyword, address, CIDR nor host. */
function parseEntries(text: string): { keywords: Set<string>; cidrs: BlockList; hosts: string[] } {
  const keywords = new Set<string>();
  const cidrs = new BlockList();
  const hosts: string[] = [];
  for (const entry of text
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean)) {
    if (KEYWORDS.has(entry)) {
      keywords.add(entry);
      continue;
    }
    const [net = '', prefixText, extra] = entry.replace(/^\[|\](?=\/|$)/g, '').split('/');
    const family = isIP(net);
    const max = family === 6 ? 128 : 32;
    const prefix = prefixText === undefined ? max : Number(prefixText);
    if (family !== 0 && extra === undefined && /^\d+$/.test(String(prefix)) && prefix <= max) {
      cidrs.addSubnet(net, prefix, family === 6 ? 'ipv6' : 'ipv4');
      continue;
    }
    if (
      prefixText === undefined &&
      /^(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/.test(entry)
    ) {
      hosts.push(entry);
      continue;
    }
    throw new Error(
      `"${entry}" is none of loopback, private, public, any, an IP address, a CIDR (10.0.0.0/8) or a host name (*.example.com)`,
    );
  }
  if (keywords.size + hosts.length === 0 && cidrs.rules.length === 0) {
    throw new Error(
      'the list is empty: name at least one of loopback, private, public, any, an address or a host',
    );
  }
  return { keywords, cidrs, hosts };
}

/** Checks a --notify-allow setting; throws with the reason when it is malformed. */
export function parseNotifyAllow(text: string): NotifyAllow {
  const { keywords, cidrs, hosts } = parseEntries(text);
  const normalized = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .join(',');
  return {
    text: normalized,
    allowsHost(hostname) {
      const name = hostname.toLowerCase().replace(/\.$/, '');
      return hosts.some((h) => (h.startsWith('*.') ? name.endsWith(h.slice(1)) : name === h));
    },
    refusal(address) {
      if (keywords.has('any') || cidrs.check(address, familyOf(address))) return undefined;
      const kind = kindOf(address);
      if (keywords.has(kind)) return undefined;
      const what = kind === 'special' ? 'a link-local, multicast or reserved' : `a ${kind}`;
      return `${address} is ${what} address, which --notify-allow (ALIPAY_MOCK_NOTIFY_ALLOW) "${normalized}" does not allow`;
    },
  };
}
