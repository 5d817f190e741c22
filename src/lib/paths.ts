import fs from 'node:fs';
import path from 'node:path';

/** The project root (the folder holding package.json), from src/ or from dist/src/. */
export function projectRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json')) || path.basename(dir) === 'dist') {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('package.json not found above ' + __dirname);
    dir = parent;
  }
  return dir;
}

/**
 * The folder of shared public data sets that are read from a path, never committed (MovieLens's
 * licence forbids redistribution; MNIST's is not verified): `MAAS_DATA_DIR` when set, otherwise
 * `../shared/data` beside the checkout. Returns null when neither exists.
 */
export function sharedDataDir(): string | null {
  const candidates = [process.env.MAAS_DATA_DIR, path.join(projectRoot(), '..', 'shared', 'data')];
  for (const dir of candidates) if (dir && fs.existsSync(dir)) return path.resolve(dir);
  return null;
}

/**
 * A file under {@link sharedDataDir}, e.g. `sharedDataFile('movielens-100k', 'u.data')`.
 * @throws Error naming MAAS_DATA_DIR when the folder or the file is not there.
 */
export function sharedDataFile(...parts: string[]): string {
  const dir = sharedDataDir();
  const file = dir && path.join(dir, ...parts);
  if (!file || !fs.existsSync(file)) {
    throw new Error(`${path.join(...parts)} not found: set MAAS_DATA_DIR to the folder holding the shared data sets (tried ${dir ?? '../shared/data'})`);
  }
  return file;
}
