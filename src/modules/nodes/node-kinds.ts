/** The object types that implement Relay's `Node` (./node.type.ts), with the scope a key needs to read each. */
export const NODE_KINDS = {
  Dataset: 'datasets:read',
  TrainingRun: 'training:read',
  Model: 'models:read',
  ModelVersion: 'models:read',
  BatchPrediction: 'predict',
  ModelEvaluation: 'models:read',
  Sweep: 'training:read',
} as const;

/** One of the Node object types' names. */
export type NodeKind = keyof typeof NODE_KINDS;
