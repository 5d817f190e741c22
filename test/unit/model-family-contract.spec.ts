/**
 * The model-family contract (as scikit-learn's check_estimator): every family in the registry,
 * for every task it trains, must
 * - refuse a bad spec with a coded error (BAD_USER_INPUT), fields of other families included;
 * - fit, then give the same outputs from its stored artifact as from the in-memory model;
 * - leave no tensor behind;
 * - stop a fit when its signal is aborted;
 * - refuse inputs of the wrong shape with a coded error;
 * - estimate its run time (src/ml/run-time.ts), growing with the rows.
 * A new family registered in src/ml/families/registry.ts is checked here with no new test code.
 * An upload-only family (`trainable: false`, uploaded ONNX models) must refuse every spec with
 * BAD_USER_INPUT and a fit with NOT_SUPPORTED; its serving is tested on real models elsewhere.
 */
import { AppError } from '../../src/lib/errors';
import { parseCsv } from '../../src/ml/data/csv';
import type { ModelFamily, StopSignal } from '../../src/ml/families/model-family';
import { FAMILIES } from '../../src/ml/families/registry';
import { prepareImages } from '../../src/ml/images/prepare';
import { prepareData, type PreparedData } from '../../src/ml/prepare';
import { prepareInteractions } from '../../src/ml/prepare-interactions';
import { rng } from '../../src/ml/random';
import { normalizeSpec, type Task } from '../../src/ml/spec';
import { initBackend, tf } from '../../src/ml/tf';

/** 240 rows: two informative inputs, one noise input; a binary, a 3-class and a numeric target. */
function table() {
  const r = rng(11);
  const lines = ['a,b,noise,bin,multi,value'];
  for (let i = 0; i < 240; i++) {
    const [a, b, n] = [r(), r(), r()];
    lines.push(`${a},${b},${n},${a + b > 1 ? 'yes' : 'no'},${a > 0.66 ? 'hi' : a > 0.33 ? 'mid' : 'lo'},${3 * a - b + 0.1 * n}`);
  }
  return parseCsv(lines.join('\n'));
}

/**
 * The same rows for families that read token sequences (inputFormats 'tokens'): one text column
 * whose words carry a and b in five buckets each, plus a noise word.
 */
function textTable() {
  const r = rng(11);
  const lines = ['text,bin,multi,value'];
  for (let i = 0; i < 240; i++) {
    const [a, b, n] = [r(), r(), r()];
    const words = `a${Math.floor(a * 5)} b${Math.floor(b * 5)} n${Math.floor(n * 5)}`;
    lines.push(`${words},${a + b > 1 ? 'yes' : 'no'},${a > 0.66 ? 'hi' : a > 0.33 ? 'mid' : 'lo'},${3 * a - b + 0.1 * n}`);
  }
  return parseCsv(lines.join('\n'));
}

const readsTokens = (family: ModelFamily) => !family.inputFormats.includes('tabular') && family.inputFormats.includes('tokens');

const TARGET: Record<Task, string> = { binary: 'bin', multiclass: 'multi', regression: 'value' };
const OUTPUTS: Record<Task, number> = { binary: 1, multiclass: 3, regression: 1 };
const TASKS: Task[] = ['binary', 'multiclass', 'regression'];

const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    return err instanceof AppError ? err.code : `not an AppError: ${(err as Error).message}`;
  }
  return 'no error';
};

// --- Interactions families (recommenders): ratings of 30 users × 20 items from two taste groups. ---
const interactions = (family: ModelFamily) => family.inputFormats.includes('interactions');

/** 400 (user, item, rating) rows: users and items in two groups; same group rates 4-5, the other 1-2. */
function ratingsTable() {
  const r = rng(12);
  const lines = ['user,item,rating'];
  for (let n = 0; n < 400; n++) {
    const [u, i] = [Math.floor(r() * 30), Math.floor(r() * 20)];
    lines.push(`u${u},i${i},${(u % 2 === i % 2 ? 4 : 1) + Math.round(r())}`);
  }
  return parseCsv(lines.join('\n'));
}

