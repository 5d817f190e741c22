/**
 * A tenant's websocket messages are read at most at its message rate (issue 10, review F1: one
 * tenant's 50 sockets × 100 subscribes arriving within a second held the API's event loop for
 * 1.4–7 s while each message was read, judged, parsed and refused, and every other tenant waited).
 *
 * Each tenant has a token bucket per API process (WS_TENANT_MESSAGES_PER_SECOND, refilled
 * continuously, holding at most WS_TENANT_MESSAGE_BURST); a socket that has not authenticated yet
 * draws on its client address' bucket. A message that finds the bucket empty is not refused and not
 * read yet: it waits on its socket (the frame only, as `ws` delivered it: not judged, parsed or
 * validated), and the waiting messages are read in order as tokens come back, the tenant's waiting
 * sockets taking turns. A slow client sees its messages answered later, never lost or reordered;
 * other tenants' sockets are not touched.
 *
 * While a socket has more than {@link PAUSE_BYTES} waiting it also stops reading (`ws` pause: TCP
 * backpressure, so the sender's further messages wait in its own buffers at no cost to this
 * process). Below that it keeps reading, so its pongs reach graphql-ws' keepalive (a paused socket
 * cannot answer pings, and graphql-ws terminates it after 12–24 s). A socket with more than
 * {@link MAX_QUEUED} messages waiting, or whose message would pass {@link MAX_WAITING_BYTES} waiting
 * on its bucket, is closed with 4429.
 *
 * The check is synchronous and per frame (no promise per message, as rate-limiter-flexible's
 * `consume` would need): it must keep the order of a socket's messages and cost less than the work
 * it saves.
 */
import { addressKey } from '../lib/address-key';
import type { WebSocket } from 'ws';
import { CLOSE_TOO_MANY } from './socket-registry';

/** Most messages one socket may have waiting for tokens; past it the socket is closed (4429). */
export const MAX_QUEUED = 4096;

/** Bytes waiting on one socket past which it stops reading until they are read: 256 KiB. */
export const PAUSE_BYTES = 256 * 1024;

/**
 * Most bytes waiting over all sockets of one bucket (a tenant, or a client address before it
 * authenticates): 16 MiB. A message that would pass it closes its socket (4429). The pause above
 * acts only after a whole frame is queued, and a frame may be MAX_REQUEST_BYTES (10 MiB): review 6
 * held 1.5 GB with one 10 MiB ping queued behind tiny ones on each of 90 unauthenticated sockets.
 */
export const MAX_WAITING_BYTES = 16 * 1024 * 1024;

/** The size of a message as `ws` hands it over (a Buffer, or text). */
const bytesOf = (args: unknown[]) => {
  const data = args[0];
  return typeof data === 'string' ? data.length * 2 : ((data as { byteLength?: number })?.byteLength ?? 0);
};

/** A rate and the bucket it fills. */
export interface MessageRate {
  /** Messages per second, per tenant per API process. */
  perSecond: number;
  /** Most messages taken at once after a quiet spell (the bucket's size). */
  burst: number;
}

/** One tenant's (or one address') bucket, the sockets that draw on it and those waiting on it. */
class Bucket {
  tokens: number;
  updated = performance.now();
  sockets = 0;
  /** Bytes of the messages waiting on this bucket's sockets. */
  bytes = 0;
  readonly waiting: WebSocket[] = [];
  /** The next delivery of waiting messages. */
  timer: NodeJS.Timeout | undefined;
  /** Dropping the bucket once it has no socket and would be full again. */
  retire: NodeJS.Timeout | undefined;

  constructor(private readonly rate: MessageRate) {
    this.tokens = rate.burst;
  }

  /** Brings the tokens up to now. */
  refill(): void {
    const now = performance.now();
    this.tokens = Math.min(this.rate.burst, this.tokens + ((now - this.updated) / 1000) * this.rate.perSecond);
    this.updated = now;
  }

  /** Takes one token when there is one. */
  take(): boolean {
    this.refill();
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** Milliseconds until the next token. */
  msToNext(): number {
    return Math.max(1, Math.ceil(((1 - this.tokens) / this.rate.perSecond) * 1000));
  }

  /** Milliseconds until the bucket is full again. */
  msToFull(): number {
    this.refill();
    return Math.ceil(((this.rate.burst - this.tokens) / this.rate.perSecond) * 1000);
  }
}

/** A socket's bucket, its messages waiting for tokens, and how to hand one over. */
interface SocketState {
  bucket: Bucket;
  key: string;
  queue: unknown[][];
  /** Bytes of the waiting messages. */
  bytes: number;
  /** Whether this socket paused its reading (more than PAUSE_BYTES waiting). */
  paused: boolean;
  deliver: (args: unknown[]) => void;
  closed: boolean;
}

/** Message rates of the websockets of one API process. */
export class WsMessageRate {
  private readonly buckets = new Map<string, Bucket>();
  private readonly sockets = new WeakMap<WebSocket, SocketState>();

  /**
   * @param rate the rate of each tenant (and of each client address before authentication).
   * @param onDelayed called once per message that had to wait (a counter without tenant label).
   */
  constructor(
    private readonly rate: MessageRate,
    private readonly onDelayed: () => void = () => {},
  ) {}

  /**
   * Starts counting `socket` against `key` (its client address, an IPv6 one by its /64, until it authenticates); `deliver`
   * reads a message that waited (the socket's own 'message' handling).
   */
  admit(socket: WebSocket, key: string, deliver: (args: unknown[]) => void): void {
    const address = `address:${addressKey(key)}`;
    this.sockets.set(socket, { bucket: this.join(address), key: address, queue: [], bytes: 0, paused: false, deliver, closed: false });
    socket.once('close', () => this.forget(socket));
  }

