/**
 * Functions over data-sized arrays must not spread them as call arguments (`Math.max(...x)`,
 * `push(...xs)`): past a few hundred thousand values the call stack overflows (review finding F4);
 * nor resize an image input larger than predictImage decodes (F2, versions stored before the bound).
 */
import { stratifiedSplit } from '../src/ml/random';
import { ImageDecoder } from '../src/modules/serving/image-decoder';
import { predictOnnxImages, softmax } from '../src/modules/serving/onnx-image-predict';
import type { ServedModel } from '../src/modules/serving/served-model';

it('softmax of a 2,000,000-wide output', () => {
  const x = Array.from({ length: 2_000_000 }, (_, i) => (i === 7 ? 10 : 0));
  const p = softmax(x);
  expect(p).toHaveLength(2_000_000);
  expect(p[7]).toBeCloseTo(Math.exp(10) / (Math.exp(10) + 1_999_999), 12);
  expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
});

it('softmax of small logits is unchanged in value', () => {
  const p = softmax([1, 2, 3]);
  const e = [Math.exp(-2), Math.exp(-1), 1];
  const s = e[0]! + e[1]! + e[2]!;
  expect(p).toEqual(e.map((v) => v / s));
});

it('stratifiedSplit of 1,000,000 rows of one class', () => {
  const split = stratifiedSplit(new Uint8Array(1_000_000), 0.2, 0.25, 1);
  expect(split.test).toHaveLength(200_000);
  expect(split.validation).toHaveLength(200_000);
  expect(split.train).toHaveLength(600_000);
  expect(new Set([...split.train, ...split.validation, ...split.test]).size).toBe(1_000_000);
});

it('predictImage refuses a stored version whose image input takes more pixels than it decodes, before any work', async () => {
  const image = { input: 'x', layout: 'NCHW' as const, height: 8000, width: 8000, channels: 1 as const, resizeShortSide: null, scale: 1, mean: [0], std: [1] };
  const info = {
    format: 'onnx/1' as const,
    sha256: '',
    sizeBytes: 0,
    inputs: [],
    outputs: [],
    notServed: [],
    description: null,
    labels: null,
    labelsOutput: null,
    softmax: false,
    image,
  };
  await expect(
    predictOnnxImages({} as ServedModel, info, ['x'], 1, 262_144, {
      decoder: new ImageDecoder(undefined, { maxCallPixels: 262_144, threads: 1, threadsPerTenant: 1 }),
      tenantId: 't',
    }),
  ).rejects.toMatchObject({
    code: 'BAD_USER_INPUT',
    message: "This ONNX model's image input takes 8000 × 8000 pixels; predictImage serves at most 262144: send tensors (infer)",
  });
});