/** 240 8×8 grayscale images of 3 classes: a bright bar at the top, the middle or the bottom, with noise. */
function images() {
  const r = rng(12);
  const [count, side] = [240, 8];
  const pixels = new Uint8Array(count * side * side);
  const labels = new Uint16Array(count);
  for (let i = 0; i < count; i++) {
    labels[i] = i % 3;
    for (let p = 0; p < side * side; p++) {
      const row = Math.floor(p / side);
      pixels[i * side * side + p] = Math.floor(r() * 60) + (Math.floor(row / 3) === labels[i] ? 180 : 0);
    }
  }
  return { count, height: side, width: side, channels: 1, pixels, labels, classes: ['bottom', 'middle', 'top'] };
}

const takesImages = (family: ModelFamily) => !family.inputFormats.includes('tabular') && family.inputFormats.includes('image');
/** The tasks a family is checked on: recommenders predict ratings only, image families classify (several classes). */
const tasksOf = (family: ModelFamily): Task[] => (interactions(family) ? ['regression'] : takesImages(family) ? ['multiclass'] : TASKS);
/** The task the single-task checks use. */
const mainTask = (family: ModelFamily): Task => tasksOf(family)[0]!;

function prepared(family: ModelFamily, task: Task, extra: object = {}): { data: PreparedData; spec: ReturnType<typeof normalizeSpec> } {
  const spec = normalizeSpec({ ...family.exampleSpec(task, OUTPUTS[task]), seed: 3, ...extra });
  if (interactions(family)) return { data: prepareInteractions(ratingsTable(), { target: 'rating' }, spec), spec };
  if (takesImages(family)) return { data: prepareImages(images(), spec), spec };
  const data = readsTokens(family)
    ? prepareData(textTable(), { target: TARGET[task], features: ['text'] }, spec)
    : prepareData(table(), { target: TARGET[task], features: ['a', 'b', 'noise'] }, spec);
  return { data, spec };
}

const width = (data: PreparedData) => data.inputShape.reduce((a, b) => a * b, 1);

const never: StopSignal = { aborted: false };

beforeAll(() => initBackend());

const trainable = Object.values(FAMILIES).filter((f) => f.trainable !== false);
const uploadOnly = Object.values(FAMILIES).filter((f) => f.trainable === false);

describe.each(uploadOnly.map((f) => [f.kind, f] as const))('%s (upload only)', (_kind, family: ModelFamily) => {
  it('refuses every spec with BAD_USER_INPUT and a fit with NOT_SUPPORTED', async () => {
    expect(codeOf(() => normalizeSpec(family.exampleSpec('multiclass', 3)))).toBe('BAD_USER_INPUT');
    const { data, spec } = prepared(trainable[0]!, 'binary');
    await expect(family.fit(data, spec, { onEpoch: async () => undefined })).rejects.toMatchObject({ code: 'NOT_SUPPORTED' });
  });
});

