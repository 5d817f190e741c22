/**
 * Large JSON bodies parsed on an answer thread (JSON_BODY_THREAD_BYTES, src/graphql/json-body-threads.ts)
 * are answered exactly as when parsed inline: the same request goes to an API process that parses
 * bodies of 4 KiB and more on a thread and to one that parses every body inline
 * (JSON_BODY_THREAD_BYTES=0), on the same database, and status, body and content type must match —
 * V2 infer on the fast path and on the express route (an Origin), GraphQL; answers, refusals of the
 * tensors, of the JSON itself (not JSON, too deep), another tenant's model, and values JSON.parse
 * makes that a copy between threads must keep (Infinity, lone surrogates). Bodies under the
 * threshold stay on the event loop.
 */
import type { App } from '../src/app';
import { startAppOnWorkerDatabase, startTestApp } from './support/app';
import { createTenant, type TenantBundle } from './support/factories';
import { graphModel } from './support/onnx-proto';
import { uploadModel, uploadModelOk } from './support/onnx-uploads';

const FROM = 4096;
const WIDE = 3000;
let threaded: App;
let inline: App;
let a: TenantBundle;
let b: TenantBundle;

beforeAll(async () => {
  threaded = await startTestApp({ JSON_BODY_THREAD_BYTES: String(FROM), CORS_ORIGINS: 'https://ok.example' });
  inline = await startAppOnWorkerDatabase({ JSON_BODY_THREAD_BYTES: '0', CORS_ORIGINS: 'https://ok.example', WORKER_ENABLED: 'false' });
  a = await createTenant(threaded, 'bodies-a');
  b = await createTenant(threaded, 'bodies-b');
  await uploadModelOk(a, 'digits', 'mnist-8.onnx');
  // y = x, [batch, WIDE] floats: a tensor long enough to travel back from the thread as a Float64Array (json-tasks.ts PACKED_FROM).
  const identity = graphModel([{ op: 'Identity', inputs: ['x'], outputs: ['y'] }], [{ name: 'x', dims: ['batch', WIDE] }], [{ name: 'y', dims: ['batch', WIDE] }]);
  expect((await uploadModel(a, 'wide', 'wide.onnx', identity)).errors).toBeUndefined();
}, 120_000);
afterAll(async () => {
  await inline.stop();
  await threaded.stop();
});

interface Answer {
  status: number;
  body: unknown;
  contentType: string | null;
}

