/**
 * Tabular training against PyTorch on one CPU thread (issue 15): training samples per CPU-second
 * (process CPU time, so a loaded shared machine skews the ratios less than wall time) on the Pima
 * data (data/pima-diabetes.csv, 768 rows, 8 standardised inputs), batch 32, Adam (lr 0.001), binary
 * cross-entropy, for
 * - the seed model: Dense(10, relu, input_dim=8) → Dense(1, sigmoid),
 * - a 3×256 relu MLP: Dense(256) ×3 → Dense(1, sigmoid),
 * trained by the NEURAL_NETWORK family (the platform's path: `trainNetwork`, as the workers run it
 * on the default backend), by raw `model.fit` on the same compiled network, by the family with the
 * stock WASM BatchMatMul (src/ml/tfjs-kernels/matmul-transposed.ts off), and by PyTorch with
 * `torch.set_num_threads(1)` (Debian python3-torch, a persistent child process), taking turns in
 * the same rounds so the ratios hold on a shared machine. Each figure is the median of the rounds;
 * each round trains a fresh network for one warm-up epoch plus the measured ones.
 * `BENCH_ONLY=tabular-train` runs it alone; BENCH_TABULAR_ROUNDS sets the rounds (Default: 3);
 * BENCH_TORCH_BLAS_DIR adds PyTorch on another BLAS (Debian's python3-torch calls the reference
 * libblas3 unless an optimised one is installed; its row says which library it loaded).
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { parseCsv } from '../src/ml/data/csv';
import { networkFamily } from '../src/ml/families/network';
import { buildNetwork } from '../src/ml/families/network/build';
import { prepareData, type PreparedData } from '../src/ml/prepare';
import { normalizeSpec } from '../src/ml/spec';
import type { TrainingSpec } from '../src/ml/spec-types';
import { initBackend, tf } from '../src/ml/tf';
import { useExplicitTranspose } from '../src/ml/tfjs-kernels/matmul-transposed';
import { projectRoot } from '../src/lib/paths';

const CSV = path.join(projectRoot(), 'data', 'pima-diabetes.csv');

/** The two networks, the epochs measured per round for each (about a second of training each). */
const MODELS = {
  seed: { label: 'seed model 8-10-1', hidden: [10], epochs: 20 },
  mlp: { label: '3×256 relu MLP', hidden: [256, 256, 256], epochs: 3 },
} as const;
type ModelName = keyof typeof MODELS;

const specOf = (name: ModelName, epochs: number): TrainingSpec =>
  normalizeSpec({
    model: 'neural_network',
    layers: [
      ...MODELS[name].hidden.map((units, i) => ({ type: 'dense' as const, units, activation: 'relu' as const, ...(i === 0 ? { inputDim: 8 } : {}) })),
      { type: 'dense' as const, units: 1, activation: 'sigmoid' as const },
    ],
    loss: 'binary_crossentropy',
    optimizer: { name: 'adam', learningRate: 0.001 },
    metrics: ['accuracy'],
    epochs,
    batchSize: 32,
    testFraction: 0,
    orderedSplit: true,
  });

const prepared = (spec: TrainingSpec): PreparedData => prepareData(parseCsv(fs.readFileSync(CSV, 'utf8')), { target: 'Outcome' }, spec);

/** CPU seconds this process has used (user + system, every thread). */
const cpuSeconds = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

/** The family's fit (trainNetwork): samples per CPU-second over the epochs after the first, read at its epoch ends. */
async function familyRate(name: ModelName): Promise<number> {
  const spec = specOf(name, MODELS[name].epochs + 1);
  const data = prepared(spec);
  const ends: number[] = [];
  const fitted = await networkFamily.fit(data, spec, { onEpoch: async () => void ends.push(cpuSeconds()) });
  fitted.scorer.dispose();
  return (data.train.rows * MODELS[name].epochs) / (ends.at(-1)! - ends[0]!);
}

/** Raw `model.fit` on the family's compiled network and tensors: one warm-up epoch, then the measured ones in one call. */
async function rawFitRate(name: ModelName): Promise<number> {
  const spec = specOf(name, 1);
  const data = prepared(spec);
  const model = buildNetwork(spec, data.inputNames.length, data.outputUnits);
  const x = tf.tensor2d(data.train.x, [data.train.rows, data.inputNames.length]);
  const y = tf.tensor2d(data.train.y, [data.train.rows, 1]);
  try {
    await model.fit(x, y, { epochs: 1, batchSize: 32, shuffle: true, verbose: 0 });
    const started = cpuSeconds();
    await model.fit(x, y, { epochs: MODELS[name].epochs, batchSize: 32, shuffle: true, verbose: 0 });
    return (data.train.rows * MODELS[name].epochs) / (cpuSeconds() - started);
  } finally {
    x.dispose();
    y.dispose();
    model.optimizer.dispose();
    model.dispose();
  }
}

