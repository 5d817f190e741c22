// Bundles the offline GraphQL explorer (web/explorer/: GraphiQL, React, Monaco and its three editor
// workers, all from node_modules) into dist/explorer/ with esbuild, so the server can serve it with
// no CDN, with a gzip copy of each script and style sheet (7.2 MB with the workers; 2.2 MB gzipped)
// that src/graphql/explorer.ts serves to browsers that accept it. Skips the work when dist/explorer/.stamp matches the hash of the sources and the lock file.
// Run by `npm run build` (so `npm start`), the Jest global setup, and by hand: `npm run build:explorer`.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { browserBundle, finish, gzipCopies, inputsHash as hashFiles, listFiles, runIfMain, upToDate } from './build-stamp.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const source = path.join(root, 'web', 'explorer');
const out = path.join(root, 'dist', 'explorer');

/** Monaco's workers, by output name (the same three as `@graphiql/react/setup-workers/webpack`). */
const WORKERS = {
  'editor.worker': 'monaco-editor/esm/vs/editor/editor.worker.js',
  'json.worker': 'monaco-editor/esm/vs/language/json/json.worker.js',
  'graphql.worker': 'monaco-graphql/esm/graphql.worker.js',
};

const inputsHash = () => hashFiles([fileURLToPath(import.meta.url), path.join(root, 'package-lock.json'), ...listFiles(source)]);

/**
 * Builds dist/explorer/ unless it is up to date.
 * @param {{ force?: boolean, quiet?: boolean }} [options]
 * @returns {Promise<{ built: boolean, dir: string }>}
 */
export async function buildExplorer(options = {}) {
  const stamp = inputsHash();
  if (!options.force && upToDate(out, stamp)) return { built: false, dir: out };
  const { build } = await import('esbuild');
  const started = Date.now();
  fs.rmSync(out, { recursive: true, force: true });
  const common = {
    ...browserBundle(out),
    // Fonts and images referenced by the CSS are copied beside it, never fetched from elsewhere.
    loader: { '.ttf': 'file', '.woff': 'file', '.woff2': 'file', '.svg': 'file', '.png': 'file' },
  };
  await build({ ...common, entryPoints: { explorer: path.join(source, 'main.ts') } });
  await build({ ...common, entryPoints: Object.fromEntries(Object.entries(WORKERS).map(([name, spec]) => [name, path.join(root, 'node_modules', spec)])) });
  fs.copyFileSync(path.join(source, 'index.html'), path.join(out, 'index.html'));
  gzipCopies(out);
  return finish('explorer', root, out, stamp, started, options.quiet);
}

runIfMain(import.meta.url, buildExplorer);
