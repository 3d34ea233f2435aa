/** True for 127.0.0.0/8 and ::1 (also IPv4-mapped): callers on the sandbox's own machine. */
export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  return address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
}
