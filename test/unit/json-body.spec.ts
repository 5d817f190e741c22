/**
 * The JSON body reader of the GraphQL fast path and both V2 infer routes (src/lib/json-body.ts)
 * answers every request as `express.json` with the same options does: the same parsed body, or
 * the same refusal (status, type, message) — whether the body had arrived whole when it was read
 * (taken from the stream's buffer at once) or arrives later in chunks — and whether it is parsed on
 * this thread or on an answer thread (src/graphql/json-body-threads.ts, every body it takes sent
 * there), or sent there when no thread takes it (parsed inline after all).
 */
import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import zlib from 'node:zlib';
import express from 'express';
import { jsonBodyReader, readJsonBody, type JsonBodyOptions, type OffThreadJson } from '../../src/lib/json-body';
import { MAX_BODY_DEPTH, refuseDeepJson } from '../../src/lib/json-depth';
import { jsonBodyThreads } from '../../src/graphql/json-body-threads';
import { createJsonThreads, PACKED_FROM } from '../../src/lib/threads/json-tasks';

/** A real answer thread, taking every body the reader parses itself (from 1 byte). */
const threads = createJsonThreads(1);
const onThread = jsonBodyThreads(threads, 1, 1)!;
/** No thread takes the body: handed back untried (the threads' queue full). */
const busy: OffThreadJson = { from: 1, parse: (bytes) => Promise.resolve({ bytes, refused: false }) };
afterAll(() => threads.close());

const LIMIT = 200_000;

type Arrival = 'whole' | 'chunks';

/** A POST request with `headers` whose body is `chunks`: already received whole, or pushed a chunk per event-loop turn. */
function request(headers: Record<string, string>, chunks: Buffer[], arrival: Arrival): IncomingMessage {
  const req = new IncomingMessage(new Socket());
  Object.assign(req, { method: 'POST', url: '/v2/models/m/infer', headers });
  const end = () => {
    req.push(null);
    req.complete = true;
  };
  chunks = chunks.map((c) => Buffer.from(c)); // each request its own bytes (an answer thread takes them away)
  if (arrival === 'whole') {
    for (const c of chunks) req.push(c);
    end();
  } else {
    const next = (i: number) =>
      setImmediate(() => {
        if (i === chunks.length) return end();
        req.push(chunks[i]);
        next(i + 1);
      });
    next(0);
  }
  return req;
}

/** What a reader made of a request: the body, or the refusal. */
async function outcome(read: (req: IncomingMessage, res: ServerResponse) => Promise<unknown>, req: IncomingMessage) {
  try {
    const body = await read(req, new ServerResponse(req));
    return { body };
  } catch (err) {
    const e = err as { status?: number; type?: string; message: string };
    return { status: e.status, type: e.type, message: e.message };
  }
}

/** Ours (parsing inline, on an answer thread, and with no thread free) and express.json on the same request, for both arrivals. */
async function both(headers: Record<string, string>, chunks: Buffer[], options: JsonBodyOptions = {}) {
  const theirs = express.json({ limit: LIMIT, verify: refuseDeepJson, ...(options.anyContentType ? { type: () => true } : {}) }) as never;
  const results = [];
  for (const offThread of [undefined, onThread, busy]) {
    const ours = jsonBodyReader(LIMIT, { ...options, offThread });
    for (const arrival of ['whole', 'chunks'] as Arrival[]) {
      results.push({
        ours: await outcome((req, res) => readJsonBody(ours, req, res), request(headers, chunks, arrival)),
        express: await outcome((req, res) => readJsonBody(theirs, req, res), request(headers, chunks, arrival)),
      });
    }
  }
  return results;
}

/** Long arrays of numbers (PACKED_FROM and more) in every kind of place, with -0, 1e400 and integers among them. */
const numbers = (n: number, at = 0) => Array.from({ length: n }, (_, i) => (i === 3 ? '-0' : i === 5 ? '1e400' : i % 7 === 0 ? String(i + at) : `${i + at}.25`)).join(',');
const LONG_NUMBERS = `{"a":[${numbers(PACKED_FROM)}],"b":[[${numbers(PACKED_FROM + 1)}],[1,2]],"__proto__":[${numbers(PACKED_FROM)}],"c":{"d":[${numbers(PACKED_FROM - 1)}]}}`;
const ALMOST_NUMBERS = `[${numbers(PACKED_FROM * 2)},"x"]`;

