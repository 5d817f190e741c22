/**
 * Seeded randomness, so a training run with the same seed splits and shuffles the same way.
 * Generator: mulberry32 (Tommy Ettinger, public domain), 32-bit state, period 2^32.
 */

/** Returns a function giving uniform floats in [0, 1). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A Fisher-Yates permutation of 0..n-1 drawn from `random`. */
export function permutation(n: number, random: () => number): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const t = out[i];
    out[i] = out[j];
    out[j] = t;
  }
  return out;
}

export interface Split {
  /** Row indices used to fit the model (and the preprocessing). */
  train: number[];
  /** Taken from the end of the training rows, as Keras' `validation_split` does. */
  validation: number[];
  /** Held out: used only to compute the version's metrics. */
  test: number[];
}

/**
 * Shuffles rows with `seed`, holds out round(n * testFraction) rows for testing, then takes
 * round(nTrain * validationSplit) of the rest for validation.
 */
export function splitRows(n: number, testFraction: number, validationSplit: number, seed: number): Split {
  const order = Array.from(permutation(n, rng(seed)));
  const nTest = Math.round(n * testFraction);
  const test = order.slice(0, nTest);
  const rest = order.slice(nTest);
  const nVal = Math.round(rest.length * validationSplit);
  return { train: rest.slice(0, rest.length - nVal), validation: rest.slice(rest.length - nVal), test };
}

/**
 * Keeps the rows' order: the last round(n * testFraction) rows are the test split, and the
 * validation rows the end of the rest (a published fixed split, e.g. MNIST's first 8,000 test
 * images for training and the other 2,000 for testing). The training rows are shuffled per epoch
 * by the trainer, not here.
 */
export function orderedSplit(n: number, testFraction: number, validationSplit: number): Split {
  const nTest = Math.round(n * testFraction);
  const rest = n - nTest;
  const nVal = Math.round(rest * validationSplit);
  const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);
  return { train: range(0, rest - nVal), validation: range(rest - nVal, rest), test: range(rest, n) };
}

/**
 * Like {@link splitRows}, but within each class (labels = class indices), so every split keeps the
 * class proportions (scikit-learn's `train_test_split(stratify=y)`). Each split is then shuffled.
 */
export function stratifiedSplit(labels: ArrayLike<number>, testFraction: number, validationSplit: number, seed: number): Split {
  const random = rng(seed);
  const byClass = new Map<number, number[]>();
  for (let i = 0; i < labels.length; i++) {
    const list = byClass.get(labels[i]) ?? [];
    list.push(i);
    byClass.set(labels[i], list);
  }
  const out: Split = { train: [], validation: [], test: [] };
  for (const c of [...byClass.keys()].sort((a, b) => a - b)) {
    const rows = byClass.get(c)!;
    const order = Array.from(permutation(rows.length, random), (k) => rows[k]);
    const nTest = Math.round(rows.length * testFraction);
    const rest = order.slice(nTest);
    const nVal = Math.round(rest.length * validationSplit);
    // Appended one by one: `push(...xs)` passes every row as an argument and overflows the stack
    // past a few hundred thousand rows.
    for (let k = 0; k < order.length; k++) {
      const part = k < nTest ? out.test : k < order.length - nVal ? out.train : out.validation;
      part.push(order[k]!);
    }
  }
  const shuffle = (xs: number[]) => Array.from(permutation(xs.length, random), (k) => xs[k]);
  return { train: shuffle(out.train), validation: shuffle(out.validation), test: shuffle(out.test) };
}
