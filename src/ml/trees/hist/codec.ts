/**
 * Stored form of a histogram tree model: metadata as JSON (`topology`) and the node arrays of
 * all trees, concatenated, as little-endian binary (`weights`). With N nodes in all and leaf
 * width W, `weights` holds, in order:
 *   feature Int32[N] · left Int32[N] · right Int32[N] · threshold Float64[N] · value Float64[N·W] · missingLeft Uint8[N]
 * (21 + 8·W bytes a node). `topology.nodes` lists the node count of each tree.
 */
import { badInput } from '../../../lib/errors';
import { leafWidth, type HistModel } from './model';
import type { HistKind, HistTask } from './params';
import type { HistTree } from './tree';

export const HIST_FORMAT = 'maas-hist-trees/1';

const bytesPerNode = (width: number) => 21 + 8 * width;

/** Model → { topology (JSON-safe), weights (little-endian node arrays) }. */
export function encodeHistModel(m: HistModel): { topology: Record<string, unknown>; weights: Buffer } {
  const width = leafWidth(m);
  const nodes = m.trees.map((t) => t.feature.length);
  const total = nodes.reduce((a, b) => a + b, 0);
  const buf = Buffer.alloc(total * bytesPerNode(width));
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  let pos = 0;
  const ints = (pick: (t: HistTree) => Int32Array) => m.trees.forEach((t) => pick(t).forEach((v) => (view.setInt32(pos, v, true), (pos += 4))));
  const floats = (pick: (t: HistTree) => Float64Array) => m.trees.forEach((t) => pick(t).forEach((v) => (view.setFloat64(pos, v, true), (pos += 8))));
  ints((t) => t.feature);
  ints((t) => t.left);
  ints((t) => t.right);
  floats((t) => t.threshold);
  floats((t) => t.value);
  m.trees.forEach((t) => (buf.set(t.missingLeft, pos), (pos += t.missingLeft.length)));
  const topology: Record<string, unknown> = {
    format: HIST_FORMAT,
    kind: m.kind,
    task: m.task,
    ...(m.classCount !== undefined ? { classCount: m.classCount } : {}),
    inputs: m.inputs,
    baseScore: m.baseScore,
    ...(m.learningRate !== undefined ? { learningRate: m.learningRate } : {}),
    ...(m.bestRound !== undefined ? { bestRound: m.bestRound } : {}),
    rounds: m.rounds,
    gainImportances: m.gainImportances,
    leafWidth: width,
    nodes,
  };
  return { topology, weights: buf };
}

const bad = (what: string) => badInput(`The stored tree model is malformed: ${what}`);
const isInt = (v: unknown, min: number): v is number => typeof v === 'number' && Number.isInteger(v) && v >= min;
const isNumbers = (v: unknown): v is number[] => Array.isArray(v) && v.every((n) => typeof n === 'number' && Number.isFinite(n));

/**
 * Reads a stored model back (the inverse of encodeHistModel), checking every node reference.
 * @throws AppError BAD_USER_INPUT when the topology or the weights are malformed.
 */
export function decodeHistModel(topology: unknown, weights: Uint8Array): HistModel {
  if (typeof topology !== 'object' || topology === null) throw bad('topology is not an object');
  const t = topology as Record<string, unknown>;
  if (t.format !== HIST_FORMAT) throw bad(`format is ${JSON.stringify(t.format)}, expected ${HIST_FORMAT}`);
  const kind = t.kind as HistKind;
  const task = t.task as HistTask;
  if (!['decision_tree', 'random_forest', 'gradient_boosting'].includes(kind)) throw bad(`unknown kind ${JSON.stringify(t.kind)}`);
  if (!['binary', 'multiclass', 'regression'].includes(task)) throw bad(`unknown task ${JSON.stringify(t.task)}`);
  if (task !== 'regression' && !(isInt(t.classCount, 2) && (task === 'multiclass' || t.classCount === 2))) throw bad('classCount is missing or invalid');
  if (!isInt(t.inputs, 1)) throw bad('inputs must be a positive integer');
  if (!isNumbers(t.baseScore) || !isNumbers(t.gainImportances) || t.gainImportances.length !== t.inputs) throw bad('baseScore or gainImportances is invalid');
  if (!isInt(t.rounds, 0)) throw bad('rounds must be an integer');
  if (!Array.isArray(t.nodes) || !t.nodes.every((n) => isInt(n, 1))) throw bad('nodes must list a positive node count per tree');
  const classCount = task === 'regression' ? undefined : (t.classCount as number);
  const width = leafWidth({ kind, task, classCount });
  if (t.leafWidth !== width) throw bad(`leafWidth is ${JSON.stringify(t.leafWidth)}, expected ${width}`);
  const outputs = task === 'multiclass' ? classCount! : 1;
  if (kind === 'gradient_boosting' && t.baseScore.length !== outputs) throw bad(`baseScore needs ${outputs} values`);
  const nodes = t.nodes as number[];
  const total = nodes.reduce((a, b) => a + b, 0);
  if (weights.byteLength !== total * bytesPerNode(width)) throw bad(`weights hold ${weights.byteLength} bytes; ${total} nodes need ${total * bytesPerNode(width)}`);
  const view = new DataView(weights.buffer, weights.byteOffset, weights.byteLength);
  let pos = 0;
  const ints = () => nodes.map((n) => Int32Array.from({ length: n }, () => ((pos += 4), view.getInt32(pos - 4, true))));
  const floats = (w: number) => nodes.map((n) => Float64Array.from({ length: n * w }, () => ((pos += 8), view.getFloat64(pos - 8, true))));
  const feature = ints();
  const left = ints();
  const right = ints();
  const threshold = floats(1);
  const value = floats(width);
  const missingLeft = nodes.map((n) => ((pos += n), Uint8Array.from(weights.subarray(pos - n, pos))));
  const trees: HistTree[] = nodes.map((n, i) => {
    for (let j = 0; j < n; j++) {
      const f = feature[i][j];
      const leaf = f === -1 && left[i][j] === -1 && right[i][j] === -1;
      // Children come after their parent, so every walk ends.
      const split = f >= 0 && f < (t.inputs as number) && left[i][j] > j && left[i][j] < n && right[i][j] > j && right[i][j] < n && !Number.isNaN(threshold[i][j]);
      if (!leaf && !split) throw bad(`tree ${i} node ${j} has invalid feature or children`);
    }
    return { feature: feature[i], threshold: threshold[i], missingLeft: missingLeft[i], left: left[i], right: right[i], value: value[i] };
  });
  return {
    kind,
    task,
    ...(classCount !== undefined ? { classCount } : {}),
    inputs: t.inputs,
    baseScore: t.baseScore,
    ...(typeof t.learningRate === 'number' ? { learningRate: t.learningRate } : {}),
    trees,
    ...(isInt(t.bestRound, 0) ? { bestRound: t.bestRound } : {}),
    rounds: t.rounds,
    gainImportances: t.gainImportances,
  };
}