/** PyTorch: reads `<seed|mlp> <epochs>` lines, answers samples per CPU-second of the epochs after one warm-up. */
const PYTORCH = `
import sys, time
import numpy as np, torch, torch.nn as nn
torch.set_num_threads(1)
d = np.loadtxt(sys.argv[1], delimiter=',', skiprows=1, dtype=np.float32)
x = d[:, :8]
X = torch.tensor((x - x.mean(0)) / x.std(0)); Y = torch.tensor(d[:, 8:9]); n = X.shape[0]
blas = next((f for f in (l.split()[-1] for l in open('/proc/self/maps')) if 'blas' in f.rsplit('/', 1)[-1].lower()), 'none')
g = torch.Generator().manual_seed(7)
print('ready', torch.__version__, blas, flush=True)
for line in sys.stdin:
    kind, epochs = line.split(); epochs = int(epochs)
    torch.manual_seed(42)
    sizes = [8, 10] if kind == 'seed' else [8, 256, 256, 256]
    layers = []
    for a, b in zip(sizes, sizes[1:]): layers += [nn.Linear(a, b), nn.ReLU()]
    m = nn.Sequential(*layers, nn.Linear(sizes[-1], 1), nn.Sigmoid())
    opt = torch.optim.Adam(m.parameters(), 1e-3); loss = nn.BCELoss()
    def epoch():
        p = torch.randperm(n, generator=g); xs = X[p]; ys = Y[p]; total = 0.0
        for i in range(0, n, 32):
            opt.zero_grad(); l = loss(m(xs[i:i+32]), ys[i:i+32]); l.backward(); opt.step(); total += l.item()
        return total
    epoch()
    t = time.process_time()
    for _ in range(epochs): epoch()
    print(n * epochs / (time.process_time() - t), flush=True)
`;

/** The PyTorch anchor as a child process taking turns with TF.js, or why it is absent. */
interface Torch {
  version: string;
  blas: string;
  rate(name: ModelName): Promise<number>;
  close(): void;
}

/**
 * Starts the anchor's process; `blasDir` (a folder holding another libblas.so.3, e.g. OpenBLAS
 * unpacked from Debian's libopenblas0-pthread) goes first on its LD_LIBRARY_PATH.
 */
