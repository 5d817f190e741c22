/** Writes schema.graphql (the emitted SDL) at the repository root: `npm run emit-schema`. */
import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import { createSchema, printSortedSchema } from '../src/graphql/schema';
import { projectRoot } from '../src/lib/paths';

createSchema()
  .then((schema) => {
    const file = path.join(projectRoot(), 'schema.graphql');
    fs.writeFileSync(file, printSortedSchema(schema));
    console.log(`wrote ${file}`);
  })
  .catch((err) => {
    console.error(err);
    process.exit(1);
  });