const json = (text: string, extra: Record<string, string> = {}) => ({
  headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)), ...extra },
  chunks: [Buffer.from(text)],
});

it.each([
  ['an object', json('{"inputs":[{"name":"x","data":[1,2.5,"é"]}]}'), { body: { inputs: [{ name: 'x', data: [1, 2.5, 'é'] }] } }],
  ['an array', json('[1,{"a":null}]'), { body: [1, { a: null }] }],
  ['a byte-order mark before the object', json('\ufeff{"a":1}'), { body: { a: 1 } }],
  ['whitespace before the object', json(' \n{"a":1}'), { body: { a: 1 } }],
  ['a UTF-8 charset, quoted and in capitals', json('{"a":1}', { 'content-type': 'application/json; charset="UTF-8"' }), { body: { a: 1 } }],
  // What structured clone (the answer thread's way back) must keep exactly as JSON.parse made it.
  ['-0, 1e400 (Infinity), 2^53 + 1 and 5e-324', json('[-0,1e400,-1e400,9007199254740993,5e-324]'), { body: [-0, Infinity, -Infinity, 9007199254740992, 5e-324] }],
  [
    'a "__proto__" key (an own property, not the prototype)',
    json('{"__proto__":{"x":1},"a":{"__proto__":null}}'),
    { body: JSON.parse('{"__proto__":{"x":1},"a":{"__proto__":null}}') },
  ],
  ['lone surrogates and a NUL in strings', json('{"id":"\\ud800x\\udc00\\u0000"}'), { body: { id: '\ud800x\udc00\u0000' } }],
  ['keys that look like indices, in their order', json('{"b":1,"2":2,"a":3,"1":4}'), { body: { b: 1, 2: 2, a: 3, 1: 4 } }],
  ['sparse-looking arrays and nulls', json('[null,[],{},[null]]'), { body: [null, [], {}, [null]] }],
  // Arrays of PACKED_FROM numbers or more come back from the thread as Float64Arrays, made arrays again.
  ['long arrays of numbers at the root, in objects and in arrays', json(LONG_NUMBERS), { body: JSON.parse(LONG_NUMBERS) }],
  ['a long array of numbers but one', json(ALMOST_NUMBERS), { body: JSON.parse(ALMOST_NUMBERS) }],
])('parses %s as express.json does', async (_what, req, expected) => {
  for (const r of await both(req.headers, req.chunks)) {
    expect(r.ours).toEqual(expected);
    expect(r.ours).toEqual(r.express);
    const body = (r.ours as { body: unknown }).body;
    expect(JSON.stringify(body)).toBe(JSON.stringify((r.express as { body: unknown }).body)); // keys in the same order too
    // The key stays a key: the object does not inherit from its value (Object.prototype of whichever realm made it).
    if (body && typeof body === 'object' && Object.hasOwn(body, '__proto__'))
      expect([(body as { x?: number }).x, Object.getPrototypeOf(Object.getPrototypeOf(body))]).toEqual([undefined, null]);
  }
});

it('reads a body split across chunks', async () => {
  const text = '{"a":[1,2,3],"b":"' + 'x'.repeat(300) + '"}';
  const bytes = Buffer.from(text);
  const chunks = [bytes.subarray(0, 7), bytes.subarray(7, 200), bytes.subarray(200)];
  for (const r of await both({ 'content-type': 'application/json', 'content-length': String(bytes.length) }, chunks)) {
    expect(r.ours).toEqual({ body: { a: [1, 2, 3], b: 'x'.repeat(300) } });
    expect(r.ours).toEqual(r.express);
  }
});

