// The "is this bundle up to date?" check shared by scripts/build-explorer.mjs and
// scripts/build-console.mjs: a SHA-256 over the build script, the lock file and every source file,
// kept in <out>/.stamp.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

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
