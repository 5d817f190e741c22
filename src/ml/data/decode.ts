import { badInput } from '../../lib/errors';

/**
 * Decodes CSV bytes: UTF-8 when valid, otherwise Latin-1 (ISO-8859-1), which every byte sequence is.
 * @throws AppError BAD_USER_INPUT for a NUL byte (binary or UTF-16 files), naming the line.
 */
export function decodeText(bytes: Uint8Array): string {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const nul = buffer.indexOf(0);
  if (nul >= 0) {
    const line = buffer.subarray(0, nul).toString('latin1').split('\n').length;
    throw badInput(`The CSV contains a NUL byte on line ${line}: it is binary or UTF-16, not a UTF-8 or Latin-1 text file`);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(buffer);
  } catch {
    return buffer.toString('latin1');
  }
}
