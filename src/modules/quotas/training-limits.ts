/** The training cost limits (per-tenant quotas) as configured. */
import type { Config } from '../../config';
import type { CostLimits } from '../../ml/cost-limits';

/** TRAINING_MAX_* of the config, as the model families check them. */
export function trainingLimits(config: Pick<Config, 'TRAINING_MAX_PARAMETERS' | 'TRAINING_MAX_ACTIVATIONS' | 'TRAINING_MAX_MEMORY_BYTES' | 'TRAINING_MAX_WORK'>): CostLimits {
  return {
    maxParameters: config.TRAINING_MAX_PARAMETERS,
    maxActivations: config.TRAINING_MAX_ACTIVATIONS,
    maxMemoryBytes: config.TRAINING_MAX_MEMORY_BYTES,
    maxWork: config.TRAINING_MAX_WORK,
  };
}
