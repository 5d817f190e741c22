/**
 * API key format: `mk_<prefix>_<secret>`: prefix 8 hex chars (public, indexed, shown in listings),
 * secret 32 random bytes base64url. Only SHA-256(key) is stored: with 256 bits of entropy a slow
 * hash adds nothing (OWASP: fast hashes are fine for high-entropy secrets).
 */
import crypto from 'node:crypto';

export interface NewApiKey {
  /** The whole key: returned once to the caller, never stored. */
  key: string;
  prefix: string;
  hash: string;
}

export const hashKey = (key: string) => crypto.createHash('sha256').update(key).digest('hex');

export function generateApiKey(): NewApiKey {
  const prefix = crypto.randomBytes(4).toString('hex');
  const key = `mk_${prefix}_${crypto.randomBytes(32).toString('base64url')}`;
  return { key, prefix, hash: hashKey(key) };
}

/** Splits a presented key; undefined when it is not of our format. */
export function parseApiKey(key: string): { prefix: string } | undefined {
  const m = /^mk_([0-9a-f]{8})_[A-Za-z0-9_-]{43}$/.exec(key);
  return m ? { prefix: m[1] } : undefined;
}

/** Constant-time comparison of two hex digests. */
export function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}
