import { badInput } from '../../lib/errors';

/**
 * Text encodings an upload may declare. ISO-8859-1 is Latin-1: every byte is one character
 * (MovieLens `u.item` is written in it).
 */
export const TEXT_ENCODINGS = ['UTF-8', 'ISO-8859-1'] as const;
export type TextEncoding = (typeof TEXT_ENCODINGS)[number];

/** Decoded text and the encoding it was read with. */
export interface Decoded {
  text: string;
  encoding: TextEncoding;
}

/**
 * Decodes CSV bytes in the declared encoding; undeclared: UTF-8 when valid, otherwise Latin-1
 * (ISO-8859-1), which every byte sequence is.
 * @param declared the upload's `encoding`. (Default: detected as above)
 * @throws AppError BAD_USER_INPUT for a NUL byte (binary or UTF-16 files), naming the line; for
 *   bytes that are not valid UTF-8 when UTF-8 is declared, naming the line and byte offset.
 */
export function decodeBytes(bytes: Uint8Array, declared?: TextEncoding | null): Decoded {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const nul = buffer.indexOf(0);
  if (nul >= 0) {
    const line = buffer.subarray(0, nul).toString('latin1').split('\n').length;
    throw badInput(`The CSV contains a NUL byte on line ${line}: it is binary or UTF-16, not a UTF-8 or Latin-1 text file`);
  }
  if (declared === 'ISO-8859-1') return { text: buffer.toString('latin1'), encoding: 'ISO-8859-1' };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(buffer), encoding: 'UTF-8' };
  } catch {
    if (declared === 'UTF-8') {
      const offset = firstInvalidUtf8(buffer);
      const line = buffer.subarray(0, offset).toString('latin1').split('\n').length;
      throw badInput(`encoding 'UTF-8' was declared, but the file is not valid UTF-8 (line ${line}, byte ${offset}); declare 'ISO-8859-1' or leave encoding out to detect it`, { line, byte: offset });
    }
    return { text: buffer.toString('latin1'), encoding: 'ISO-8859-1' };
  }
}

/** Decodes CSV bytes (see decodeBytes) and returns only the text. */
export function decodeText(bytes: Uint8Array, declared?: TextEncoding | null): string {
  return decodeBytes(bytes, declared).text;
}

/** Offset of the first byte that starts an invalid UTF-8 sequence (a structural scan: good enough to point at the line). */
function firstInvalidUtf8(buffer: Buffer): number {
  let i = 0;
  while (i < buffer.length) {
    const b = buffer[i];
    const n = b < 0x80 ? 1 : b >= 0xc2 && b < 0xe0 ? 2 : b >= 0xe0 && b < 0xf0 ? 3 : b >= 0xf0 && b < 0xf5 ? 4 : 0;
    if (n === 0 || i + n > buffer.length) return i;
    for (let k = 1; k < n; k++) if ((buffer[i + k] & 0xc0) !== 0x80) return i;
    i += n;
  }
  return i;
}
