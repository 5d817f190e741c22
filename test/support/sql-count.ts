/**
 * Counts the SQL statements an API process sends through its Prisma pool (app.db.pool) while a
 * function runs: every client the pool hands out is watched (pg's 'acquire' event) and each
 * `query` call on it is recorded, BEGIN/COMMIT and RLS settings included.
 */
import pg from 'pg';
import type { App } from '../../src/app';

/** Runs `fn` and returns its result with the statements sent meanwhile (their SQL text). */
export async function withStatements<T>(app: App, fn: () => Promise<T>): Promise<{ result: T; statements: string[] }> {
  const statements: string[] = [];
  const watched = new WeakSet<pg.Client>();
  const onAcquire = (client: pg.PoolClient) => watched.add(client as unknown as pg.Client);
  app.db.pool.on('acquire', onAcquire);
  const original = pg.Client.prototype.query;
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    if (watched.has(this)) {
      const q = args[0] as string | { text?: string };
      statements.push((typeof q === 'string' ? q : (q?.text ?? String(q))).replace(/\s+/g, ' ').slice(0, 160));
    }
    return (original as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof original;
  try {
    return { result: await fn(), statements };
  } finally {
    pg.Client.prototype.query = original;
    app.db.pool.off('acquire', onAcquire);
  }
}
