/**
 * ONNX model uploads through the GraphQL multipart request (`uploadModelVersion`), the real models
 * of the shared data (onnx-models/, read from there, not copied) and the first MNIST test images,
 * for the specs that upload and serve them (onnx-models.spec.ts, onnx-v2.spec.ts).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { gunzipSync } from 'fflate';
import type { Caller, GqlResult } from '../../src/client/graphql-client';
import { sharedDataFile } from '../../src/lib/paths';
import type { NamedTensor } from '../../src/ml/tensor-io';

/** The ModelVersion fields an upload answers with. */
export const VERSION_FIELDS = `id version task framework trainingRunId target { name task }
  onnx { sha256 sizeBytes description inputs { name datatype shape dimNames batchDimension } outputs { name datatype shape batchDimension }
         notServed { name reason } labelsOutput softmax image { input layout height width channels resizeShortSide scale mean std } }`;

/** The bytes of a model file of the shared data's onnx-models/. */
export const modelFile = (name: string) => fs.readFileSync(sharedDataFile('onnx-models', name));

/** uploadModelVersion through the GraphQL multipart request. */
export async function uploadModel(t: Caller, model: string, filename: string, bytes: Buffer, metadata?: object): Promise<GqlResult> {
  const form = new FormData();
  form.append(
    'operations',
    JSON.stringify({
      query: `mutation($model: String!, $file: Upload, $metadata: OnnxMetadataInput) { uploadModelVersion(model: $model, file: $file, metadata: $metadata) { ${VERSION_FIELDS} } }`,
      variables: { model, file: null, metadata: metadata ?? null },
    }),
  );
  form.append('map', JSON.stringify({ 0: ['variables.file'] }));
  form.append('0', new Blob([new Uint8Array(bytes)]), filename);
  const res = await fetch(t.url, { method: 'POST', headers: { authorization: `Bearer ${t.token}`, 'apollo-require-preflight': 'true' }, body: form });
  return (await res.json()) as GqlResult;
}

/** Uploads the shared data's `filename` as a new version of `model`; throws on errors. */
export async function uploadModelOk(t: Caller, model: string, filename: string, metadata?: object): Promise<Record<string, any>> {
  const r = await uploadModel(t, model, filename, modelFile(filename), metadata);
  if (r.errors) throw new Error(JSON.stringify(r.errors));
  return r.data!.uploadModelVersion;
}

/** The first `count` MNIST test images (784 raw 0-255 pixels each) and their labels, from the idx files. */
export function mnistTestImages(count: number): { pixels: (i: number) => Uint8Array; label: (i: number) => number } {
  const images = gunzipSync(fs.readFileSync(sharedDataFile('mnist', 't10k-images-idx3-ubyte.gz')));
  const labels = gunzipSync(fs.readFileSync(sharedDataFile('mnist', 't10k-labels-idx1-ubyte.gz')));
  if (count > 10_000) throw new Error('The MNIST test split has 10,000 images');
  return { pixels: (i) => images.subarray(16 + i * 784, 16 + (i + 1) * 784), label: (i) => labels[8 + i]! };
}

/** MNIST test image `i` (of `images`) as mnist-8's one input, `Input3` of shape [1, 1, 28, 28], raw 0–255 pixels. */
export const mnistDigitInput = (images: ReturnType<typeof mnistTestImages>, i: number) => [
  { name: 'Input3', datatype: 'FP32', shape: [1, 1, 28, 28], data: [...images.pixels(i)] },
];

/** The ONNX host child processes of this test process (their command line names `host-main`), one `pid args` line each. */
export const onnxHostProcesses = (): string[] =>
  execFileSync('ps', ['-ww', '-o', 'pid=,args=', '--ppid', String(process.pid)], { encoding: 'utf8' })
    .split('\n')
    .filter((l) => /host-main/.test(l));

/** Index of the largest score. */
export const argmax = (scores: ArrayLike<number>): number => {
  let best = 0;
  for (let i = 1; i < scores.length; i++) if (scores[i]! > scores[best]!) best = i;
  return best;
};

/** A Titanic passenger, as the scikit-learn pipeline's five inputs take it. */
export interface Passenger {
  pclass: number;
  sex: string;
  age: number;
  fare: number;
  embarked: string;
}

/** The Titanic pipeline's inputs for `rows`: one `[rows, 1]` tensor per column (INT64, BYTES, FP32). */
export function titanicTensors(rows: Passenger[]): NamedTensor[] {
  const col = (name: string, datatype: NamedTensor['datatype'], data: NamedTensor['data']) => ({ name, datatype, shape: [rows.length, 1], data });
  return [
    col(
      'pclass',
      'INT64',
      rows.map((r) => r.pclass),
    ),
    col(
      'sex',
      'BYTES',
      rows.map((r) => r.sex),
    ),
    col(
      'age',
      'FP32',
      rows.map((r) => r.age),
    ),
    col(
      'fare',
      'FP32',
      rows.map((r) => r.fare),
    ),
    col(
      'embarked',
      'BYTES',
      rows.map((r) => r.embarked),
    ),
  ];
}
