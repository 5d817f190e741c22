/**
 * The GraphQL multipart request (upload spec): its `operations` and `map` fields are bounded in
 * depth and size before they are parsed and walked (src/graphql/multipart-guard.ts), with the same
 * status, code and wording as a JSON body (issue 10).
 */
import type { App } from '../../src/app';
import { codeOf, gqlOk, type GqlResult } from '../../src/client/graphql-client';
import { MAX_BODY_DEPTH } from '../../src/lib/json-depth';
import { startTestApp } from '../support/app';
import { createTenant, type TenantBundle } from '../support/factories';

const MAX_REQUEST_BYTES = 1024 * 1024;
let app: App;
let t: TenantBundle;

beforeAll(async () => {
  app = await startTestApp({ WORKER_ENABLED: 'false', MAX_REQUEST_BYTES: String(MAX_REQUEST_BYTES) });
  t = await createTenant(app, 'multipart');
});
afterAll(() => app.stop());

const UPLOAD = 'mutation($file: Upload!) { uploadDataset(name: "m", file: $file) { id rowCount } }';
const PREDICT = 'query($rows: [JSONObject!]!) { predict(model: "m", rows: $rows) { version } }';
/** `{"a":{"a":…1…}}`, `levels` objects deep, as text. */
const deep = (levels: number) => '{"a":'.repeat(levels) + '1' + '}'.repeat(levels);

/** A multipart request with these raw fields and, when `file`, one CSV file under the name "0". */
async function multipart(operations: string, map: string, file = true): Promise<{ status: number; body: GqlResult }> {
  const form = new FormData();
  form.append('operations', operations);
  form.append('map', map);
  if (file) form.append('0', new Blob(['x,y\n1,2\n3,4\n']), 'm.csv');
  const res = await fetch(t.url, { method: 'POST', headers: { authorization: `Bearer ${t.token}`, 'apollo-require-preflight': 'true' }, body: form });
  return { status: res.status, body: (await res.json()) as GqlResult };
}

async function json(body: string): Promise<{ status: number; body: GqlResult }> {
  const res = await fetch(t.url, { method: 'POST', headers: { authorization: `Bearer ${t.token}`, 'content-type': 'application/json' }, body });
  return { status: res.status, body: (await res.json()) as GqlResult };
}

const operationsWith = (variables: string, query = UPLOAD) => `{"query":${JSON.stringify(query)},"variables":${variables}}`;
const FILE_MAP = '{"0":["variables.file"]}';

/** After each case the multipart path still serves a real upload. */
afterEach(async () => {
  const r = await multipart(operationsWith('{"file":null}'), FILE_MAP);
  expect(r.body.data?.uploadDataset.rowCount).toBe(2);
});

