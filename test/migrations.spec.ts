/**
 * The committed SQL migrations and prisma/schema.prisma describe the same tables and columns
 * (the migrations are hand-written for machines without Prisma's schema engine).
 */
import pg from 'pg';
import { Prisma } from '../src/generated/prisma/client';
import { migrate } from '../src/lib/migrate';
import { workerDatabaseUrl } from './support/database';

it('creates every model and scalar field of schema.prisma, and applying again is a no-op', async () => {
  const url = workerDatabaseUrl();
  await migrate(url);
  expect((await migrate(url)).applied).toEqual([]);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ table_name: string; column_name: string }>(
      `SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public'`,
    );
    const actual = new Map<string, Set<string>>();
    for (const r of rows) {
      if (!actual.has(r.table_name)) actual.set(r.table_name, new Set());
      actual.get(r.table_name)!.add(r.column_name);
    }
    for (const model of Object.values(Prisma.ModelName)) {
      const fields = Object.values((Prisma as unknown as Record<string, Record<string, string>>)[`${model}ScalarFieldEnum`]);
      expect([model, [...(actual.get(model) ?? [])].sort()]).toEqual([model, [...fields].sort()]);
    }
    const tables = [...actual.keys()].filter((t) => t !== '_prisma_migrations').sort();
    expect(tables).toEqual([...Object.values(Prisma.ModelName)].sort());
  } finally {
    await client.end();
  }
});
