/**
 * The worker process (src/worker.ts) loads no API code: not Apollo, GraphQL or type-graphql, not
 * src/graphql/ and no resolver or GraphQL type. Its module graph is built in a fresh Node process
 * (TypeScript compiled on require, as src/lib/threads/ts-worker.cjs does) and read from
 * require.cache; importing src/worker.ts does not start it.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';

const ROOT = path.join(__dirname, '..');

/** Absolute paths of every module loaded by requiring `entry` (relative to the repo root). */
function moduleGraph(entry: string): string[] {
  const script = `
    const { addHook } = require('pirates');
    const { transformSync } = require('@swc/core');
    addHook((code, filename) => transformSync(code, {
      filename, module: { type: 'commonjs' },
      jsc: { target: 'es2022', parser: { syntax: 'typescript', decorators: true }, transform: { legacyDecorator: true, decoratorMetadata: true } },
    }).code, { exts: ['.ts'] });
    require(${JSON.stringify(path.join(ROOT, entry))});
    process.stdout.write(JSON.stringify(Object.keys(require.cache)));
    process.exit(0);`;
  const out = execFileSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, env: { ...process.env, LOG_LEVEL: 'silent' } });
  return JSON.parse(out) as string[];
}

const pkg = (name: string) => `${path.sep}node_modules${path.sep}${name}${path.sep}`;

describe('worker module graph', () => {
  let loaded: string[];
  beforeAll(() => {
    loaded = moduleGraph('src/worker.ts');
  }, 120_000);

  it('loads the worker itself (the check sees the real graph)', () => {
    expect(loaded).toContain(path.join(ROOT, 'src', 'jobs', 'training-run.job.ts'));
    expect(loaded).toContain(path.join(ROOT, 'src', 'modules', 'registry', 'publish-version.ts'));
  });

  it.each(['@apollo/server', 'type-graphql', 'graphql', 'graphql-ws', '@as-integrations/express5'])('never loads %s', (name) => {
    expect(loaded.filter((f) => f.includes(pkg(name)))).toEqual([]);
  });

  it('never loads src/graphql/, resolvers, GraphQL types or inputs, or the API composition', () => {
    const src = path.join(ROOT, 'src') + path.sep;
    const api = loaded
      .filter((f) => f.startsWith(src))
      .map((f) => path.relative(ROOT, f))
      .filter((f) => f.startsWith(path.join('src', 'graphql')) || /\.(resolver|type|input|scalar)\.ts$/.test(f) || /(^|\/)(app|services)\.ts$/.test(f));
    expect(api).toEqual([]);
  });
});
