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
