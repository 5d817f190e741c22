// What scripts/build-explorer.mjs and scripts/build-console.mjs share: the "is this bundle up to
// date?" check (a SHA-256 over the build script, the lock file and every source file, kept in
// <out>/.stamp), the gzip copies the server sends, the end of a build, and running a build script
// from the command line.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';

/** Every file under `dir` (recursively), sorted. */
export function listFiles(dir) {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((e) => (e.isDirectory() ? listFiles(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

/** SHA-256 (hex) of the names and contents of `files`. */
export function inputsHash(files) {
  const hash = crypto.createHash('sha256');
  for (const file of files) hash.update(file).update(fs.readFileSync(file));
  return hash.digest('hex');
}

/** True when `<out>/.stamp` holds `stamp` (the bundle need not be rebuilt). */
export const upToDate = (out, stamp) => fs.existsSync(path.join(out, '.stamp')) && fs.readFileSync(path.join(out, '.stamp'), 'utf8') === stamp;

/**
 * Writes `<file>.gz` (level 9) beside every .js and .css file in `out`, for the server's `gzipped`
 * middleware (src/graphql/console.ts) to send to browsers that accept gzip.
 */
export function gzipCopies(out) {
  for (const file of fs.readdirSync(out).filter((f) => /\.(js|css)$/.test(f))) {
    fs.writeFileSync(path.join(out, `${file}.gz`), zlib.gzipSync(fs.readFileSync(path.join(out, file)), { level: 9 }));
  }
}

/**
 * Finishes a build: writes the stamp, logs `<what> built into <out> in N s` unless quiet.
 * @returns {{ built: true, dir: string }}
 */
export function finish(what, root, out, stamp, started, quiet) {
  fs.writeFileSync(path.join(out, '.stamp'), stamp);
  if (!quiet) console.log(`${what} built into ${path.relative(root, out)} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return { built: true, dir: out };
}

/** Runs `build({ force })` when the module at `moduleUrl` is the script node was started with (`--force` rebuilds). */
export function runIfMain(moduleUrl, build) {
  if (!process.argv[1] || path.resolve(process.argv[1]) !== fileURLToPath(moduleUrl)) return;
  build({ force: process.argv.includes('--force') }).catch((err) => {
    console.error(err);
    process.exit(1);
  });
}

/** esbuild options both browser bundles use: one minified ES2020 script (and style sheet) per entry in `out`. */
export const browserBundle = (out) => ({
  bundle: true,
  minify: true,
  format: 'iife',
  target: 'es2020',
  outdir: out,
  logLevel: 'warning',
  legalComments: 'linked',
  define: { 'process.env.NODE_ENV': '"production"' },
});
