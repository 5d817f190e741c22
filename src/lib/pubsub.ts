/**
 * Cross-process publish/subscribe on PostgreSQL LISTEN/NOTIFY: a worker process publishes a
 * training run's progress, and whichever API process holds the subscriber's websocket delivers it.
 *
 * One channel carries every topic; each process listens once and fans out locally by topic.
 * A NOTIFY payload must stay under 8000 bytes (PostgreSQL's limit): events here are small summaries.
 * Events published by one awaited sequence arrive in that order (NOTIFY is delivered in commit order).
 */
import pg from 'pg';
import type { Logger } from './logger';
import { listen } from './pg-listen';

const CHANNEL = 'maas_events';

/**
 * A topic's events from the moment `subscribe` returned, buffered until read (a subscriber that
 * reads history first, then live events, misses nothing in between); `return()` ends it.
 */
export interface Subscription<T> extends AsyncIterableIterator<T> {
  return(): Promise<IteratorResult<T, undefined>>;
}

/**
 * A topic and the type of its payload. Declared once (src/modules/events.ts for domain events),
 * so `publish(topic, payload)` and `subscribe(topic)` are checked against the same type.
 */
export interface Topic<T> {
  /** The name on the wire: unique per topic (and per key, for keyed topics such as a run id). */
  readonly name: string;
  /** Type-only marker carrying the payload type; never set. */
  readonly __payload?: T;
}

/** Declares a topic whose events carry `T`. */
export const topic = <T>(name: string): Topic<T> => ({ name });

/** Cross-process publish/subscribe on typed topics. */
export interface PubSub {
  /**
   * Resolves once the event is committed to the channel. A plain string is an untyped topic
   * (ad-hoc use, tests); code in src/ publishes on declared {@link Topic}s.
   */
  publish<T>(topic: Topic<T>, payload: NoInfer<T>): Promise<void>;
  publish(topic: string, payload: unknown): Promise<void>;
  /** Events of `topic` from now on, until the consumer returns. */
  subscribe<T>(topic: Topic<T>): Subscription<T>;
  subscribe<T = unknown>(topic: string): Subscription<T>;
  /** Stops listening and publishing. */
  close(): Promise<void>;
}

const topicName = (t: Topic<unknown> | string) => (typeof t === 'string' ? t : t.name);

const DONE = { value: undefined, done: true } as const;

/** Registered at construction; values are delivered to waiting readers or buffered in order. */
class TopicSubscription<T> implements Subscription<T> {
  private readonly buffered: T[] = [];
  private readonly readers: ((r: IteratorResult<T, undefined>) => void)[] = [];
  private ended = false;

  constructor(private readonly unregister: () => void) {}

  deliver(value: T): void {
    if (this.ended) return;
    const reader = this.readers.shift();
    if (reader) reader({ value, done: false });
    else this.buffered.push(value);
  }

  next(): Promise<IteratorResult<T, undefined>> {
    if (this.buffered.length > 0) return Promise.resolve({ value: this.buffered.shift()!, done: false });
    if (this.ended) return Promise.resolve(DONE);
    return new Promise((resolve) => this.readers.push(resolve));
  }

  return(): Promise<IteratorResult<T, undefined>> {
    if (!this.ended) {
      this.ended = true;
      this.unregister();
      this.buffered.length = 0;
      for (const reader of this.readers.splice(0)) reader(DONE);
    }
    return Promise.resolve(DONE);
  }

  [Symbol.asyncIterator]() {
    return this;
  }
}

/** Connects a listener and returns the pub/sub. */
export async function createPgPubSub(databaseUrl: string, log: Logger): Promise<PubSub> {
  const publisher = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  publisher.on('error', (err) => log.warn({ err: err.message }, 'pubsub publisher lost a connection'));
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const listener = await listen(databaseUrl, CHANNEL, log, (text) => {
    const { topic, payload } = JSON.parse(text) as { topic: string; payload: unknown };
    for (const fn of listeners.get(topic) ?? []) fn(payload);
  });

  return {
    async publish(to: Topic<unknown> | string, payload: unknown) {
      await publisher.query('SELECT pg_notify($1, $2)', [CHANNEL, JSON.stringify({ topic: topicName(to), payload })]);
    },
    subscribe<T>(from: Topic<T> | string): Subscription<T> {
      const topic = topicName(from as Topic<unknown> | string);
      let set = listeners.get(topic);
      if (!set) listeners.set(topic, (set = new Set()));
      const subscription = new TopicSubscription<T>(() => {
        set.delete(fn);
        if (set.size === 0 && listeners.get(topic) === set) listeners.delete(topic);
      });
      const fn = (payload: unknown) => subscription.deliver(payload as T);
      set.add(fn);
      return subscription;
    },
    async close() {
      await listener.close();
      await publisher.end();
    },
  };
}