describe.each(trainable.map((f) => [f.kind, f] as const))('%s', (_kind, family: ModelFamily) => {
  it('refuses bad specs with BAD_USER_INPUT, fields of other families included', () => {
    const task = mainTask(family);
    const example = family.exampleSpec(task, OUTPUTS[task]);
    expect(codeOf(() => normalizeSpec(example))).toBe('no error');
    expect(codeOf(() => normalizeSpec({ ...example, seed: -1 }))).toBe('BAD_USER_INPUT');
    // Each family takes either layers or tree options: the other one is refused, not ignored.
    const foreign = example.layers?.length ? { tree: { maxDepth: 3 } } : { layers: [{ type: 'dense' as const, units: 1 }] };
    expect(codeOf(() => normalizeSpec({ ...example, ...foreign }))).toBe('BAD_USER_INPUT');
    // A run too large for the server: TF.js families pass the tenant's cost limits (QUOTA_EXCEEDED), trees their fixed work bound.
    const shape = takesImages(family) ? { inputShape: [8, 8, 1], inputs: 64, outputs: 3 } : { inputs: 3, outputs: 1 };
    const columns = readsTokens(family) ? 1 : 3;
    expect(codeOf(() => family.checkData(normalizeSpec(example), { ...shape, featureColumns: columns, rows: 1e12 }))).toBe(
      family.framework.startsWith('tfjs') || family.kind === 'convolutional_network' ? 'QUOTA_EXCEEDED' : 'BAD_USER_INPUT',
    );
  });

  it('estimates its run time (startTrainingRun refuses past twice the time limit), more for more rows', () => {
    const task = mainTask(family);
    const spec = normalizeSpec(family.exampleSpec(task, OUTPUTS[task]));
    const shape = takesImages(family) ? { inputShape: [8, 8, 1], inputs: 64, outputs: 3 } : { inputs: 3, outputs: 1 };
    const at = (rows: number) => family.estimateRunTime!(spec, { ...shape, featureColumns: readsTokens(family) ? 1 : 3, rows }).seconds;
    expect(at(240)).toBeGreaterThan(0);
    expect(at(240)).toBeLessThan(5); // the example spec trains in well under a second
    expect(at(1e7)).toBeGreaterThan(at(240));
  });

  it.each(tasksOf(family))('%s: the stored artifact scores as the fitted model, and no tensor is left', async (task) => {
    const { data, spec } = prepared(family, task);
    const before = tf.memory().numTensors;
    const epochs: number[] = [];
    const fitted = await family.fit(data, spec, { onEpoch: async (e) => void epochs.push(e.epoch), signal: never });
    expect(fitted.epochs.map((e) => e.epoch)).toEqual(epochs);
    expect(epochs.length).toBeGreaterThanOrEqual(1);
    const live = fitted.scorer.score(data.test.x, data.test.rows);
    expect(live).toHaveLength(data.test.rows * OUTPUTS[task]);
    expect(fitted.scorer.inputShape).toEqual(data.inputShape);
    expect(fitted.scorer.outputShape).toEqual([OUTPUTS[task]]);
    // Through storage: topology as JSON, weights as a copy of the bytes.
    const stored = { framework: family.framework, topology: JSON.parse(JSON.stringify(fitted.artifact.topology)), weights: new Uint8Array(fitted.artifact.weights) };
    const loaded = await family.load(stored, data.pipeline);
    const again = loaded.score(data.test.x, data.test.rows);
    Array.from(again).forEach((v, i) => expect(v).toBeCloseTo(live[i], 6));
    if (task !== 'regression') Array.from(live).forEach((p) => expect(p).toBeGreaterThanOrEqual(0));
    if (task === 'multiclass') {
      for (let i = 0; i < data.test.rows; i++) expect(live[i * 3] + live[i * 3 + 1] + live[i * 3 + 2]).toBeCloseTo(1, 5);
    }
    fitted.scorer.dispose();
    loaded.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('stops a fit when its signal is aborted, returning a usable model', async () => {
    const { data, spec } = prepared(family, mainTask(family));
    const full = await family.fit(data, spec, { onEpoch: async () => undefined, signal: never });
    const aborted = await family.fit(data, spec, { onEpoch: async () => undefined, signal: { aborted: true } });
    expect(aborted.epochs.length).toBeLessThanOrEqual(1);
    const size = (f: typeof full) => JSON.stringify(f.artifact.topology).length + f.artifact.weights.length;
    // Less was trained: fewer epochs (networks, boosting rounds) or fewer trees (forests).
    if (full.epochs.length > 1 || (spec.tree?.nEstimators ?? 1) > 1) expect(aborted.epochs.length < full.epochs.length || size(aborted) < size(full)).toBe(true);
    expect(aborted.scorer.score(data.test.x, data.test.rows)).toHaveLength(data.test.rows * OUTPUTS[mainTask(family)]);
    full.scorer.dispose();
    aborted.scorer.dispose();
  });

  it('refuses inputs of the wrong shape with BAD_USER_INPUT', async () => {
    const { data, spec } = prepared(family, mainTask(family));
    const fitted = await family.fit(data, spec, { onEpoch: async () => undefined });
    const w = width(data);
    expect(codeOf(() => fitted.scorer.score(new Float32Array(2 * w + 1), 2))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => fitted.scorer.score(new Float32Array(2 * w), 3))).toBe('BAD_USER_INPUT');
    expect(fitted.scorer.score(new Float32Array(0), 0)).toHaveLength(0);
    fitted.scorer.dispose();
  });
});
