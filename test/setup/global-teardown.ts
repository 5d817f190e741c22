import fs from 'node:fs';
import pg from 'pg';
import { MAX_WORKERS } from './global-setup';

export default async function globalTeardown(): Promise<void> {
  const base = process.env.TEST_DATABASE_BASE_URL;
  if (base) {
    const admin = new pg.Client({ connectionString: base });
    await admin.connect();
    for (let w = 1; w <= MAX_WORKERS; w++) {
      await admin.query(`DROP DATABASE IF EXISTS ${process.env.TEST_DATABASE_PREFIX}${w} WITH (FORCE)`).catch(() => undefined);
    }
    await admin.end();
  }
  const embedded = (globalThis as Record<string, unknown>).__embeddedPg as { stop(): Promise<void>; dir: string } | undefined;
  if (!embedded) return;
  await embedded.stop();
  fs.rmSync(embedded.dir, { recursive: true, force: true });
}