it('reads a chunked body (no Content-Length) and a gzip-encoded one through body-parser', async () => {
  const text = '{"a":1}';
  const chunked = await both({ 'content-type': 'application/json', 'transfer-encoding': 'chunked' }, [Buffer.from(text)]);
  const gz = zlib.gzipSync(text);
  const gzipped = await both({ 'content-type': 'application/json', 'content-encoding': 'gzip', 'content-length': String(gz.length) }, [gz]);
  for (const r of [...chunked, ...gzipped]) {
    expect(r.ours).toEqual({ body: { a: 1 } });
    expect(r.ours).toEqual(r.express);
  }
});

it.each([
  ['text that is not JSON', json('{"inputs": ['), 400, 'entity.parse.failed'],
  ['a number (strict: objects and arrays only)', json('5'), 400, 'entity.parse.failed'],
  ['nesting past MAX_BODY_DEPTH', json('['.repeat(MAX_BODY_DEPTH + 1) + ']'.repeat(MAX_BODY_DEPTH + 1)), 400, 'entity.too.deep'],
  ['a declared length over the limit', json('{"a":"' + 'x'.repeat(LIMIT) + '"}'), 413, 'entity.too.large'],
  ['another charset', json('{"a":1}', { 'content-type': 'application/json; charset=latin1' }), 415, 'charset.unsupported'],
  ['an unknown content encoding', json('{"a":1}', { 'content-encoding': 'compress' }), 415, 'encoding.unsupported'],
])('refuses %s with body-parser’s status, type and message', async (_what, req, status, type) => {
  for (const r of await both(req.headers, req.chunks)) {
    expect(r.ours).toMatchObject({ status, type });
    expect(r.ours).toEqual(r.express);
  }
});

it('refuses a body shorter than its Content-Length as body-parser does', async () => {
  for (const r of await both({ 'content-type': 'application/json', 'content-length': '20' }, [Buffer.from('{"a":1}')])) {
    expect(r.ours).toMatchObject({ status: 400, type: 'request.size.invalid' });
    expect(r.ours).toEqual(r.express);
  }
});

it('reads an empty body as {} (body-parser’s special case), leaves another content type unread by default, and reads any type when asked', async () => {
  const empty = await both({ 'content-type': 'application/json', 'content-length': '0' }, []);
  const form = json('{"a":1}', { 'content-type': 'application/x-www-form-urlencoded' });
  const unread = await both(form.headers, form.chunks);
  const read = await both(form.headers, form.chunks, { anyContentType: true });
  for (const r of empty) {
    expect(r.ours).toEqual({ body: {} });
    expect(r.ours).toEqual(r.express);
  }
  for (const r of unread) {
    expect(r.ours).toEqual({ body: undefined });
    expect(r.ours).toEqual(r.express);
  }
  for (const r of read) {
    expect(r.ours).toEqual({ body: { a: 1 } });
    expect(r.ours).toEqual(r.express);
  }
});

it('takes a body that has arrived whole without waiting for the stream’s events', () => {
  const { headers, chunks } = json('{"a":1}');
  const req = request(headers, chunks, 'whole') as IncomingMessage & { body?: unknown };
  let done = false;
  jsonBodyReader(LIMIT)(req, new ServerResponse(req), (err) => {
    expect(err).toBeUndefined();
    done = true;
  });
  expect([done, req.body]).toEqual([true, { a: 1 }]);
});

it('parses a root array of numbers (a Float64Array on the way back) into an array of the same numbers', async () => {
  const text = `[${numbers(PACKED_FROM * 3)}]`;
  for (const r of await both(json(text).headers, json(text).chunks)) {
    const body = (r.ours as { body: number[] }).body;
    expect(Array.isArray(body)).toBe(true);
    expect([Object.is(body[3], -0), body[5], body.length]).toEqual([true, Infinity, PACKED_FROM * 3]);
    expect(r.ours).toEqual(r.express);
  }
});

it('sent the bodies it takes to the answer thread', () => {
  // Every `parses`/`refuses` case above that the reader takes itself ran there, for both arrivals.
  expect(threads.stats().completed).toBeGreaterThanOrEqual(20);
});
