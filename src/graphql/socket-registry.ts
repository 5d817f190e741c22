/**
 * Open websockets by client address until they authenticate (at most
 * WS_MAX_UNAUTHENTICATED_PER_ADDRESS: a client cannot hold many sockets that never send
 * connection_init, or never a valid credential), then by tenant (WS_MAX_SOCKETS_PER_TENANT) and
 * by the API key they authenticated with, so a revoked key's subscriptions end at
 * once (the revocation arrives by pub/sub from whichever process revoked it) and an expiring
 * credential's socket closes when the server stops accepting it over HTTP too: an API key at its
 * expiry, a JWT at `exp` + JWT_CLOCK_SKEW_SECONDS (Actor.acceptedUntil). Both close with 4401
 * ("Credential expired" / "API key revoked"); the client reconnects with a fresh credential.
 */
import { addressKey } from '../lib/address-key';
import type { WebSocket } from 'ws';

/** graphql-ws close codes: 4401 Unauthorized, 4403 Forbidden. */
const CLOSE_UNAUTHORIZED = 4401;
/** graphql-ws' "too many" close code (its clients do not retry it). */
export const CLOSE_TOO_MANY = 4429;
/** graphql-ws' close code for a message it cannot read; also used for a message nested too deep to parse. */
export const CLOSE_INVALID_MESSAGE = 4400;

/** How long a tenant's summed unread bytes are reused, ms: the per-tenant cap may be passed by what the server sends meanwhile. */
export const BUFFERED_SUM_MS = 5;

export class SocketRegistry {
  private readonly byKey = new Map<string, Set<WebSocket>>();
  private readonly perTenant = new Map<string, Set<WebSocket>>();
  private readonly tenants = new WeakMap<WebSocket, string>();
  /** Each tenant's last {@link bufferedOf} sum and when it was taken (performance.now(), ms). */
  private readonly buffered = new Map<string, { at: number; bytes: number }>();
  /** Sockets without an accepted credential, by client address; and each such socket's address. */
  private readonly perAddress = new Map<string, number>();
  private readonly unauthenticated = new Map<WebSocket, string>();

  /** Open sockets from `address` that have not authenticated, on this process. */
  unauthenticatedFrom(address: string): number {
    return this.perAddress.get(address) ?? 0;
  }

  /**
   * Counts a socket just opened (before connection_init) against its client address until it
   * authenticates ({@link authenticated}) or closes (an IPv6 address counts under its /64: {@link addressKey}).
   * @returns false, counting nothing, when `address` already holds `limit` such sockets: the caller closes it.
   */
  admit(clientAddress: string, socket: WebSocket, limit: number): boolean {
    const address = addressKey(clientAddress);
    const held = this.unauthenticatedFrom(address);
    if (held >= limit) return false;
    this.perAddress.set(address, held + 1);
    this.unauthenticated.set(socket, address);
    socket.once('close', () => this.release(socket));
    return true;
  }

  /** `socket` authenticated: it no longer counts against its address (its tenant's count applies). */
  authenticated(socket: WebSocket): void {
    this.release(socket);
  }

  private release(socket: WebSocket): void {
    const address = this.unauthenticated.get(socket);
    if (address === undefined) return;
    this.unauthenticated.delete(socket);
    const left = this.unauthenticatedFrom(address) - 1;
    if (left > 0) this.perAddress.set(address, left);
    else this.perAddress.delete(address);
  }

  /** Open sockets of the tenant on this process. */
  countOf(tenantId: string): number {
    return this.perTenant.get(tenantId)?.size ?? 0;
  }

  /**
   * Bytes the tenant's open sockets on this process have queued and not yet written to the network
   * (`ws`' bufferedAmount), summed at most every {@link BUFFERED_SUM_MS} ms per tenant: every message
   * sent is checked against it, and summing over 1,000 sockets of one tenant for each of the 1,000
   * messages of one progress event cost a million reads per event.
   */
  bufferedOf(tenantId: string, now = performance.now()): number {
    const known = this.buffered.get(tenantId);
    if (known && now - known.at < BUFFERED_SUM_MS) return known.bytes;
    let bytes = 0;
    for (const socket of this.perTenant.get(tenantId) ?? []) bytes += socket.bufferedAmount;
    this.buffered.set(tenantId, { at: now, bytes });
    return bytes;
  }

  /** The tenant of an authenticated socket (undefined before connection_init is accepted). */
  tenantOf(socket: WebSocket): string | undefined {
    return this.tenants.get(socket);
  }

  /** Tracks `socket` under `apiKeyId`; closes it at `acceptedUntil` (when the credential stops being accepted) if that comes first. */
  add(apiKeyId: string, tenantId: string, socket: WebSocket, acceptedUntil?: Date): void {
    let tenant = this.perTenant.get(tenantId);
    if (!tenant) this.perTenant.set(tenantId, (tenant = new Set()));
    tenant.add(socket);
    this.tenants.set(socket, tenantId);
    let set = this.byKey.get(apiKeyId);
    if (!set) this.byKey.set(apiKeyId, (set = new Set()));
    set.add(socket);
    let timer: NodeJS.Timeout | undefined;
    const schedule = (until: Date) => {
      // setTimeout's limit is 2^31-1 ms (~24.8 days); longer-lived sockets are checked again then.
      const left = until.getTime() - Date.now();
      const ms = Math.min(Math.max(left, 0), 2 ** 31 - 1);
      timer = setTimeout(() => (until.getTime() > Date.now() ? schedule(until) : socket.close(CLOSE_UNAUTHORIZED, 'Credential expired')), ms);
      timer.unref();
    };
    if (acceptedUntil) schedule(acceptedUntil);
    socket.once('close', () => {
      if (timer) clearTimeout(timer);
      tenant.delete(socket);
      if (tenant.size === 0) {
        this.perTenant.delete(tenantId);
        this.buffered.delete(tenantId);
      }
      set!.delete(socket);
      if (set!.size === 0) this.byKey.delete(apiKeyId);
    });
  }

  /** Closes every socket of a revoked key. @returns how many were closed. */
  revoke(apiKeyId: string): number {
    const set = this.byKey.get(apiKeyId);
    if (!set) return 0;
    for (const socket of set) socket.close(CLOSE_UNAUTHORIZED, 'API key revoked');
    return set.size;
  }
}
