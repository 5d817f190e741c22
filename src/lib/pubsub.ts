/**
 * Cross-process publish/subscribe on PostgreSQL LISTEN/NOTIFY: a worker process publishes a
 * training run's progress, and whichever API process holds the subscriber's websocket delivers it.
 *
 * One channel carries every topic; each process listens once and fans out locally by topic.
 * A NOTIFY payload must stay under 8000 bytes (PostgreSQL's limit): events here are small summaries.
 * Events published by one awaited sequence arrive in that order (NOTIFY is delivered in commit order).
 */
import { Repeater } from '@graphql-yoga/subscription';
import pg from 'pg';
import type { Logger } from './logger';

const CHANNEL = 'maas_events';

export interface PubSub {
  /** Resolves once the event is committed to the channel. */
  publish(topic: string, payload: unknown): Promise<void>;
  /** Events of `topic` from now on, until the consumer returns. */
  subscribe<T>(topic: string): Repeater<T>;
  close(): Promise<void>;
}

/** Connects a listener and returns the pub/sub. */
export async function createPgPubSub(databaseUrl: string, log: Logger): Promise<PubSub> {
  const publisher = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  publisher.on('error', (err) => log.warn({ err: err.message }, 'pubsub publisher lost a connection'));
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  let closed = false;
  let listener: pg.Client;

  const connect = async (): Promise<void> => {
    const client = new pg.Client({ connectionString: databaseUrl });
    client.on('notification', (msg) => {
      if (!msg.payload) return;
      const { topic, payload } = JSON.parse(msg.payload) as { topic: string; payload: unknown };
      for (const fn of listeners.get(topic) ?? []) fn(payload);
    });
    client.on('error', (err) => {
      if (closed) return;
      log.warn({ err: err.message }, 'pubsub listener lost its connection; reconnecting');
      client.end().catch(() => undefined);
      if (!closed) setTimeout(() => connect().catch((e) => log.error({ err: e.message }, 'pubsub reconnect failed')), 500);
    });
    await client.connect();
    await client.query(`LISTEN ${CHANNEL}`);
    listener = client;
  };
  await connect();

  return {
    async publish(topic, payload) {
      await publisher.query('SELECT pg_notify($1, $2)', [CHANNEL, JSON.stringify({ topic, payload })]);
    },
    subscribe<T>(topic: string) {
      return new Repeater<T>(async (push, stop) => {
        const fn = (payload: unknown) => void push(payload as T);
        let set = listeners.get(topic);
        if (!set) listeners.set(topic, (set = new Set()));
        set.add(fn);
        await stop;
        set.delete(fn);
        if (set.size === 0) listeners.delete(topic);
      });
    },
    async close() {
      closed = true;
      await listener?.end().catch(() => undefined);
      await publisher.end();
    },
  };
}
