/**
 * The typed clients (issue 13): src/client/generated/graphql.ts and web/console/generated/graphql.ts
 * are what `npm run codegen` writes now from schema.graphql and the .graphql operation files, so a
 * schema change that breaks an operation, or an operation edited without regenerating, fails here
 * (as it does in `npm run typecheck`).
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

const ROOT = path.resolve(__dirname, '..', '..');

it('the generated GraphQL clients are up to date', async () => {
  const run = promisify(execFile)(process.execPath, [path.join(ROOT, 'scripts', 'codegen.mjs'), '--check'], { cwd: ROOT });
  await expect(run).resolves.toMatchObject({ stderr: '' });
}, 60_000);
