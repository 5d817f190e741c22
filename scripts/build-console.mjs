// Bundles the web console (web/console/: Preact pages, uPlot charts, graphql-ws, all from
// node_modules) into dist/console/ with esbuild, plus a gzip copy of each script and style sheet
// that src/graphql/console.ts serves to browsers that accept it. Skips the work when
// dist/console/.stamp matches the hash of the sources and the lock file.
// Run by `npm run build` (so `npm start`), the Jest global setup, and by hand: `npm run build:console`.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { browserBundle, finish, gzipCopies, inputsHash, listFiles, runIfMain, upToDate } from './build-stamp.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const source = path.join(root, 'web', 'console');
const out = path.join(root, 'dist', 'console');

/**
 * Builds dist/console/ unless it is up to date.
 * @param {{ force?: boolean, quiet?: boolean }} [options]
 * @returns {Promise<{ built: boolean, dir: string }>}
 */
export async function buildConsole(options = {}) {
  const stamp = inputsHash([fileURLToPath(import.meta.url), path.join(root, 'package-lock.json'), ...listFiles(source)]);
  if (!options.force && upToDate(out, stamp)) return { built: false, dir: out };
  const { build } = await import('esbuild');
  const started = Date.now();
  fs.rmSync(out, { recursive: true, force: true });
  await build({
    ...browserBundle(out),
    entryPoints: { console: path.join(source, 'main.tsx') },
    jsx: 'automatic',
    jsxImportSource: 'preact',
  });
  fs.copyFileSync(path.join(source, 'index.html'), path.join(out, 'index.html'));
  gzipCopies(out);
  return finish('console', root, out, stamp, started, options.quiet);
}

runIfMain(import.meta.url, buildConsole);