describe('depth', () => {
  it('refuses `operations` nested 100,000 levels deep with 400 BAD_USER_INPUT, as the same JSON body is refused', async () => {
    const operations = operationsWith(`{"file":null,"x":${deep(100_000)}}`);
    const r = await multipart(operations, FILE_MAP);
    expect([r.status, codeOf(r.body), r.body.errors![0].message]).toEqual([
      400,
      'BAD_USER_INPUT',
      expect.stringMatching(new RegExp(`^The request could not be read: the ‘operations’ multipart field is nested deeper than ${MAX_BODY_DEPTH} levels \\(at byte \\d+\\)$`)), // refused from the bytes (the offset), not parsed
    ]);
    const body = await json(operations);
    expect([body.status, codeOf(body.body), body.body.errors![0].message]).toEqual([400, 'BAD_USER_INPUT', expect.stringMatching(/nested deeper than 2048 levels/)]);
  });

  it.each([MAX_BODY_DEPTH + 1, 100_000])('refuses `map` nested %i levels deep with 400 BAD_USER_INPUT', async (levels) => {
    const r = await multipart(operationsWith('{"file":null}'), `{"0":["variables.file"],"1":${deep(levels)}}`);
    expect([r.status, codeOf(r.body), r.body.errors![0].message]).toEqual([
      400,
      'BAD_USER_INPUT',
      expect.stringMatching(`the ‘map’ multipart field is nested deeper than ${MAX_BODY_DEPTH} levels`),
    ]);
  });

  it('refuses a `map` path of more segments than the depth limit, before it builds objects that deep', async () => {
    const path = `variables.x${'.a'.repeat(MAX_BODY_DEPTH)}`;
    const r = await multipart(operationsWith('{"file":null}'), `{"0":["variables.file",${JSON.stringify(path)}]}`);
    expect([r.status, codeOf(r.body), r.body.errors![0].message]).toEqual([
      400,
      'BAD_USER_INPUT',
      `The request could not be read: a path in the ‘map’ multipart field has ${MAX_BODY_DEPTH + 2} segments, more than ${MAX_BODY_DEPTH}`,
    ]);
  });

  it('passes a value under the byte bound to the JSON scalar, which refuses it as over a JSON body', async () => {
    const operations = operationsWith(`{"rows":[{"x":${deep(MAX_BODY_DEPTH - 10)}}]}`, PREDICT);
    const [viaMultipart, viaJson] = [await multipart(operations, '{}', false), await json(operations)];
    expect(codeOf(viaMultipart.body)).toBe('BAD_USER_INPUT');
    expect(viaMultipart.body.errors![0].message).toMatch(/^rows\[0\]\.x(\.a)+ is nested deeper than 32 levels \(limit\)$/);
    expect([codeOf(viaMultipart.body), viaMultipart.body.errors![0].message]).toEqual([codeOf(viaJson.body), viaJson.body.errors![0].message]);
  });
});

describe('size', () => {
  it.each(['operations', 'map'])('refuses a `%s` field larger than MAX_REQUEST_BYTES with 413 BAD_USER_INPUT', async (field) => {
    const big = `{"pad":"${'x'.repeat(MAX_REQUEST_BYTES)}"}`;
    const r = field === 'operations' ? await multipart(big, FILE_MAP) : await multipart(operationsWith('{"file":null}'), big);
    expect([r.status, codeOf(r.body), r.body.errors![0].message]).toEqual([
      413,
      'BAD_USER_INPUT',
      expect.stringContaining(`The ‘${field}’ multipart field value exceeds the ${MAX_REQUEST_BYTES} byte size limit`),
    ]);
  });
});

describe('malformed part headers (the multipart parser refuses the body)', () => {
  const B = 'XBOUNDARYX';
  it.each([
    ['a NUL in the filename', 'Content-Disposition: form-data; name="0"; filename="a\u0000b.csv"'],
    ['a header line without a colon', 'Content-Disposition: form-data; name="0"; filename="a.csv"\r\nGARBAGE'],
    ['a control character in a header', 'Content-Disposition: form-data; name="0"; filename="a\u0001.csv"'],
  ])('%s: BAD_USER_INPUT naming the argument, nothing stored', async (_what, fileHeader) => {
    const before = await app.db.prisma.dataset.count({ where: { tenantId: t.tenantId } });
    const body =
      `--${B}\r\nContent-Disposition: form-data; name="operations"\r\n\r\n${operationsWith('{"file":null}')}\r\n` +
      `--${B}\r\nContent-Disposition: form-data; name="map"\r\n\r\n${FILE_MAP}\r\n` +
      `--${B}\r\n${fileHeader}\r\nContent-Type: text/csv\r\n\r\nx,y\n1,2\n\r\n--${B}--\r\n`;
    const res = await fetch(t.url, {
      method: 'POST',
      headers: { authorization: `Bearer ${t.token}`, 'apollo-require-preflight': 'true', 'content-type': `multipart/form-data; boundary=${B}` },
      body: Buffer.from(body, 'latin1'),
    });
    const answer = (await res.json()) as GqlResult;
    expect(answer.errors?.[0]).toMatchObject({ message: 'file could not be read from the request: Malformed part header', extensions: { code: 'BAD_USER_INPUT', field: 'file' } });
    expect(await app.db.prisma.dataset.count({ where: { tenantId: t.tenantId } })).toBe(before);
  });
});

