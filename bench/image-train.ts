/**
 * CNN training speed, samples/s, for the image bench (bench/image.ts): the same MNIST CNN
 * (conv 3×3×16 → pool → conv 3×3×32 → pool → dense 64 → softmax, batch 32, Adam) trained
 * - by the CONVOLUTIONAL_NETWORK family on the default backend (WASM with our Conv2DBackpropFilter),
 * - in raw TF.js (model.fit on tensors) on WASM with the same kernel, and on the stock cpu backend —
 *   the fastest stock backend that trains conv2d at all (stock WASM lacks the kernel: tfjs#8474;
 *   tfjs-node cannot install here),
 * - in PyTorch on CPU (Debian python3-torch), the anchor, when /usr/bin/python3 imports torch.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'fflate';
import { cnnFamily } from '../src/ml/families/cnn';
import { prepareImages } from '../src/ml/images/prepare';
import { readMnistIdx } from '../src/ml/images/readers';
import { normalizeSpec } from '../src/ml/spec';
import { initBackend, tf } from '../src/ml/tf';
import { sharedDataFile } from '../src/lib/paths';

export const CNN_LAYERS = [
  { type: 'conv2d', filters: 16, kernelSize: 3, padding: 'same', activation: 'relu' },
  { type: 'max_pooling2d', poolSize: 2 },
  { type: 'conv2d', filters: 32, kernelSize: 3, padding: 'same', activation: 'relu' },
  { type: 'max_pooling2d', poolSize: 2 },
  { type: 'flatten' },
  { type: 'dense', units: 64, activation: 'relu' },
  { type: 'dense', units: 10, activation: 'softmax' },
] as const;

/** The MNIST test images from the shared data. */
export function mnist() {
  const read = (f: string) => fs.readFileSync(sharedDataFile('mnist', f));
  return readMnistIdx(read('t10k-images-idx3-ubyte.gz'), read('t10k-labels-idx1-ubyte.gz'));
}

/** Our family's fit: samples/s of the second epoch (the first includes kernel set-up). */
async function familySamplesPerSec(images: number): Promise<number> {
  const spec = normalizeSpec({ model: 'convolutional_network', layers: CNN_LAYERS.map((l) => ({ ...l })), epochs: 2, batchSize: 32, testFraction: 0, orderedSplit: true });
  const set = mnist();
  const data = prepareImages({ ...set, count: images, pixels: set.pixels.subarray(0, images * 784), labels: set.labels.subarray(0, images) }, spec);
  const fitted = await cnnFamily.fit(data, spec, { onEpoch: async () => undefined });
  fitted.scorer.dispose();
  return images / (fitted.epochs[1]!.elapsedMs / 1000);
}

/** Raw TF.js: tf.sequential + model.fit on the active backend; samples/s of the last of `epochs`. */
async function rawSamplesPerSec(images: number, epochs: number): Promise<number> {
  const set = mnist();
  const model = tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 16, kernelSize: 3, padding: 'same', activation: 'relu' }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.conv2d({ filters: 32, kernelSize: 3, padding: 'same', activation: 'relu' }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 64, activation: 'relu' }),
      tf.layers.dense({ units: 10, activation: 'softmax' }),
    ],
  });
  model.compile({ optimizer: tf.train.adam(0.001), loss: 'sparseCategoricalCrossentropy' });
  const x = tf.tensor4d(
    Float32Array.from(set.pixels.subarray(0, images * 784), (v) => v / 255),
    [images, 28, 28, 1],
  );
  const y = tf.tensor2d(Float32Array.from(set.labels.subarray(0, images)), [images, 1]);
  let last = 0;
  for (let e = 0; e < epochs; e++) {
    const t0 = performance.now();
    await model.fit(x, y, { epochs: 1, batchSize: 32, shuffle: false, verbose: 0 });
    last = performance.now() - t0;
  }
  x.dispose();
  y.dispose();
  model.optimizer.dispose();
  model.dispose();
  return images / (last / 1000);
}

