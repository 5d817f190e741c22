/**
 * Exporting a model version as a ZIP archive of named files, keyed by the family's kind:
 * - `tfjs` (dense networks): `model.json` + `weights.bin`, TF.js Layers format (`tf.loadLayersModel`);
 * - `json` (decision tree, random forest, gradient boosting): `trees.json` (`maas-trees/1`);
 * - `onnx` (dense networks, tree ensembles): `model.onnx` (./onnx-export.ts); uploaded ONNX
 *   versions: the original file;
 * and always `pipeline.json` (the fitted preprocessing plan, `maas-pipeline/1`) and
 * `manifest.json` (version, kind, feature and input names in order, target, classes, the ONNX
 * input kind, and each file's SHA-256). Format described in docs/export.md.
 */
import { createHash } from 'node:crypto';
import { strToU8, zipSync } from 'fflate';
import { AppError } from '../../lib/errors';
import type { StoredArtifact } from '../families/model-family';
import { familyForFramework, type ModelKind } from '../families/registry';
import { inputNames, type FittedPipeline } from '../preprocess/types';
import { exportOnnx } from './onnx-export';
import { treesJson } from './trees-json';

/** A download format. */
export type ExportFormat = 'tfjs' | 'json' | 'onnx';

/** Manifest format name written in `manifest.json`. */
export const EXPORT_MANIFEST_FORMAT = 'maas-export/1';

/** The formats each family exports, in the order offered. */
export const EXPORT_FORMATS: Readonly<Record<ModelKind, readonly ExportFormat[]>> = {
  neural_network: ['tfjs', 'onnx'],
  decision_tree: ['json', 'onnx'],
  random_forest: ['json', 'onnx'],
  gradient_boosting: ['json', 'onnx'],
  text_classifier: [],
  matrix_factorization: [],
  convolutional_network: [],
  onnx: ['onnx'],
};

/** Which version is exported (for the manifest and file names). */
export interface ExportedVersionInfo {
  id: string;
  modelName: string;
  version: number;
}

/** The archive: bytes, a file name and its content type. */
export interface ExportArchive {
  filename: string;
  contentType: 'application/zip';
  bytes: Uint8Array;
}

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const json = (v: unknown) => strToU8(JSON.stringify(v, null, 2));

/** TF.js Layers model.json pointing at weights.bin (the layout `tf.io.browserFiles`/`file://` read). */
function tfjsFiles(stored: StoredArtifact): Record<string, Uint8Array> {
  const t = stored.topology as Record<string, unknown>;
  const modelJson = {
    format: t.format ?? 'layers-model',
    generatedBy: t.generatedBy,
    convertedBy: 'maas',
    modelTopology: t.modelTopology,
    weightsManifest: [{ paths: ['weights.bin'], weights: t.weightSpecs }],
  };
  return { 'model.json': json(modelJson), 'weights.bin': stored.weights };
}

/**
 * The family kind of `framework`'s versions, when they export as `format`.
 * @throws AppError NOT_SUPPORTED naming the family when it has no such format (CNN, text,
 *   recommenders export nothing); BAD_USER_INPUT for a framework no family reads.
 */
export function exportKind(framework: string, format: ExportFormat): ModelKind {
  const kind = familyForFramework(framework).kind as ModelKind;
  const offered = EXPORT_FORMATS[kind];
  if (!offered.includes(format)) {
    throw new AppError(
      'NOT_SUPPORTED',
      `${kind.toUpperCase()} versions cannot be exported as ${format}; ${offered.length ? `formats for this family: ${offered.join(', ')}` : 'this family has no export format'}`,
      {
        family: kind.toUpperCase(),
        format,
      },
    );
  }
  return kind;
}

/**
 * Builds the archive of `format` for a stored version.
 * @throws AppError NOT_SUPPORTED naming the family when it has no such format (CNN, text,
 *   recommenders export nothing), or for an artifact ONNX cannot express; BAD_USER_INPUT for an
 *   unreadable artifact.
 */
export async function exportVersion(stored: StoredArtifact, pipeline: FittedPipeline, info: ExportedVersionInfo, format: ExportFormat): Promise<ExportArchive> {
  const kind = exportKind(stored.framework, format);
  const files: Record<string, Uint8Array> = {};
  let onnx: Record<string, unknown> | undefined;
  if (kind === 'onnx') files['model.onnx'] = stored.weights;
  else if (format === 'onnx') {
    const out = await exportOnnx(stored, pipeline, `${info.modelName}@${info.version}`);
    files['model.onnx'] = out.bytes;
    onnx = { input: out.input.name, inputKind: out.input.kind, inputColumns: out.input.columns, outputs: out.outputs };
  } else if (format === 'tfjs') Object.assign(files, tfjsFiles(stored));
  else files['trees.json'] = json(treesJson(stored, pipeline));
  files['pipeline.json'] = json(pipeline);
  const { name, task, classes, scale } = pipeline.target;
  const manifest = {
    format: EXPORT_MANIFEST_FORMAT,
    versionId: info.id,
    model: info.modelName,
    version: info.version,
    kind,
    framework: stored.framework,
    exportFormat: format,
    features: pipeline.columns.map((c) => ({ name: c.name, type: c.type })),
    inputs: inputNames(pipeline),
    target: { name, task, ...(classes ? { classes } : {}), ...(scale ? { scale } : {}) },
    ...(onnx ? { onnx } : {}),
    files: Object.entries(files).map(([file, b]) => ({ name: file, bytes: b.byteLength, sha256: sha256(b) })),
  };
  files['manifest.json'] = json(manifest);
  return { filename: `${info.modelName}-v${info.version}-${format}.zip`, contentType: 'application/zip', bytes: zipSync(files, { level: 6 }) };
}
