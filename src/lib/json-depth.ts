/**
 * Bracket depth of raw JSON text, before `JSON.parse` sees it: V8's parser takes seconds on a body
 * of millions of nested brackets (10 MB of `[` held the event loop 9 s), so a body nested past any
 * depth the API accepts is refused from its bytes, in one linear pass (≈10 ms for 10 MB).
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_ARRAY = 0x5b;
const OPEN_OBJECT = 0x7b;
const CLOSE_ARRAY = 0x5d;
const CLOSE_OBJECT = 0x7d;

/**
 * The offset of the first bracket past `maxDepth` levels of arrays and objects in `text` (brackets
 * inside strings are not counted), or -1 when there is none. Malformed JSON is left to the parser.
 * @param text the raw body, bytes (UTF-8) or a string.
 */
export function depthExceededAt(text: Uint8Array | string, maxDepth: number): number {
  if (text.length <= maxDepth) return -1; // too short to hold maxDepth + 1 brackets
  const bytes = typeof text === 'string' ? Buffer.from(text) : text;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (inString) {
      if (b === BACKSLASH) i++;
      else if (b === QUOTE) inString = false;
    } else if (b === QUOTE) inString = true;
    else if (b === OPEN_ARRAY || b === OPEN_OBJECT) {
      if (++depth > maxDepth) return i;
    } else if (b === CLOSE_ARRAY || b === CLOSE_OBJECT) depth--;
  }
  return -1;
}

/**
 * Deepest JSON body parsed at all. The API's own limits are lower (JSON scalars 32 levels, V2
 * bodies 64) and answer with their own messages, the same over HTTP and the websocket; this bound
 * only keeps bodies the parser would spend long on from reaching it (2,048 levels parse in µs).
 */
export const MAX_BODY_DEPTH = 2048;

/**
 * An express.json `verify` hook: refuses (400, the body-parser error path) a body nested deeper
 * than {@link MAX_BODY_DEPTH} before it is parsed.
 */
export function refuseDeepJson(_req: unknown, _res: unknown, buf: Buffer): void {
  const at = depthExceededAt(buf, MAX_BODY_DEPTH);
  if (at >= 0) throw Object.assign(new Error(`the JSON body is nested deeper than ${MAX_BODY_DEPTH} levels (at byte ${at})`), { status: 400, type: 'entity.too.deep' });
}

const COLON = 0x3a;
const isSpace = (b: number | undefined) => b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d;

/**
 * The string values of the top-level keys `names` of a JSON object text, read in one linear pass
 * without parsing the rest (for a message too deep to parse: its `id` and `type`). Keys whose
 * value is not a string, and keys inside nested values, are ignored; the first occurrence wins.
 * @returns the values found (decoded; at most 200 characters each, longer ones left out).
 */
export function topLevelStrings(text: Uint8Array | string, names: readonly string[]): Record<string, string> {
  const bytes = typeof text === 'string' ? Buffer.from(text) : text;
  const found: Record<string, string> = {};
  /** The end (index of the closing quote) of the string opening at `start`. */
  const endOf = (start: number) => {
    let i = start + 1;
    while (i < bytes.length && bytes[i] !== QUOTE) i += bytes[i] === BACKSLASH ? 2 : 1;
    return i;
  };
  const decode = (start: number, end: number): string | undefined => {
    if (end - start > 800) return undefined;
    try {
      return JSON.parse(Buffer.from(bytes.subarray(start, end + 1)).toString('utf8')) as string;
    } catch {
      return undefined;
    }
  };
  const skipSpace = (i: number) => {
    while (isSpace(bytes[i])) i++;
    return i;
  };
  let depth = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (b === QUOTE) {
      const end = endOf(i);
      if (depth === 1) {
        const colon = skipSpace(end + 1);
        if (bytes[colon] === COLON) {
          const key = decode(i, end);
          const value = skipSpace(colon + 1);
          if (bytes[value] === QUOTE) {
            const valueEnd = endOf(value);
            const decoded = key !== undefined && names.includes(key) && !(key in found) ? decode(value, valueEnd) : undefined;
            if (decoded !== undefined && decoded.length <= 200) found[key!] = decoded;
            i = valueEnd;
            continue;
          }
          i = colon;
          continue;
        }
      }
      i = end;
    } else if (b === OPEN_ARRAY || b === OPEN_OBJECT) depth++;
    else if (b === CLOSE_ARRAY || b === CLOSE_OBJECT) depth--;
  }
  return found;
}
