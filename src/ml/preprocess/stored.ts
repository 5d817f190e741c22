/**
 * Reading a version's stored `preprocessing` JSON. Versions trained before pipelines existed stored
 * `{ features: [{ name, mean, std }], standardize, target }` (numeric features, missing -> mean,
 * optional standardisation); they are read as the equivalent pipeline, so they keep predicting.
 */
import type { FittedPipeline, FittedStep, TargetInfo } from './types';

interface LegacyPreprocessing {
  features: { name: string; mean: number; std: number }[];
  standardize: boolean;
  target: TargetInfo;
}

/** @returns the pipeline a version stored, in the current format. */
export function readPipeline(stored: unknown): FittedPipeline {
  const json = stored as FittedPipeline | LegacyPreprocessing;
  if ('format' in json && json.format === 'maas-pipeline/1') return json;
  const legacy = json as LegacyPreprocessing;
  return {
    format: 'maas-pipeline/1',
    target: legacy.target,
    datasetColumns: [...legacy.features.map((f) => f.name), legacy.target.name],
    columns: legacy.features.map((f) => ({
      name: f.name,
      type: 'numeric',
      missingCodes: [],
      steps: [{ op: 'impute', value: f.mean }, ...(legacy.standardize ? [{ op: 'standardize', mean: f.mean, std: f.std } as FittedStep] : [])],
      outputs: [f.name],
    })),
  };
}
