/**
 * The answer threads' body parse (src/lib/threads/json-tasks.ts `parseJsonBody`, run here on the
 * test thread): JSON.parse after the raw-bytes depth check; every array of PACKED_FROM numbers or
 * more goes back as a Float64Array at its path, moved, and `unpackNumberArrays` makes the value
 * JSON.parse made again; a body too deep or not JSON goes back as its bytes.
 */
import { valueSymbol } from 'piscina';
import { MAX_BODY_DEPTH } from '../../src/lib/json-depth';
import { PACKED_FROM, parseJsonBody, unpackNumberArrays, type JsonPath } from '../../src/lib/threads/json-tasks';

type Parsed = { value: unknown; paths: JsonPath[]; arrays: Float64Array[] } | { bytes: Uint8Array };
/** The task's outcome (its transferable wrapper opened, as the pool does). */
const parse = (text: string) => {
  const r = parseJsonBody({ bytes: new Uint8Array(Buffer.from(text)) }) as unknown as Record<symbol, unknown>;
  return ((r[valueSymbol] ?? r) as { ok: true; value: Parsed }).value;
};
const long = (n: number, f = (i: number) => i / 4) => Array.from({ length: n }, (_, i) => f(i));

it('packs each array of PACKED_FROM numbers or more, at any depth, and leaves shorter or mixed arrays and __proto__ as they are', () => {
  const source = {
    inputs: [
      { name: 'x', data: long(PACKED_FROM, (i) => (i === 1 ? 123456789 : i)) },
      { name: 'y', data: long(PACKED_FROM - 1) },
    ],
    rows: [long(PACKED_FROM + 5), [...long(PACKED_FROM), 'x']],
    nested: { deeper: { values: long(2 * PACKED_FROM) } },
  };
  // -0 written as JSON writes it nowhere (JSON.stringify drops the sign), so put in by hand.
  const text = JSON.stringify(source)
    .replace(',123456789,', ',-0,')
    .replace('"nested"', '"__proto__":[' + long(PACKED_FROM).join(',') + '],"nested"');
  const out = parse(text) as Extract<Parsed, { value: unknown }>;
  expect(out.paths).toEqual(
    expect.arrayContaining([
      ['inputs', 0, 'data'],
      ['rows', 0],
      ['nested', 'deeper', 'values'],
    ]),
  );
  expect(out.paths).toHaveLength(3);
  expect(out.arrays.every((a) => a instanceof Float64Array)).toBe(true);
  const v = out.value as any;
  expect([v.inputs[0].data instanceof Float64Array, Array.isArray(v.inputs[1].data), Array.isArray(v.rows[1]), Array.isArray(v.__proto__)]).toEqual([true, true, true, true]);
  const back = unpackNumberArrays(out.value, out.paths);
  expect(back).toEqual(JSON.parse(text));
  expect(Object.is((back as any).inputs[0].data[1], -0)).toBe(true);
  expect(JSON.stringify(back)).toBe(JSON.stringify(JSON.parse(text)));
});

it('packs a root array of numbers (Infinity from 1e400 kept) and gives back an array', () => {
  const text = '[' + long(PACKED_FROM).join(',') + ',1e400]';
  const out = parse(text) as Extract<Parsed, { value: unknown }>;
  expect(out.paths).toEqual([[]]);
  const back = unpackNumberArrays(out.value, out.paths) as number[];
  expect([Array.isArray(back), back.length, back.at(-1)]).toEqual([true, PACKED_FROM + 1, Infinity]);
  expect(back).toEqual(JSON.parse(text));
});

it('hands back the bytes of a body nested past MAX_BODY_DEPTH or not JSON', () => {
  for (const text of ['['.repeat(MAX_BODY_DEPTH + 1) + ']'.repeat(MAX_BODY_DEPTH + 1), '{"inputs": [1, 2', '{"a":1}x']) {
    const out = parse(text) as Extract<Parsed, { bytes: Uint8Array }>;
    expect(Buffer.from(out.bytes).toString()).toBe(text);
  }
});