async function send(app: App, path: string, body: string, headers: Record<string, string>): Promise<Answer> {
  const r = await fetch(app.server.url.replace(/\/graphql$/, path), { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  const text = await r.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON: compared as text
  }
  return { status: r.status, body: parsed, contentType: r.headers.get('content-type') };
}

/** Bodies parsed on the threaded process' answer threads so far. */
const parsedOnThreads = () => threaded.threads.answers.stats().completed;

/**
 * Sends `body` to both processes as `t`; they must answer alike.
 * @returns the answer, and how many tasks the threaded process' answer threads ran for it.
 */
async function same(t: TenantBundle, path: string, body: string, headers: Record<string, string> = {}): Promise<Answer & { onThread: number }> {
  const auth = { authorization: `Bearer ${t.token}`, ...headers };
  const before = parsedOnThreads();
  const x = await send(threaded, path, body, auth);
  const onThread = parsedOnThreads() - before;
  const y = await send(inline, path, body, auth);
  expect(x).toEqual(y);
  return { ...x, onThread };
}

const image = (i: number) => ((i * 37) % 255) / 255;
/** A V2 request for mnist-8: one [1, 1, 28, 28] image (~12 KB of JSON), `edit` applied to its data. */
const digitBody = (edit: (data: unknown[]) => void = () => undefined, extra: object = {}) => {
  const data: unknown[] = Array.from({ length: 784 }, (_, i) => image(i));
  edit(data);
  return JSON.stringify({ ...extra, inputs: [{ name: 'Input3', datatype: 'FP32', shape: [1, 1, 28, 28], data }] });
};
const INFER = '/v2/models/digits/infer';

it('answers a large V2 body parsed on a thread as inline, on the fast path and the express route, and keeps small bodies inline', async () => {
  const body = digitBody(() => undefined, { id: 'req-\ud800-1' }); // a lone surrogate in the echoed id
  expect(Buffer.byteLength(body)).toBeGreaterThan(FROM);
  const fast = await same(a, INFER, body);
  expect([fast.status, (fast.body as any).outputs[0].shape, (fast.body as any).id]).toEqual([200, [1, 10], 'req-\ud800-1']);
  // Parsed there: one task for the body (the 10 scores are far below the answer threads' encoding size).
  expect(fast.onThread).toBe(1);
  const viaExpress = await same(a, INFER, body, { origin: 'https://ok.example' });
  expect([viaExpress.status, viaExpress.body]).toEqual([200, fast.body]);
  expect(viaExpress.onThread).toBe(1);
  // A small body: on the event loop, no task.
  const small = await same(a, INFER, JSON.stringify({ inputs: [{ name: 'Input3', datatype: 'FP32', shape: [1, 1, 2, 2], data: [0, 0, 0, 0] }] }));
  expect([small.status, small.onThread]).toEqual([400, 0]);
});

it('refuses the tensors of a large body with the same status and message', async () => {
  const cases: [string, string, number][] = [
    ['a string among the numbers', digitBody((d) => (d[500] = 'x')), 400],
    ['1e400 (Infinity once parsed)', digitBody().replace(/,0\.[0-9]+,/, ',1e400,'), 400],
    ['one value too many', digitBody((d) => d.push(0.5)), 400],
    [
      'nested data of the wrong shape',
      JSON.stringify({ inputs: [{ name: 'Input3', datatype: 'FP32', shape: [1, 1, 28, 28], data: [Array.from({ length: 784 }, (_, i) => [image(i)])] }] }),
      400,
    ],
    ['an unknown input name', digitBody().replace('"Input3"', '"Input4"'), 400],
    ['an array instead of an object', JSON.stringify(Array.from({ length: 2000 }, (_, i) => i)), 400],
  ];
  for (const [what, body, status] of cases) {
    expect(Buffer.byteLength(body)).toBeGreaterThan(FROM);
    const r = await same(a, INFER, body);
    expect([what, r.status, (r.body as { code?: string }).code]).toEqual([what, status, 'BAD_USER_INPUT']);
    expect(r.onThread).toBe(1);
  }
});

it('refuses a large body that is not JSON, or nested too deep, in body-parser’s words, and another tenant’s model as NOT_FOUND', async () => {
  const truncated = digitBody().slice(0, -3);
  const notJson = await same(a, INFER, truncated);
  expect([notJson.status, (notJson.body as { code?: string }).code]).toEqual([400, 'BAD_USER_INPUT']);
  const deep = await same(a, INFER, '['.repeat(2100) + ']'.repeat(2100));
  expect([deep.status, (deep.body as { error?: string }).error]).toEqual([400, expect.stringContaining('nested deeper than 2048 levels')]);
  // B has no model 'digits': NOT_FOUND whatever the body holds, as inline; a body that is not JSON is refused first, as inline.
  expect((await same(b, INFER, digitBody())).status).toBe(404);
  expect((await same(b, INFER, truncated)).status).toBe(400);
  expect((await same(b, INFER, truncated, { origin: 'https://ok.example' })).status).toBe(400);
});

it('answers large GraphQL requests as inline: an infer with its tensors in variables, and the refusals of bodies it cannot read', async () => {
  const query = 'query($i: [InferTensorInput!]!) { infer(model: "digits", inputs: $i) { version outputs { name shape data } } }';
  const tensor = (data: unknown[]) => [{ name: 'Input3', datatype: 'FP32', shape: [1, 1, 28, 28], data }];
  const data = Array.from({ length: 784 }, (_, i) => image(i));
  const ok = await same(a, '/graphql', JSON.stringify({ query, variables: { i: tensor(data) } }));
  expect([ok.status, (ok.body as any).data.infer.outputs[0].shape, ok.onThread]).toEqual([200, [1, 10], 1]);
  const bad = await same(a, '/graphql', JSON.stringify({ query, variables: { i: tensor([...data.slice(1), 'x']) } }));
  expect((bad.body as any).errors[0].extensions.code).toBe('BAD_USER_INPUT');
  const truncated = await same(a, '/graphql', JSON.stringify({ query, variables: { i: tensor(data) } }).slice(0, -2));
  expect([truncated.status, (truncated.body as any).errors[0].extensions.code]).toEqual([400, 'BAD_USER_INPUT']);
  const deep = await same(a, '/graphql', '{"query":"{ viewer { tenantId } }","variables":{"v":' + '['.repeat(2100) + ']'.repeat(2100) + '}}');
  expect(deep.status).toBe(400);
});

it('answers a long tensor (sent back from the thread packed) with the same numbers, and refuses 1e400 in it alike', async () => {
  const data = Array.from({ length: 2 * WIDE }, (_, i) => (i % 2 ? -1 : 1) * (i / 3 + 0.5));
  const body = JSON.stringify({ inputs: [{ name: 'x', datatype: 'FP32', shape: [2, WIDE], data }] });
  const rest = await same(a, '/v2/models/wide/infer', body);
  expect([rest.status, rest.onThread]).toEqual([200, 1]);
  expect((rest.body as any).outputs[0].data).toEqual(data.map((v) => Math.fround(v)));
  const query = 'query($i: [InferTensorInput!]!) { infer(model: "wide", inputs: $i) { outputs { data } } }';
  const graphql = await same(a, '/graphql', JSON.stringify({ query, variables: { i: [{ name: 'x', datatype: 'FP32', shape: [2, WIDE], data }] } }));
  expect((graphql.body as any).data.infer.outputs[0].data).toEqual((rest.body as any).outputs[0].data);
  const infinite = await same(a, '/v2/models/wide/infer', body.replace(/,-?[0-9.]+,/, ',1e400,'));
  expect([infinite.status, (infinite.body as { error: string }).error]).toEqual([400, expect.stringContaining('Infinity is not a finite number')]);
});
