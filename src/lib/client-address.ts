/**
 * The client address of a request, as the per-address limits count it (TRUST_PROXY_HOPS honoured).
 * A connection its client reset before the request was read has no peer address any more
 * (getpeername fails with ENOTCONN, so `socket.remoteAddress` is undefined, and proxy-addr answers
 * undefined): it counts as {@link UNKNOWN_ADDRESS}. Stop CI found the undefined address thrown from
 * the websocket upgrade handler, which took the whole server down
 * (test/security/abrupt-disconnect.spec.ts).
 */
import type { IncomingMessage } from 'node:http';
import proxyaddr from 'proxy-addr';

/** The address of a client whose address is not known (reset connection, no credential context). */
export const UNKNOWN_ADDRESS = 'unknown';

/**
 * @param trust whether the `hop`th address from the right of X-Forwarded-For is a trusted proxy.
 * @returns the client's address, or {@link UNKNOWN_ADDRESS} when its connection has none.
 */
export function clientAddressOf(req: IncomingMessage, trust: (address: string, hop: number) => boolean): string {
  return (proxyaddr(req, trust) as string | undefined) ?? UNKNOWN_ADDRESS;
}
