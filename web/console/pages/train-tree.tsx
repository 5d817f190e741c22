/**
 * The training form's tree options (train.tsx) for DECISION_TREE, RANDOM_FOREST and
 * GRADIENT_BOOSTING: `spec.tree`'s depth, leaf size, trees (or boosting rounds) and learning rate,
 * each shown only for the kinds that take it. A blank field leaves the server's default
 * (TreeInput's descriptions in schema.graphql); the server's range errors appear beside the field.
 */
import type { FieldErrors } from '../field-errors';
import { Field } from './train-fields';

/** The model kinds the form trains: the dense network, or one of the tree learners. */
export const MODEL_KINDS = [
  ['NEURAL_NETWORK', 'Dense neural network'],
  ['DECISION_TREE', 'Decision tree'],
  ['RANDOM_FOREST', 'Random forest'],
  ['GRADIENT_BOOSTING', 'Gradient-boosted trees'],
] as const;

export type ModelKindChoice = (typeof MODEL_KINDS)[number][0];

/** The model-name suffix the form proposes for each kind, e.g. `pima-forest`. */
export const NAME_SUFFIX: Record<ModelKindChoice, string> = { NEURAL_NETWORK: 'dense', DECISION_TREE: 'tree', RANDOM_FOREST: 'forest', GRADIENT_BOOSTING: 'boosting' };

/** The tree options as typed (text; blank = the server's default). */
export interface TreeChoice {
  maxDepth: string;
  minSamplesLeaf: string;
  nEstimators: string;
  learningRate: string;
}

export const DEFAULT_TREE: TreeChoice = { maxDepth: '', minSamplesLeaf: '', nEstimators: '', learningRate: '' };

/** Each option: its label, and the kinds that take it (the server refuses it on the others). */
const OPTIONS: [keyof TreeChoice, string, ModelKindChoice[]][] = [
  ['maxDepth', 'Maximum depth', ['DECISION_TREE', 'RANDOM_FOREST', 'GRADIENT_BOOSTING']],
  ['minSamplesLeaf', 'Fewest rows in a leaf', ['DECISION_TREE', 'RANDOM_FOREST', 'GRADIENT_BOOSTING']],
  ['nEstimators', 'Trees (forest) or boosting rounds', ['RANDOM_FOREST', 'GRADIENT_BOOSTING']],
  ['learningRate', 'Learning rate (boosting)', ['GRADIENT_BOOSTING']],
];

/** The fields the server may name in an error about them (field-errors.ts places it). */
export const TREE_FIELDS = ['spec.tree', ...OPTIONS.map(([key]) => `spec.tree.${key}`)];

/** `spec.tree` for `kind`: the options it takes that were filled in, as numbers (or as typed, so the server names a non-number). */
export function treeSpec(kind: ModelKindChoice, choice: TreeChoice, numberOr: (text: string) => number | string | undefined) {
  const tree: Record<string, number | string> = {};
  for (const [key, , kinds] of OPTIONS) {
    const value = kinds.includes(kind) ? numberOr(choice[key]) : undefined;
    if (value !== undefined) tree[key] = value;
  }
  return tree;
}

/** The tree options fieldset for `kind`. */
export function TreeFields({ kind, value, onChange, errors }: { kind: ModelKindChoice; value: TreeChoice; onChange: (t: TreeChoice) => void; errors: FieldErrors }) {
  return (
    <fieldset class="grid">
      <legend>Tree options (blank: the server's default)</legend>
      {errors['spec.tree'] ? (
        <p class="field-error" role="alert">
          {errors['spec.tree']}
        </p>
      ) : null}
      {OPTIONS.filter(([, , kinds]) => kinds.includes(kind)).map(([key, label]) => (
        <Field key={key} id={`spec.tree.${key}`} label={label} error={errors[`spec.tree.${key}`]}>
          {(a) => (
            <input {...a} inputMode={key === 'learningRate' ? 'decimal' : 'numeric'} value={value[key]} onInput={(e) => onChange({ ...value, [key]: e.currentTarget.value })} />
          )}
        </Field>
      ))}
    </fieldset>
  );
}
