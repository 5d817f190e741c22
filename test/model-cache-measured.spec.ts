/**
 * The model cache weighs a loaded version by what loading it measured (issue 12: "loaded into the
 * model cache under its memory budget (measured bytes)"), not by its file size: for uploaded ONNX
 * models the growth of the ONNX host's RSS while the session opened (onnx/host/protocol.ts
 * `LoadedInHost`), shown by `modelMetadata { loadedBytes measuredBytes }`; and a budget that the
 * files would fit in evicts by the measured figures.
 */
import type { App } from '../src/app';
import { gqlOk } from '../src/client/graphql-client';
import { startTestApp } from './support/app';
import { createTenant, type TenantBundle } from './support/factories';
import { modelFile, uploadModelOk } from './support/onnx-uploads';

/** Loaded in this order: the first two fit the budget; ShuffleNet's measured cost does not. */
const MODELS = [
  ['mnist', 'mnist-8.onnx'],
  ['superres', 'super-resolution-10.onnx'],
  ['shufflenet', 'shufflenet-v2-12-int8.onnx'],
] as const;
/** 4 MiB: more than the three files (≈2.6 MB), less than ShuffleNet's measured cost (≈2.3 MB file + ≈6.5 MB in its host). */
const BUDGET = 4 * 1024 * 1024;
const METADATA = 'query($m: String!) { modelMetadata(model: $m) { modelVersionId loadedBytes measuredBytes } }';

let app: App;
let t: TenantBundle;
const figures: Record<string, { id: string; file: number; loaded: number; measured: number }> = {};

beforeAll(async () => {
  app = await startTestApp({ MODEL_CACHE_BYTES: String(BUDGET), MODEL_CACHE_TENANT_SHARE: '1' });
  t = await createTenant(app, 'measured');
  for (const [name, file] of MODELS) await uploadModelOk(t, name, file);
}, 120_000);
afterAll(() => app.stop());

it('measures what each model costs its ONNX host; the budget evicts by that, where file sizes would fit', async () => {
  for (const [name, file] of MODELS) {
    const m = (await gqlOk(t, METADATA, { m: name })).modelMetadata;
    const size = modelFile(file).length;
    figures[name] = { id: m.modelVersionId, file: size, loaded: m.loadedBytes, measured: m.measuredBytes };
    expect(m.measuredBytes).toBeGreaterThanOrEqual(0);
    // The stored artifact (file + pipeline JSON) is counted beside the measured figure.
    expect(m.loadedBytes).toBeGreaterThan(size + m.measuredBytes);
    expect(app.services.modelCache.has(m.modelVersionId)).toBe(true);
  }
  console.log(
    `measured ONNX host memory at load vs file size:\n${Object.entries(figures)
      .map(
        ([n, f]) =>
          `${n}: measured ${(f.measured / 1024).toFixed(0)} KiB, file ${(f.file / 1024).toFixed(0)} KiB (${(f.measured / f.file).toFixed(2)}×), weighed ${(f.loaded / 1024).toFixed(0)} KiB`,
      )
      .join('\n')}`,
  );
  const { mnist, superres, shufflenet } = figures as Record<string, (typeof figures)[string]>;
  // Weighed by file (plus pipeline) size, all three would fit the budget …
  expect(mnist!.loaded - mnist!.measured + superres!.loaded - superres!.measured + shufflenet!.loaded - shufflenet!.measured).toBeLessThan(BUDGET);
  // … and the first two still do with their measured cost, but ShuffleNet's measured cost alone passes it.
  expect(mnist!.loaded + superres!.loaded).toBeLessThan(BUDGET);
  expect(shufflenet!.loaded).toBeGreaterThan(BUDGET);
  // So loading ShuffleNet evicted the two others (the version just loaded stays, even over the budget).
  expect([app.services.modelCache.has(mnist!.id), app.services.modelCache.has(superres!.id), app.services.modelCache.has(shufflenet!.id)]).toEqual([false, false, true]);
  expect(app.services.modelCache.snapshot()).toMatchObject({ entries: 1, bytes: shufflenet!.loaded });
});
