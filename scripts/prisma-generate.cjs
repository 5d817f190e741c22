#!/usr/bin/env node
// Generates the Prisma client (src/generated/prisma) after `npm install`.
// The Prisma CLI first tries to download its schema-engine binary, which `generate` does not use;
// on machines without internet that download fails. Pointing PRISMA_SCHEMA_ENGINE_BINARY at any
// existing file skips it (see ../shared/notes/prisma.md). Migrations do not use the CLI at all:
// src/lib/migrate.ts applies the committed SQL.
const { spawnSync } = require('node:child_process');
const path = require('node:path');
const fs = require('node:fs');

const root = path.resolve(__dirname, '..');
const cli = path.join(root, 'node_modules', 'prisma', 'build', 'index.js');
if (!fs.existsSync(cli)) {
  console.log('[prisma-generate] prisma CLI not installed (production install?); skipping');
  process.exit(0);
}
const env = { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: '1', CHECKPOINT_DISABLE: '1' };
if (!env.PRISMA_SCHEMA_ENGINE_BINARY) env.PRISMA_SCHEMA_ENGINE_BINARY = __filename;
const result = spawnSync(process.execPath, [cli, 'generate', '--schema', 'prisma/schema.prisma'], {
  cwd: root,
  env,
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
