/**
 * GraphiQL keeps tabs and history in localStorage, history entries with the headers they ran with,
 * which would leave the API key at rest in the browser. This storage writes to localStorage with
 * every string `headers` property of a JSON value set to null, so tabs and history survive a reload
 * and the key lives only in the open page.
 */
import type { Storage } from '@graphiql/toolkit';

/** Returns `value` (JSON or not) with each string-valued `headers` property, at any depth, set to null. */
export function withoutHeaders(value: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return value;
  }
  if (typeof parsed !== 'object' || parsed === null) return value;
  const scrub = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(scrub);
    if (typeof node !== 'object' || node === null) return node;
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, k === 'headers' && typeof v === 'string' ? null : scrub(v)]));
  };
  return JSON.stringify(scrub(parsed));
}

/** `target` (default localStorage) seen through {@link withoutHeaders} on every write. */
export function headerFreeStorage(target: globalThis.Storage = localStorage): Storage {
  return {
    getItem: (key) => target.getItem(key),
    setItem: (key, value) => target.setItem(key, withoutHeaders(value)),
    removeItem: (key) => target.removeItem(key),
    clear: () => target.clear(),
    get length() {
      return target.length;
    },
  };
}