const PYTORCH = `
import sys, time, gzip, numpy as np, torch, torch.nn as nn
torch.set_num_threads(int(sys.argv[3]))
n = int(sys.argv[2])
raw = np.frombuffer(open(sys.argv[1], 'rb').read(), dtype=np.uint8)
x = torch.tensor(raw[16:16 + n * 784].reshape(n, 1, 28, 28).astype(np.float32) / 255)
y = torch.tensor(np.frombuffer(open(sys.argv[4], 'rb').read(), dtype=np.uint8)[8:8 + n].astype(np.int64))
torch.manual_seed(42)
m = nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                  nn.Flatten(), nn.Linear(32 * 7 * 7, 64), nn.ReLU(), nn.Linear(64, 10))
opt = torch.optim.Adam(m.parameters(), 1e-3); loss = nn.CrossEntropyLoss()
for epoch in range(2):
    t0 = time.perf_counter()
    for i in range(0, n, 32):
        opt.zero_grad(); l = loss(m(x[i:i+32]), y[i:i+32]); l.backward(); opt.step()
    dt = time.perf_counter() - t0
print(torch.__version__, n / dt)
`;

/** PyTorch on CPU, samples/s of the second epoch; null (with a reason) when torch is absent. */
function pytorchSamplesPerSec(images: number, threads: number): { version: string; samplesPerSec: number } | { missing: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'maas-torch-'));
  try {
    const write = (name: string, gz: string) => {
      const file = path.join(dir, name);
      fs.writeFileSync(file, gunzipSync(fs.readFileSync(sharedDataFile('mnist', gz))));
      return file;
    };
    const imagesFile = write('images', 't10k-images-idx3-ubyte.gz');
    const labelsFile = write('labels', 't10k-labels-idx1-ubyte.gz');
    const script = path.join(dir, 'cnn.py');
    fs.writeFileSync(script, PYTORCH);
    const r = spawnSync('/usr/bin/python3', [script, imagesFile, String(images), String(threads), labelsFile], { encoding: 'utf8', timeout: 600_000 });
    if (r.status !== 0)
      return {
        missing: /No module named 'torch'/.test(r.stderr) ? 'python3-torch is not installed (apt-get install -y python3-torch)' : (r.stderr || r.error?.message || '').slice(-300),
      };
    const [version, rate] = r.stdout.trim().split(/\s+/);
    return { version: version!, samplesPerSec: Number(rate) };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Markdown lines: samples/s side by side, with ratios. */
export async function trainingLines(): Promise<string[]> {
  const backend = await initBackend();
  const IMAGES = 2000;
  const ours = await familySamplesPerSec(IMAGES);
  const rawWasm = await rawSamplesPerSec(IMAGES, 2);
  await tf.setBackend('cpu');
  const rawCpu = await rawSamplesPerSec(64, 1); // ~6 samples/s: a small sample is enough
  await tf.setBackend(backend);
  const torch1 = pytorchSamplesPerSec(IMAGES, 1);
  const torchAll = pytorchSamplesPerSec(IMAGES, os.cpus().length);
  const lines = [
    `MNIST CNN (conv 3×3×16 → pool → conv 3×3×32 → pool → dense 64 → softmax; 105,866 weights), batch 32, Adam; samples/s of a warm epoch (${IMAGES} images; the stock cpu backend: 64).`,
    '',
    '| trainer | samples/s | ours / this |',
    '|---|---|---|',
    `| CONVOLUTIONAL_NETWORK family, default backend '${backend}' (our Conv2DBackpropFilter kernel) | **${Math.round(ours)}** | 1.00× |`,
    `| raw TF.js \`model.fit\`, '${backend}' with the same kernel | ${Math.round(rawWasm)} | ${(ours / rawWasm).toFixed(2)}× |`,
    `| raw TF.js \`model.fit\`, stock 'cpu' backend (the fastest stock backend that trains conv2d here: stock wasm lacks Conv2DBackpropFilter, tfjs-node cannot install) | ${rawCpu.toFixed(1)} | ${(ours / rawCpu).toFixed(0)}× |`,
  ];
  for (const [label, r] of [
    ['1 thread', torch1],
    [`${os.cpus().length} threads`, torchAll],
  ] as const) {
    if ('missing' in r) {
      lines.push(`| PyTorch on CPU (${label}) | skipped: ${r.missing} | |`);
      console.error(`[bench] PyTorch anchor skipped: ${r.missing}`);
    } else lines.push(`| PyTorch ${r.version} on CPU (${label}, Debian python3-torch), anchor | ${Math.round(r.samplesPerSec)} | ${(ours / r.samplesPerSec).toFixed(2)}× |`);
  }
  return lines;
}