it('names a file mapped to a String variable "a file upload", not the upload object\'s internals', async () => {
  const query = 'mutation($file: Upload!, $n: String!) { uploadDataset(name: $n, file: $file) { id } }';
  const r = await multipart(operationsWith('{"file":null,"n":"x"}', query), '{"0":["variables.file","variables.n"]}');
  expect(codeOf(r.body)).toBe('BAD_USER_INPUT');
  expect(r.body.errors![0].message).toMatch(/^n a file upload|Variable "\$n" got invalid value a file upload/);
  expect(JSON.stringify(r.body)).not.toContain('[function]');
});

it('still reads a well-formed upload, and the caller sees it', async () => {
  const r = await multipart(operationsWith('{"file":null}'), FILE_MAP);
  const id = r.body.data?.uploadDataset.id as string;
  const read = await gqlOk<{ dataset: { rowCount: number } }>(t, 'query($id: ID!) { dataset(id: $id) { rowCount } }', { id });
  expect(read.dataset.rowCount).toBe(2);
});

describe('bodies the multipart parser cannot read at all (review F2)', () => {
  it.each([
    ['no boundary', 'multipart/form-data', 'abc', 'Multipart: Boundary not found'],
    ['a truncated form', 'multipart/form-data; boundary=x', 'abc', 'Unexpected end of form'],
    ['a malformed content type', 'multipart/form-data; boundary="', 'abc', 'Malformed content type'],
  ])('%s: 400 BAD_USER_INPUT in the GraphQL error shape, JSON not HTML', async (_what, contentType, body, busboyMessage) => {
    for (const authorization of [`Bearer ${t.token}`, undefined]) {
      const res = await fetch(t.url, {
        method: 'POST',
        headers: { ...(authorization && { authorization }), 'apollo-require-preflight': 'true', 'content-type': contentType },
        body,
      });
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      expect(await res.json()).toEqual({ errors: [{ message: `The request could not be read: ${busboyMessage}`, extensions: { code: 'BAD_USER_INPUT' } }] });
    }
  });
});

describe('a file part cut off before its closing boundary (review 6: uploadModelVersion answered INTERNAL_SERVER_ERROR)', () => {
  const B = 'XBOUNDARYX';
  it.each([
    ['uploadDataset', 'mutation($file: Upload!) { uploadDataset(name: "cut", file: $file) { id } }', 'text/csv', 'x,y\n1,2\n'],
    ['uploadModelVersion', 'mutation($file: Upload!) { uploadModelVersion(model: "cut", file: $file) { id } }', 'application/octet-stream', '\u0008\u0007\u0012\u0004onnx'],
    // Three bytes: busboy's refusal reaches the upload's promise before its stream (review 6 again).
    ['uploadModelVersion, 3 bytes', 'mutation($file: Upload!) { uploadModelVersion(model: "cut", file: $file) { id } }', 'application/octet-stream', 'abc'],
  ])('%s: BAD_USER_INPUT naming the file, nothing stored', async (_mutation, query, type, content) => {
    const body =
      `--${B}\r\nContent-Disposition: form-data; name="operations"\r\n\r\n${operationsWith('{"file":null}', query)}\r\n` +
      `--${B}\r\nContent-Disposition: form-data; name="map"\r\n\r\n${FILE_MAP}\r\n` +
      `--${B}\r\nContent-Disposition: form-data; name="0"; filename="cut.bin"\r\nContent-Type: ${type}\r\n\r\n${content}`;
    const res = await fetch(t.url, {
      method: 'POST',
      headers: { authorization: `Bearer ${t.token}`, 'apollo-require-preflight': 'true', 'content-type': `multipart/form-data; boundary=${B}` },
      body: Buffer.from(body, 'latin1'),
    });
    const answer = (await res.json()) as GqlResult;
    expect(answer.errors?.[0]).toMatchObject({ message: 'file could not be read from the request: Unexpected end of form', extensions: { code: 'BAD_USER_INPUT', field: 'file' } });
    const stored = await gqlOk<{ models: { name: string }[] }>(t, '{ models { name } }');
    expect(stored.models.map((m) => m.name)).not.toContain('cut');
  });
});
