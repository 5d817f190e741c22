/**
 * A stored tabular version (dense network or histogram trees) as one ONNX model.
 *
 * Inputs: `features`, float32 `[batch, columns]`, the raw feature columns in the manifest's order
 * (NaN = missing) when the preprocessing plan is expressible in ONNX (./onnx-preprocess.ts);
 * otherwise `model_inputs`, float32 `[batch, inputs]`, the vector `pipeline.json` produces.
 * Outputs: classification `probabilities` float32 `[batch, classes]` (index i = `classes[i]`) and
 * `label` int64 `[batch]` (the argmax); regression `value` float32 `[batch, 1]` in the target's units.
 */
import { AppError } from '../../lib/errors';
import type { StoredArtifact } from '../families/model-family';
import { inputNames, type FittedPipeline } from '../preprocess/types';
import { isLegacyTrees } from '../trees/legacy';
import { decodeHistModel } from '../trees/hist';
import { OnnxGraph, type TensorDecl } from './onnx-graph';
import { networkInGraph } from './onnx-network';
import { preprocessingExpressible, preprocessInGraph } from './onnx-preprocess';
import { treesInGraph } from './onnx-trees';

/** How the ONNX model's input relates to the feature columns. */
export type OnnxInputKind = 'raw_features' | 'model_inputs';

export interface OnnxExport {
  bytes: Uint8Array;
  input: { name: string; kind: OnnxInputKind; columns: string[] };
  outputs: string[];
}

/** Frameworks ONNX export reads: the dense network and the three histogram tree families. */
export const ONNX_FRAMEWORKS = ['tfjs-layers', 'decision-tree', 'random-forest', 'gradient-boosting'] as const;

/**
 * @param name the graph's name (e.g. `model@3`).
 * @throws AppError NOT_SUPPORTED for another framework, a legacy tree artifact, or a network layer
 *   without an ONNX counterpart; BAD_USER_INPUT for an unreadable artifact.
 */
export async function exportOnnx(stored: StoredArtifact, pipeline: FittedPipeline, name: string): Promise<OnnxExport> {
  if (!(ONNX_FRAMEWORKS as readonly string[]).includes(stored.framework)) throw new AppError('NOT_SUPPORTED', `ONNX export is not available for '${stored.framework}' versions`);
  if (isLegacyTrees(stored.topology)) throw new AppError('NOT_SUPPORTED', 'ONNX export is not available for tree versions stored by the earlier learner (retrain the model)');
  const g = new OnnxGraph();
  const raw = preprocessingExpressible(pipeline);
  const inputs = inputNames(pipeline);
  const input: OnnxExport['input'] = raw
    ? { name: 'features', kind: 'raw_features', columns: pipeline.columns.map((c) => c.name) }
    : { name: 'model_inputs', kind: 'model_inputs', columns: inputs };
  const x = raw ? preprocessInGraph(g, pipeline, input.name) : input.name;
  let y = stored.framework === 'tfjs-layers' ? await networkInGraph(g, stored, x) : treesInGraph(g, decodeHistModel(stored.topology, stored.weights), x);
  const { task, classes, scale } = pipeline.target;
  const outputs: TensorDecl[] = [];
  if (task === 'regression') {
    if (scale) y = g.node('Add', [g.node('Mul', [y, g.floats([scale.std], [])]), g.floats([scale.mean], [])]);
    g.output(y, 'value');
    outputs.push({ name: 'value', type: 'float32', dims: [1], doc: `${pipeline.target.name}, in its own units` });
  } else {
    // Binary scorers give P(classes[1]); the export gives both columns, as the API's `probabilities`.
    if (task === 'binary') y = g.node('Concat', [g.node('Sub', [g.floats([1], []), y]), y], { axis: { i: 1 } });
    g.output(y, 'probabilities');
    g.node('ArgMax', [y], { axis: { i: 1 }, keepdims: { i: 0 } }, ['label']);
    outputs.push({ name: 'probabilities', type: 'float32', dims: [classes!.length], doc: `P(class) in the order ${JSON.stringify(classes).slice(0, 500)}` });
    outputs.push({ name: 'label', type: 'int64', dims: [], doc: 'index of the most probable class' });
  }
  const decl: TensorDecl = {
    name: input.name,
    type: 'float32',
    dims: [input.columns.length],
    doc: raw ? 'raw feature columns in manifest order, NaN = missing' : 'model inputs after pipeline.json',
  };
  const metadata = { input_kind: input.kind, input_columns: JSON.stringify(input.columns), target: pipeline.target.name, ...(classes ? { classes: JSON.stringify(classes) } : {}) };
  const bytes = g.encode(name, [decl], outputs, metadata, `Exported by maas from a '${stored.framework}' version`);
  return { bytes, input, outputs: outputs.map((o) => o.name) };
}
