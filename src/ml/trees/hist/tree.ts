/**
 * A trained tree as flat node arrays (the layout scikit-learn's `Tree` and LightGBM's model use).
 * Node 0 is the root. An internal node sends a row left when `x[feature] <= threshold`, and a
 * missing (NaN) value left when `missingLeft` is 1; a leaf has feature -1.
 */

export interface HistTree {
  /** Per node: the input tested, or -1 for a leaf. */
  feature: Int32Array;
  /** Per node: present values <= threshold go left (+Infinity: every present value). */
  threshold: Float64Array;
  /** Per node: 1 when missing values go left (learned default direction). */
  missingLeft: Uint8Array;
  /** Per node: child node indices (-1 for a leaf). */
  left: Int32Array;
  right: Int32Array;
  /**
   * [nodes, width] row-major: the node's output. Boosting: the leaf's raw-score increment
   * (learning rate included), width 1. Classification trees: class frequencies, width K.
   * Regression trees: the mean target, width 1. Internal nodes keep theirs too.
   */
  value: Float64Array;
}

/** Collects nodes while a tree grows; `finish` turns them into typed arrays. */
export class TreeBuilder {
  readonly feature: number[] = [];
  readonly threshold: number[] = [];
  readonly missingLeft: number[] = [];
  readonly left: number[] = [];
  readonly right: number[] = [];
  readonly value: number[] = [];
  /** Per node: the bin split on (training only: routes binned rows). */
  readonly bin: number[] = [];

  constructor(readonly width: number) {}

  get size(): number {
    return this.feature.length;
  }

  /** Adds a leaf with the given output values (width of them); returns its index. */
  add(values: ArrayLike<number>): number {
    this.feature.push(-1);
    this.threshold.push(0);
    this.missingLeft.push(0);
    this.left.push(-1);
    this.right.push(-1);
    this.bin.push(0);
    for (let c = 0; c < this.width; c++) this.value.push(values[c]);
    return this.feature.length - 1;
  }

  /** Turns leaf `node` into a split. */
  split(node: number, feature: number, bin: number, threshold: number, missingLeft: boolean, left: number, right: number): void {
    this.feature[node] = feature;
    this.bin[node] = bin;
    this.threshold[node] = threshold;
    this.missingLeft[node] = missingLeft ? 1 : 0;
    this.left[node] = left;
    this.right[node] = right;
  }

  finish(): HistTree {
    return {
      feature: Int32Array.from(this.feature),
      threshold: Float64Array.from(this.threshold),
      missingLeft: Uint8Array.from(this.missingLeft),
      left: Int32Array.from(this.left),
      right: Int32Array.from(this.right),
      value: Float64Array.from(this.value),
    };
  }
}

/**
 * Leaf reached by row `offset / inputs` of raw inputs.
 * @param x row-major [rows, inputs]; `offset` = row · inputs.
 */
export function leafOf(t: HistTree, x: Float32Array, offset: number): number {
  const { feature, threshold, missingLeft, left, right } = t;
  let node = 0;
  let f = feature[0];
  while (f >= 0) {
    const v = x[offset + f];
    node = v <= threshold[node] || (v !== v && missingLeft[node] === 1) ? left[node] : right[node];
    f = feature[node];
  }
  return node;
}