async function startTorch(blasDir?: string): Promise<Torch | { missing: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'maas-torch-'));
  const script = path.join(dir, 'tabular.py');
  fs.writeFileSync(script, PYTORCH);
  let child: ChildProcessWithoutNullStreams;
  try {
    const env = blasDir ? { ...process.env, LD_LIBRARY_PATH: [blasDir, process.env.LD_LIBRARY_PATH].filter(Boolean).join(':'), OPENBLAS_NUM_THREADS: '1' } : process.env;
    child = spawn('/usr/bin/python3', [script, CSV], { env });
  } catch (err) {
    return { missing: (err as Error).message };
  }
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += String(d)));
  // A missing /usr/bin/python3 is an 'error' event (ENOENT), then stdout closes.
  child.on('error', (err) => (stderr += err.message));
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async () => {
    const r = await lines.next();
    if (r.done) throw new Error(stderr.slice(-300) || 'python3 exited');
    return r.value;
  };
  try {
    const [, version, blas] = (await next()).split(' ');
    return {
      version: version!,
      blas: path.basename(path.dirname(blas!)) === 'blas' ? 'reference BLAS, libblas3' : path.basename(blas!),
      rate: async (name) => (child.stdin.write(`${name} ${MODELS[name].epochs}\n`), Number(await next())),
      close: () => (child.stdin.end(), fs.rmSync(dir, { recursive: true, force: true })),
    };
  } catch (err) {
    child.kill();
    fs.rmSync(dir, { recursive: true, force: true });
    const message = (err as Error).message;
    return { missing: /No module named 'torch'|ENOENT/.test(message) ? 'python3-torch not installed' : message };
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/**
 * Markdown lines: per model, samples per CPU-second of each trainer (median of the rounds) and the ratio to
 * PyTorch; "anchor skipped: python3-torch not installed" when /usr/bin/python3 cannot import torch.
 */
export async function runTabularTrainBench(rounds = Number(process.env.BENCH_TABULAR_ROUNDS ?? 3)): Promise<TabularTrainResult> {
  const backend = await initBackend();
  const torch = await startTorch();
  if ('missing' in torch) console.error(`[bench] anchor skipped: ${torch.missing}`);
  // BENCH_TORCH_BLAS_DIR: a second PyTorch process on another BLAS (Debian's default libblas3 is the reference one).
  const otherBlas = process.env.BENCH_TORCH_BLAS_DIR && !('missing' in torch) ? await startTorch(process.env.BENCH_TORCH_BLAS_DIR) : undefined;
  const trainers: Record<string, (name: ModelName) => Promise<number>> = {
    [`NEURAL_NETWORK family (trainNetwork), '${backend}'`]: familyRate,
    [`raw TF.js \`model.fit\`, '${backend}'`]: rawFitRate,
    [`family with the stock WASM BatchMatMul`]: async (name) => {
      useExplicitTranspose(false);
      try {
        return await familyRate(name);
      } finally {
        useExplicitTranspose(true);
      }
    },
  };
  if (otherBlas && !('missing' in otherBlas)) trainers[`PyTorch ${otherBlas.version}, 1 thread (${otherBlas.blas})`] = otherBlas.rate;
  if (!('missing' in torch)) trainers[`PyTorch ${torch.version}, 1 thread (${torch.blas}), anchor`] = torch.rate;
  const figures: Record<string, Record<string, number[]>> = {};
  try {
    for (let round = 0; round < rounds; round++) {
      for (const name of Object.keys(MODELS) as ModelName[]) {
        console.error(`[bench] tabular training, round ${round + 1} of ${rounds}: ${name}`);
        for (const [label, rate] of Object.entries(trainers)) ((figures[name] ??= {})[label] ??= []).push(await rate(name));
      }
    }
  } finally {
    for (const t of [torch, otherBlas]) if (t && !('missing' in t)) t.close();
  }
  const lines = [
    `Pima (768 rows, 8 standardised inputs), batch 32, Adam, binary cross-entropy; training samples per CPU-second (the process' user + system time, every thread: steadier than wall time on a shared machine), median of ${rounds} interleaved rounds (load average ${os.loadavg()[0].toFixed(1)} at the end).`,
    '',
  ];
  const vsTorch: Partial<Record<ModelName, number>> = {};
  for (const name of Object.keys(MODELS) as ModelName[]) {
    const ours = median(figures[name]![Object.keys(trainers)[0]!]!);
    const anchor = 'missing' in torch ? undefined : median(figures[name]![Object.keys(trainers).at(-1)!]!);
    if (anchor) vsTorch[name] = ours / anchor;
    lines.push(`${MODELS[name].label}, ${MODELS[name].epochs} epochs per round:`, '', '| trainer | samples per CPU-s | ÷ PyTorch |', '|---|---|---|');
    for (const label of Object.keys(trainers)) {
      const rate = median(figures[name]![label]!);
      lines.push(`| ${label} | ${label === Object.keys(trainers)[0] ? `**${Math.round(rate)}**` : Math.round(rate)} | ${anchor ? `${(rate / anchor).toFixed(2)}×` : '–'} |`);
    }
    if (!anchor) lines.push('| PyTorch | anchor skipped: python3-torch not installed | |');
    const other = otherBlas && !('missing' in otherBlas) ? median(figures[name]![Object.keys(trainers).at(-2)!]!) : undefined;
    const onOther = other && otherBlas && !('missing' in otherBlas) ? `; ÷ PyTorch on ${otherBlas.blas}: **${(ours / other).toFixed(2)}×**` : '';
    lines.push('', `Ours ÷ PyTorch: ${anchor ? `**${(ours / anchor).toFixed(2)}×**${onOther}` : 'anchor skipped: python3-torch not installed'}.`, '');
  }
  return { lines, vsTorch };
}

/** The tabular training bench's table (markdown lines) and, per model, our training samples per CPU-second ÷ PyTorch's (absent without python3-torch). */
export interface TabularTrainResult {
  lines: string[];
  vsTorch: Partial<Record<ModelName, number>>;
}
