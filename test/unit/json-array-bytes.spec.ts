/**
 * Large numeric outputs encoded as JSON bytes off the event loop (src/lib/json-array-bytes.ts, the
 * answer threads of src/modules/serving/answer-encoder.ts): the bytes are exactly JSON.stringify's
 * of the plain values (float32 widened to doubles, as answers were written before), a non-finite
 * value is found with its index instead of encoded, and the writers send the bytes as they are.
 */
import type { ServerResponse } from 'node:http';
import { valueSymbol } from 'piscina';
import { EncodedJsonArray, jsonArrayBytes } from '../../src/lib/json-array-bytes';
import { encodeJsonArray } from '../../src/lib/threads/json-tasks';
import { BYTES_PER_TURN, DeferredArrays, writeJsonArray } from '../../src/lib/json-stream';

const text = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');

/** Values over many magnitudes and signs, exponents and integers among them. */
function awkward(n: number): number[] {
  return Array.from({ length: n }, (_, i) => {
    const k = i % 7;
    if (k === 0) return i;
    if (k === 1) return -i / 3;
    if (k === 2) return Math.sin(i) * 1e-9;
    if (k === 3) return Math.cos(i) * 1e21;
    if (k === 4) return 0.1 * i;
    if (k === 5) return -0;
    return Math.PI * i;
  });
}

it.each([
  ['Float32Array', Float32Array],
  ['Float64Array', Float64Array],
  ['Int32Array', Int32Array],
] as const)('encodes a %s over several pieces as JSON.stringify of its plain values', (_name, Typed) => {
  const values = Typed.from(awkward(40_000));
  const out = jsonArrayBytes(values);
  expect('json' in out && text(out.json)).toBe(JSON.stringify(Array.from(values)));
  // Its own ArrayBuffer: movable to another thread without detaching anything else.
  expect('json' in out && out.json.byteLength === out.json.buffer.byteLength).toBe(true);
});

it('encodes empty and one-element arrays', () => {
  expect(text((jsonArrayBytes(new Float32Array(0)) as { json: Uint8Array }).json)).toBe('[]');
  expect(text((jsonArrayBytes(Float32Array.of(0.1)) as { json: Uint8Array }).json)).toBe('[0.10000000149011612]');
});

it.each([
  [NaN, 'NaN'],
  [Infinity, 'Infinity'],
  [-Infinity, '-Infinity'],
])('finds %s with its index instead of encoding', (bad, shown) => {
  const values = new Float32Array(30_000).fill(0.5);
  values[20_001] = bad;
  values[25_000] = NaN;
  expect(jsonArrayBytes(values)).toEqual({ nonFinite: { index: 20_001, value: shown } });
});

it('the thread task hands back the values with the bytes (both moved), or where the first non-finite value sits', () => {
  // runTask wraps a result whose buffers move in piscina's Transferable (the result under valueSymbol).
  const unwrap = (r: unknown) => (r as Record<symbol, unknown>)[valueSymbol] ?? r;
  const values = Float32Array.from(awkward(20_000));
  const ok = unwrap(encodeJsonArray({ values })) as { ok: true; value: { values: Float32Array; json: Uint8Array } };
  expect(ok.ok).toBe(true);
  expect(ok.value.values).toBe(values);
  expect(text(ok.value.json)).toBe(JSON.stringify(Array.from(values)));
  const bad = Float64Array.of(1, 2, Infinity);
  expect(unwrap(encodeJsonArray({ values: bad }))).toEqual({ ok: true, value: { values: bad, nonFinite: { index: 2, value: 'Infinity' } } });
});

it('an EncodedJsonArray serialises as its plain values where its bytes are not used (a websocket answer)', () => {
  const values = Float32Array.of(0.1, -2, 3.5);
  const encoded = new EncodedJsonArray(values, (jsonArrayBytes(values) as { json: Uint8Array }).json);
  expect(encoded.length).toBe(3);
  expect(JSON.stringify({ data: encoded })).toBe(JSON.stringify({ data: Array.from(values) }));
});

/** A response that keeps what is written. */
function sink(): { res: ServerResponse; text: () => string; writes: number } {
  const chunks: Buffer[] = [];
  let ended = false;
  const state = { writes: 0 };
  const res = {
    destroyed: false,
    write: (s: string | Uint8Array) => (state.writes++, chunks.push(Buffer.from(s as Uint8Array)), true),
    end: (s?: string) => {
      if (s) chunks.push(Buffer.from(s));
      ended = true;
    },
  } as unknown as ServerResponse;
  return {
    res,
    text: () => (ended ? Buffer.concat(chunks).toString('utf8') : '<not ended>'),
    get writes() {
      return state.writes;
    },
  };
}

it('writeJsonArray and DeferredArrays write an encoded array as its bytes, a bounded piece per write', async () => {
  const values = Float32Array.from(awkward(60_000));
  const encoded = new EncodedJsonArray(values, (jsonArrayBytes(values) as { json: Uint8Array }).json);
  expect(encoded.json.byteLength).toBeGreaterThan(2 * BYTES_PER_TURN);
  const direct = sink();
  expect(await writeJsonArray(direct.res, encoded)).toBe(true);
  direct.res.end();
  expect(direct.text()).toBe(JSON.stringify(Array.from(values)));
  expect(direct.writes).toBe(Math.ceil(encoded.json.byteLength / BYTES_PER_TURN));

  const deferred = new DeferredArrays();
  const body = JSON.stringify({ data: { infer: { outputs: [{ name: 'output', data: deferred.defer(encoded) }] } } });
  const spliced = sink();
  await deferred.stream(spliced.res, body);
  expect(spliced.text()).toBe(JSON.stringify({ data: { infer: { outputs: [{ name: 'output', data: Array.from(values) }] } } }));
});
