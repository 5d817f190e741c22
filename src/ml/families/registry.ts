/**
 * Every model family the service can train and serve. Everything that depends on the kind of
 * model (spec checks, training, loading a stored version, what a version supports, the GraphQL
 * ModelKind enum) asks this registry; nothing else switches on `spec.model` or a version's
 * `framework`.
 */
import { AppError, badInput } from '../../lib/errors';
import { cnnFamily } from './cnn';
import { decisionTreeFamily } from './decision-tree';
import { gradientBoostingFamily } from './gradient-boosting';
import { matrixFactorizationFamily } from './matrix-factorization';
import type { ModelFamily } from './model-family';
import { networkFamily } from './network';
import { onnxFamily } from './onnx';
import { randomForestFamily } from './random-forest';
import { textFamily } from './text';

/** The registry: one line a family, in the order people see them (the GraphQL enum's order). */
const REGISTERED = [networkFamily, decisionTreeFamily, randomForestFamily, gradientBoostingFamily, textFamily, matrixFactorizationFamily, cnnFamily, onnxFamily] as const;

/** A registered family's kind: 'neural_network' | 'decision_tree' | … (made from {@link REGISTERED}). */
export type ModelKind = (typeof REGISTERED)[number]['kind'];

/** The families by kind. */
export const FAMILIES = Object.freeze(Object.fromEntries(REGISTERED.map((f) => [f.kind, f]))) as { readonly [K in ModelKind]: ModelFamily };

/** The model kinds, in registry order. */
export const MODEL_KINDS: readonly ModelKind[] = REGISTERED.map((f) => f.kind);

/** Whether `kind` names a registered family. */
export function isModelKind(kind: string): kind is ModelKind {
  return Object.hasOwn(FAMILIES, kind);
}

/**
 * @throws AppError BAD_USER_INPUT for a kind no family is registered for.
 */
export function familyOf(kind: string): ModelFamily {
  if (!isModelKind(kind)) throw badInput(`spec.model '${kind}' is not a model family; families are ${MODEL_KINDS.map((k) => k.toUpperCase()).join(', ')}`);
  return FAMILIES[kind];
}

/**
 * The family that reads a stored version's `framework`.
 * @throws AppError BAD_USER_INPUT for a framework no family reads.
 */
export function familyForFramework(framework: string): ModelFamily {
  const family = REGISTERED.find((f) => f.framework === framework || f.readsFrameworks?.includes(framework));
  if (!family) throw badInput(`Model framework '${framework}' cannot be served`);
  return family;
}

const USE_NAMES: Record<keyof ModelFamily['supports'], string> = {
  explain: 'explanations',
  batchPredict: 'batch prediction',
  importances: 'feature importances',
  recommend: 'recommendations (train a recommender such as MATRIX_FACTORIZATION on interactions data)',
};

/**
 * Says, before any work, when a family cannot do what was asked.
 * @throws AppError NOT_SUPPORTED naming the family and the use.
 */
export function requireSupport(family: ModelFamily, use: keyof ModelFamily['supports']): void {
  if (!family.supports[use]) throw new AppError('NOT_SUPPORTED', `${family.kind.toUpperCase()} models do not support ${USE_NAMES[use]}`, { family: family.kind, use });
}
