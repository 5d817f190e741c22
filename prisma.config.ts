// Prisma CLI configuration. The CLI is only used for `prisma generate` (scripts/prisma-generate.cjs);
// the connection URL comes from DATABASE_URL when one is set.
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://localhost:5432/maas' },
});
