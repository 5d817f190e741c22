/**
 * Big JSON arrays written in slices (src/lib/json-stream.ts): the bytes are JSON.stringify's, and
 * a GraphQL body's placeholders (DeferredArrays) are replaced by their arrays, whatever surrounds them.
 */
import type { ServerResponse } from 'node:http';
import { DeferredArrays, SLICE, writeJsonArray } from '../../src/lib/json-stream';

/** A response that keeps what is written. */
function sink(): { res: ServerResponse; text: () => string; chunks: string[] } {
  const chunks: string[] = [];
  let ended = false;
  const res = {
    destroyed: false,
    write: (s: string) => (chunks.push(s), true),
    end: (s?: string) => {
      if (s) chunks.push(s);
      ended = true;
    },
  } as unknown as ServerResponse;
  return { res, text: () => (ended ? chunks.join('') : '<not ended>'), chunks };
}

it('writeJsonArray writes the JSON.stringify bytes of an array of several slices, a slice per write', async () => {
  const data = Array.from({ length: 2 * SLICE + 5 }, (_, i) => Math.fround(i / 3));
  const { res, chunks } = sink();
  expect(await writeJsonArray(res, data)).toBe(true);
  expect(chunks.join('')).toBe(JSON.stringify(data));
  expect(chunks).toHaveLength(5); // '[', three slices, ']'
});

it('DeferredArrays splices each array where its placeholder is, and leaves look-alike strings alone', async () => {
  const deferred = new DeferredArrays();
  const a = Array.from({ length: SLICE + 1 }, (_, i) => i * 0.5);
  const b = [true, false];
  const body = {
    data: {
      infer: {
        id: '@@deferred-array:guess:0@@',
        outputs: [
          { name: 'x', data: deferred.defer(a) },
          { name: 'y', data: deferred.defer(b) },
        ],
      },
    },
  };
  const { res, text } = sink();
  await deferred.stream(res, JSON.stringify(body) + '\n');
  expect(text()).toBe(
    JSON.stringify({
      data: {
        infer: {
          ...body.data.infer,
          outputs: [
            { name: 'x', data: a },
            { name: 'y', data: b },
          ],
        },
      },
    }) + '\n',
  );
  expect(deferred.size).toBe(0);
});

it('DeferredArrays writes a body whose placeholders were dropped (an error nulled the field) as it is', async () => {
  const deferred = new DeferredArrays();
  deferred.defer([1, 2, 3]);
  const { res, text } = sink();
  const body = JSON.stringify({ errors: [{ message: 'boom' }], data: null });
  await deferred.stream(res, body);
  expect(text()).toBe(body);
});