  /**
   * `socket` authenticated as a tenant: from now on it draws on the tenant's bucket, messages
   * already waiting included (they wait their turn there).
   */
  assign(socket: WebSocket, tenantId: string): void {
    const state = this.sockets.get(socket);
    if (!state || state.closed) return;
    const waiting = this.unwait(socket, state.bucket);
    state.bucket.bytes -= state.bytes;
    this.leave(state.key, state.bucket);
    state.key = `tenant:${tenantId}`;
    state.bucket = this.join(state.key);
    state.bucket.bytes += state.bytes;
    if (waiting) {
      state.bucket.waiting.push(socket);
      this.schedule(state.bucket);
    }
  }

  /**
   * Offers one received message (`args` of the socket's 'message' event).
   * @returns true when it may be read now; false when it waits (handed to the socket's `deliver`
   *   later, in the socket's order) or is dropped (the socket is closing or closed).
   */
  offer(socket: WebSocket, args: unknown[]): boolean {
    const state = this.sockets.get(socket);
    if (!state) return true;
    if (state.closed) return false;
    if (socket.readyState !== socket.OPEN) {
      this.forget(socket);
      return false;
    }
    const { bucket } = state;
    // Nothing of this socket's waits, no other socket of the bucket waits (no jumping the queue), a token.
    if (state.queue.length === 0 && bucket.waiting.length === 0 && bucket.take()) return true;
    if (state.queue.length >= MAX_QUEUED) {
      this.forget(socket);
      socket.close(CLOSE_TOO_MANY, `Too many websocket messages waiting (limit ${MAX_QUEUED}): sent faster than WS_TENANT_MESSAGES_PER_SECOND`);
      return false;
    }
    const bytes = bytesOf(args);
    if (bucket.bytes + bytes > MAX_WAITING_BYTES) {
      this.forget(socket);
      socket.close(
        CLOSE_TOO_MANY,
        `Too many websocket message bytes waiting for this tenant or address (limit ${MAX_WAITING_BYTES}): sent faster than WS_TENANT_MESSAGES_PER_SECOND`,
      );
      return false;
    }
    this.onDelayed();
    if (state.queue.length === 0) bucket.waiting.push(socket);
    state.queue.push(args);
    state.bytes += bytes;
    bucket.bytes += bytes;
    if (state.bytes > PAUSE_BYTES && !state.paused) {
      state.paused = true;
      socket.pause();
    }
    this.schedule(bucket);
    return false;
  }

  private join(key: string): Bucket {
    let bucket = this.buckets.get(key);
    if (!bucket) this.buckets.set(key, (bucket = new Bucket(this.rate)));
    bucket.sockets += 1;
    if (bucket.retire) clearTimeout(bucket.retire);
    bucket.retire = undefined;
    return bucket;
  }

  /**
   * A socket no longer draws on `bucket`. With its last socket gone the bucket is dropped only once
   * it would be full again, so closing and reopening sockets does not give a fresh burst.
   */
  private leave(key: string, bucket: Bucket): void {
    bucket.sockets -= 1;
    if (bucket.sockets > 0 || bucket.waiting.length > 0 || bucket.retire) return;
    const drop = () => {
      if (bucket.sockets > 0 || bucket.waiting.length > 0) return;
      if (bucket.timer) clearTimeout(bucket.timer);
      if (this.buckets.get(key) === bucket) this.buckets.delete(key);
    };
    const ms = bucket.msToFull();
    if (ms <= 0) return drop();
    bucket.retire = setTimeout(() => {
      bucket.retire = undefined;
      drop();
    }, ms);
    bucket.retire.unref();
  }

  /** Takes `socket` off `bucket`'s waiting list. @returns whether it was on it. */
  private unwait(socket: WebSocket, bucket: Bucket): boolean {
    const i = bucket.waiting.indexOf(socket);
    if (i >= 0) bucket.waiting.splice(i, 1);
    return i >= 0;
  }

  /** Delivers waiting messages as tokens allow, the waiting sockets taking turns. */
  private schedule(bucket: Bucket): void {
    if (bucket.timer) return;
    bucket.timer = setTimeout(() => {
      bucket.timer = undefined;
      try {
        while (bucket.waiting.length > 0) {
          const socket = bucket.waiting[0]!;
          const state = this.sockets.get(socket);
          if (!state || state.closed || socket.readyState !== socket.OPEN) {
            bucket.waiting.shift();
            if (state && !state.closed) this.forget(socket);
            continue;
          }
          if (!bucket.take()) break;
          bucket.waiting.shift();
          const args = state.queue.shift()!;
          const bytes = bytesOf(args);
          state.bytes -= bytes;
          bucket.bytes -= bytes;
          if (state.queue.length > 0) bucket.waiting.push(socket);
          if (state.paused && state.bytes <= PAUSE_BYTES / 2) {
            state.paused = false;
            socket.resume();
          }
          state.deliver(args);
        }
      } finally {
        if (bucket.waiting.length > 0) this.schedule(bucket);
      }
    }, bucket.msToNext());
    bucket.timer.unref();
  }

  /**
   * The socket is closing or closed: its waiting messages are dropped, later frames too (the entry
   * stays, in a WeakMap), and it reads again, so the close handshake is not held behind a pause.
   */
  private forget(socket: WebSocket): void {
    const state = this.sockets.get(socket);
    if (!state || state.closed) return;
    state.closed = true;
    state.queue.length = 0;
    state.bucket.bytes -= state.bytes;
    state.bytes = 0;
    this.unwait(socket, state.bucket);
    socket.resume();
    this.leave(state.key, state.bucket);
  }
}
