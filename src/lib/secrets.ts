/**
 * ADMIN_SECRET and JWT_SECRET for development: taken from the environment when set; otherwise
 * generated once into `.data/` (mode 0600) and reused, so a plain `npm start` needs no setup.
 * Production (NODE_ENV=production) requires both in the environment (src/config.ts).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export function devSecret(envValue: string | undefined, dir: string, name: string): { value: string; file?: string } {
  if (envValue) return { value: envValue };
  const file = path.resolve(dir, name);
  if (fs.existsSync(file)) return { value: fs.readFileSync(file, 'utf8').trim(), file };
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const value = crypto.randomBytes(32).toString('base64url');
  fs.writeFileSync(file, value + '\n', { mode: 0o600 });
  return { value, file };
}
