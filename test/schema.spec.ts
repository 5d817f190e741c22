/**
 * The checked-in schema.graphql is what the code emits, and every root field is guarded by
 * @Authorized except the explicit public list.
 */
import fs from 'node:fs';
import path from 'node:path';
import { getMetadataStorage } from 'type-graphql';
import { createSchema, printSortedSchema, PUBLIC_FIELDS } from '../src/graphql/schema';

it('schema.graphql is up to date (run `npm run emit-schema` after changing the API)', async () => {
  const emitted = printSortedSchema(await createSchema());
  const checkedIn = fs.readFileSync(path.join(__dirname, '..', 'schema.graphql'), 'utf8');
  expect(checkedIn).toBe(emitted);
});

it('guards every root field except the public list', async () => {
  const schema = await createSchema();
  const storage = getMetadataStorage();
  const guarded = new Set(storage.authorizedFields.map((f) => `${(f.target as Function).name}.${f.fieldName}`));
  const roots = [
    ['Query', storage.queries],
    ['Mutation', storage.mutations],
    ['Subscription', storage.subscriptions],
  ] as const;
  const unguarded: string[] = [];
  for (const [root, handlers] of roots) {
    const type = schema.getType(root) as { getFields(): Record<string, unknown> } | undefined;
    for (const field of Object.keys(type?.getFields() ?? {})) {
      const handler = handlers.find((h) => h.schemaName === field)!;
      const key = `${(handler.target as Function).name}.${handler.methodName}`;
      if (!guarded.has(key)) unguarded.push(`${root}.${field}`);
    }
  }
  expect(unguarded.sort()).toEqual([...PUBLIC_FIELDS].sort());
});
