/**
 * V2 model metadata (GET /v2/models/{name}[/versions/{v}], .../ready, GraphQL modelMetadata) from
 * the caches infer uses (version-resolver.ts: resolutions and each model's version list, dropped on a
 * model change): repeated calls read no version list from the database, and a version published or
 * deleted is in the next answer at once — for two tenants holding a model of the same name, neither
 * seeing the other's change.
 */
import type { App } from '../src/app';
import { gqlOk } from '../src/client/graphql-client';
import { ModelRepo } from '../src/modules/registry/model.repo';
import { startTestApp } from './support/app';
import { createTenant, type TenantBundle } from './support/factories';
import { graphModel } from './support/onnx-proto';
import { uploadModel, uploadModelOk } from './support/onnx-uploads';
import { v2 } from './support/v2';

const MODEL = 'digits';
const METADATA = 'query($m: String!) { modelMetadata(model: $m) { versions platform version inputs { name } } }';
const DELETE = 'mutation($m: String!, $v: Int!) { deleteModelVersion(model: $m, version: $v) }';

let app: App;
let a: TenantBundle;
let b: TenantBundle;

/** y = x for a [batch, 3] float input named `x`: a second model whose metadata differs from mnist-8's. */
const identity = () => graphModel([{ op: 'Identity', inputs: ['x'], outputs: ['y'] }], [{ name: 'x', dims: ['batch', 3] }], [{ name: 'y', dims: ['batch', 3] }]);

/** What the REST routes answer about `t`'s model: the latest's versions and input names, a version's status, its ready status. */
async function seen(t: TenantBundle, version: number) {
  const latest = await v2(t.url, `/v2/models/${MODEL}`, { token: t.token });
  const pinned = await v2(t.url, `/v2/models/${MODEL}/versions/${version}`, { token: t.token });
  const ready = await v2(t.url, `/v2/models/${MODEL}/versions/${version}/ready`, { token: t.token });
  const graphql = (await gqlOk(t, METADATA, { m: MODEL })).modelMetadata;
  expect([graphql.versions, graphql.inputs.map((i: { name: string }) => i.name)]).toEqual([latest.body.versions, latest.body.inputs.map((i: { name: string }) => i.name)]);
  return {
    versions: latest.body.versions as string[],
    platform: latest.body.platform as string,
    latestInputs: (latest.body.inputs as { name: string }[]).map((i) => i.name),
    latestVersion: graphql.version as number,
    pinned: pinned.status,
    ready: ready.status,
  };
}

beforeAll(async () => {
  app = await startTestApp({ WORKER_ENABLED: 'false' });
  a = await createTenant(app, 'meta-a');
  b = await createTenant(app, 'meta-b');
  await uploadModelOk(a, MODEL, 'mnist-8.onnx');
  await uploadModelOk(b, MODEL, 'mnist-8.onnx');
}, 120_000);
afterAll(() => app.stop());

it('answers repeated metadata calls without reading the version list again', async () => {
  await v2(a.url, `/v2/models/${MODEL}`, { token: a.token }); // cached from here
  const reads = jest.spyOn(ModelRepo.prototype, 'listVersionNumbers');
  try {
    for (let i = 0; i < 5; i++) {
      const r = await v2(a.url, `/v2/models/${MODEL}`, { token: a.token });
      expect([r.status, r.body.versions, r.body.platform]).toEqual([200, ['1'], 'onnx']);
      expect((await v2(a.url, `/v2/models/${MODEL}/versions/1/ready`, { token: a.token })).body).toEqual({ name: MODEL, ready: true });
    }
    expect(reads).not.toHaveBeenCalled();
    // B's first call reads B's list (its own key), once.
    for (let i = 0; i < 3; i++) expect((await v2(b.url, `/v2/models/${MODEL}`, { token: b.token })).body.versions).toEqual(['1']);
    expect(reads).toHaveBeenCalledTimes(1);
  } finally {
    reads.mockRestore();
  }
});

it('lists a published version and drops a deleted one at once, for the tenant that changed it alone', async () => {
  // Both tenants' answers cached.
  expect(await seen(a, 2)).toEqual({ versions: ['1'], platform: 'onnx', latestInputs: ['Input3'], latestVersion: 1, pinned: 404, ready: 404 });
  expect(await seen(b, 2)).toEqual({ versions: ['1'], platform: 'onnx', latestInputs: ['Input3'], latestVersion: 1, pinned: 404, ready: 404 });

  // A publishes version 2: A's next answers list it and resolve "latest" to it; B's do not change.
  expect((await uploadModel(a, MODEL, 'identity.onnx', identity())).errors).toBeUndefined();
  expect(await seen(a, 2)).toEqual({ versions: ['2', '1'], platform: 'onnx', latestInputs: ['x'], latestVersion: 2, pinned: 200, ready: 200 });
  expect(await seen(b, 2)).toEqual({ versions: ['1'], platform: 'onnx', latestInputs: ['Input3'], latestVersion: 1, pinned: 404, ready: 404 });

  // B publishes its own version 2 (the same name, another tenant): B sees it, A's list is A's.
  await uploadModelOk(b, MODEL, 'mnist-8.onnx');
  expect(await seen(b, 2)).toEqual({ versions: ['2', '1'], platform: 'onnx', latestInputs: ['Input3'], latestVersion: 2, pinned: 200, ready: 200 });

  // A deletes version 2: gone from A's next answers (the version's routes 404), B's version 2 stays.
  expect((await gqlOk(a, DELETE, { m: MODEL, v: 2 })).deleteModelVersion).toBe(true);
  expect(await seen(a, 2)).toEqual({ versions: ['1'], platform: 'onnx', latestInputs: ['Input3'], latestVersion: 1, pinned: 404, ready: 404 });
  expect(await seen(b, 2)).toEqual({ versions: ['2', '1'], platform: 'onnx', latestInputs: ['Input3'], latestVersion: 2, pinned: 200, ready: 200 });
  const gone = await v2(a.url, `/v2/models/${MODEL}/versions/2`, { token: a.token });
  expect(gone.body).toEqual({ code: 'NOT_FOUND', error: `Model version '${MODEL}@2' not found` });

  // B deletes its version 1 (not the latest): its list drops it, the latest stays 2.
  expect((await gqlOk(b, DELETE, { m: MODEL, v: 1 })).deleteModelVersion).toBe(true);
  const bLatest = await v2(b.url, `/v2/models/${MODEL}`, { token: b.token });
  expect(bLatest.body.versions).toEqual(['2']);
  expect((await v2(b.url, `/v2/models/${MODEL}/versions/1/ready`, { token: b.token })).status).toBe(404);
  expect((await seen(a, 1)).versions).toEqual(['1']);
});
