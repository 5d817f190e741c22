/**
 * Every model family the service can train and serve. Everything that depends on the kind of
 * model (spec checks, training, loading a stored version, what a version supports) asks this
 * registry; nothing else switches on `spec.model` or a version's `framework`.
 */
import { AppError, badInput } from '../../lib/errors';
import type { ModelKind } from '../spec-types';
import { decisionTreeFamily } from './decision-tree';
import { gradientBoostingFamily } from './gradient-boosting';
import type { ModelFamily } from './model-family';
import { networkFamily } from './network';
import { randomForestFamily } from './random-forest';

/** The registry: one line a family. `satisfies` makes the compiler check it against ModelKind. */
export const FAMILIES = {
  neural_network: networkFamily,
  decision_tree: decisionTreeFamily,
  random_forest: randomForestFamily,
  gradient_boosting: gradientBoostingFamily,
} as const satisfies Record<ModelKind, ModelFamily>;

/** The model kinds, in registry order. */
export const MODEL_KINDS = Object.keys(FAMILIES) as ModelKind[];

/**
 * @throws AppError BAD_USER_INPUT for a kind no family is registered for.
 */
export function familyOf(kind: string): ModelFamily {
  const family = (FAMILIES as Record<string, ModelFamily>)[kind];
  if (!family) throw badInput(`spec.model '${kind}' is not a model family; families are ${MODEL_KINDS.map((k) => k.toUpperCase()).join(', ')}`);
  return family;
}

/**
 * The family that reads a stored version's `framework`.
 * @throws AppError BAD_USER_INPUT for a framework no family reads.
 */
export function familyForFramework(framework: string): ModelFamily {
  const family = Object.values(FAMILIES as Record<string, ModelFamily>).find((f) => f.framework === framework || f.readsFrameworks?.includes(framework));
  if (!family) throw badInput(`Model framework '${framework}' cannot be served`);
  return family;
}

const USE_NAMES: Record<keyof ModelFamily['supports'], string> = { explain: 'explanations', batchPredict: 'batch prediction', importances: 'feature importances' };

/**
 * Says, before any work, when a family cannot do what was asked.
 * @throws AppError NOT_SUPPORTED naming the family and the use.
 */
export function requireSupport(family: ModelFamily, use: keyof ModelFamily['supports']): void {
  if (!family.supports[use]) throw new AppError('NOT_SUPPORTED', `${family.kind.toUpperCase()} models do not support ${USE_NAMES[use]}`, { family: family.kind, use });
}
