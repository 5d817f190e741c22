/**
 * The key a client address is counted under by the per-address limits (failed-credential and
 * admin-guess throttles, the anonymous in-flight cap, unauthenticated websockets and their message
 * rate). An IPv4 address is its own key. An IPv6 address counts under its /64 prefix: that is the
 * smallest block one subscriber is given (RFC 6177; a home or cloud host holds 2^64 addresses and
 * can change its source address per connection), so keying by the full address let one client
 * spread its attempts over as many counters as it liked. An IPv4-mapped IPv6 address
 * (`::ffff:192.0.2.1`, how a dual-stack socket reports an IPv4 client) is the IPv4 address.
 * A string that is not an address (`unknown`, a test's placeholder) is its own key; no address at
 * all (a connection its client reset before it was read: see client-address.ts) is `unknown`.
 */
import ipaddr from 'ipaddr.js';
import { UNKNOWN_ADDRESS } from './client-address';

/**
 * @param address a client address as Node or proxy-addr reports it (`192.0.2.1`, `2001:db8::1`,
 *   `::ffff:192.0.2.1`, `fe80::1%eth0`), or undefined.
 * @returns `192.0.2.1`, `2001:db8:0:0::/64`, or `address` itself when it does not parse.
 */
export function addressKey(address: string | undefined): string {
  if (address === undefined) return UNKNOWN_ADDRESS;
  if (!address.includes(':')) return address; // IPv4 (or not an address): the common case, no parse
  let parsed: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    parsed = ipaddr.process(address.split('%', 1)[0]!); // a zone index names the interface, not the client
  } catch {
    return address;
  }
  if (parsed.kind() === 'ipv4') return parsed.toString();
  const parts = (parsed as ipaddr.IPv6).parts;
  return `${parts
    .slice(0, 4)
    .map((p) => p.toString(16))
    .join(':')}::/64`;
}
