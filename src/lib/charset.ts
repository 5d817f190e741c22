/**
 * The charset a request's `Content-Type` names, for the readers that decode bodies themselves
 * (src/lib/json-body.ts) and hand anything else to body-parser.
 */

/** Whether the content-type names no charset, or UTF-8 (`charset=utf-8`, `utf8`, quoted or not, any case). */
export function namesUtf8OrNoCharset(contentType: string | undefined): boolean {
  const at = contentType?.toLowerCase().indexOf('charset=') ?? -1;
  if (at < 0) return true;
  const charset = contentType!
    .slice(at + 8)
    .split(';', 1)[0]!
    .trim()
    .replace(/^"|"$/g, '')
    .toLowerCase();
  return charset === 'utf-8' || charset === 'utf8';
}
