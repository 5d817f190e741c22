/**
 * LISTEN on one PostgreSQL channel over a dedicated connection (a pooled one would be handed to
 * other queries and miss notifications), reconnecting after it drops. Used by the pub/sub
 * (src/lib/pubsub.ts) and the job queue's wake-ups (src/lib/queue.ts).
 */
import pg from 'pg';
import type { Logger } from './logger';

/** A channel being listened to. */
export interface Listening {
  /** Stops listening and closes the connection. */
  close(): Promise<void>;
}

/** Ms before a dropped listener connects again. */
const RECONNECT_MS = 500;

/**
 * Connects, runs `LISTEN channel` and passes every notification's payload to `onPayload`.
 * @param channel a plain identifier (it is not quoted).
 * @param onReconnect called after a dropped connection listens again: notifications sent while it
 *   was down are lost, so the caller catches up (Default: nothing).
 * @throws what connecting throws, the first time only (later failures are logged and retried).
 */
export async function listen(databaseUrl: string, channel: string, log: Logger, onPayload: (payload: string) => void, onReconnect?: () => void): Promise<Listening> {
  let closed = false;
  let client: pg.Client | undefined;
  const connect = async (again: boolean): Promise<void> => {
    const c = new pg.Client({ connectionString: databaseUrl });
    c.on('notification', (msg) => {
      if (msg.channel === channel && msg.payload) onPayload(msg.payload);
    });
    c.on('error', (err) => {
      if (closed) return;
      log.warn({ err: err.message, channel }, 'listener lost its connection; reconnecting');
      c.end().catch(() => undefined);
      setTimeout(() => {
        if (!closed) connect(true).catch((e: Error) => log.error({ err: e.message, channel }, 'listener reconnect failed'));
      }, RECONNECT_MS);
    });
    await c.connect();
    await c.query(`LISTEN ${channel}`);
    client = c;
    if (again) onReconnect?.();
  };
  await connect(false);
  return {
    async close() {
      closed = true;
      await client?.end().catch(() => undefined);
    },
  };
}
