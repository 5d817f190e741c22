/** A dataset's content checksum: sha256 (hex) of its stored bytes, as Postgres' `encode(sha256(content), 'hex')`. */
import { createHash } from 'node:crypto';

/** sha256 of `bytes`, 64 lowercase hex digits. */
export function contentChecksum(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
