/**
 * The input of startSweep, and the spec parser it hands the service: a trial's spec, written as
 * startTrainingRun's `spec` argument in JSON, is coerced by graphql-js against `ModelSpecInput`
 * (enum names, defaults, types) exactly as startTrainingRun's argument would be.
 */
import { coerceInputValue, getNullableType, GraphQLNonNull, isInputObjectType, isListType, type GraphQLInputFieldMap, type GraphQLInputType, type GraphQLSchema } from 'graphql';
import { Field, Float, ID, InputType, Int } from 'type-graphql';
import { badInput, didYouMean, quote } from '../../lib/errors';
import { BoundedJSON, BoundedJSONObject } from '../common/json.scalar';
import { Nullable } from '../common/fields';
import type { ModelSpecInput } from '../training/spec.input';
import type { SpecParser } from './start-sweep';
import { ObjectiveDirection, SweepMetric, SweepStrategy } from './sweep.type';

/** One dimension of the search space. */
@InputType({ description: 'One spec path and the values it takes: `values` (any strategy) or a numeric range min..max (RANDOM, SUCCESSIVE_HALVING).' })
export class SweepDimensionInput {
  @Field({ description: "A dotted path in the spec as startTrainingRun takes it, e.g. 'optimizer.learningRate', 'layers.0.units', 'batchSize', 'tree.maxDepth'." })
  path!: string;
  @Nullable([BoundedJSON], 'The values to try, as they would be written in the spec (enum names such as "SGD", numbers, objects).')
  values?: unknown[] | null;
  @Nullable(Float, 'Range: lowest value.') min?: number | null;
  @Nullable(Float, 'Range: highest value.') max?: number | null;
  @Nullable(Boolean, 'Range: draw log-uniformly (min > 0). (Default: false)') log?: boolean | null;
  @Nullable(Boolean, 'Range: whole numbers only. (Default: false)') integer?: boolean | null;
}

/** The objective. */
@InputType()
export class SweepObjectiveInput {
  @Field(() => SweepMetric) metric!: (typeof SweepMetric)[keyof typeof SweepMetric];
  @Field(() => ObjectiveDirection) direction!: ObjectiveDirection;
}

/** How much the sweep may train. */
@InputType()
export class SweepBudgetInput {
  @Field(() => Int, { description: 'Configurations tried, 1 to 100 (SUCCESSIVE_HALVING: in its first rung). A GRID larger than this is refused.' })
  maxTrials!: number;
  @Field(() => Int, { defaultValue: 2, description: "Trials training (or queued) at once, 1 to 10; they also count against the tenant's run quotas. (Default: 2)" })
  maxConcurrent!: number;
}

/** Successive halving's options. */
@InputType()
export class HalvingInput {
  @Field(() => Int, { defaultValue: 3, description: 'Keep the best 1/eta of each rung; the next rung trains eta times the epochs. 2 to 10. (Default: 3)' })
  eta!: number;
  @Field(() => Int, { defaultValue: 1, description: "Epochs of the first rung; less than the base spec's epochs. (Default: 1)" })
  minEpochs!: number;
}

/** What startSweep takes. */
@InputType()
export class StartSweepInput {
  @Field(() => ID) datasetId!: string;
  @Field({ description: 'The label column.' }) targetColumn!: string;
  @Nullable([String], 'Default: every column except the target.') featureColumns?: string[] | null;
  @Field({ description: 'Registry model every trial adds a version to (created on first use).' }) modelName!: string;
  @Field(() => BoundedJSONObject, {
    description: 'The spec every trial starts from, written as startTrainingRun\'s `spec` (e.g. { "layers": [...], "loss": "BINARY_CROSSENTROPY", "epochs": 3 }).',
  })
  baseSpec!: Record<string, unknown>;
  @Field(() => [SweepDimensionInput]) space!: SweepDimensionInput[];
  @Field(() => SweepStrategy) strategy!: SweepStrategy;
  @Field(() => SweepObjectiveInput) objective!: SweepObjectiveInput;
  @Field(() => SweepBudgetInput) budget!: SweepBudgetInput;
  @Nullable(Int, 'RANDOM, SUCCESSIVE_HALVING: seeds the draws (one seed, one list of trials). (Default: 0)') seed?: number | null;
  @Nullable(HalvingInput, 'SUCCESSIVE_HALVING options.') halving?: HalvingInput | null;
  @Nullable(Boolean, 'Stop trials clearly behind (the median stopping rule; see SweepTrialStatus.STOPPED_EARLY). (Default: true)') earlyStop?: boolean | null;
}

/**
 * The spec parser of a schema: paths checked and specs coerced against its `ModelSpecInput`.
 * @param options.suggestions add "did you mean" hints (they name schema fields and enum values), as
 *   GRAPHQL_FIELD_SUGGESTIONS does for the rest of the API (off in production unless set).
 */
export function specParser(schema: GraphQLSchema, options: { suggestions: boolean }): SpecParser {
  const hint = (input: string, candidates: readonly string[]) => (options.suggestions ? didYouMean(input, candidates) : '');
  const specType = schema.getType('ModelSpecInput');
  if (!isInputObjectType(specType)) throw new Error('the schema has no ModelSpecInput');
  return {
    checkPath(path, field) {
      let type: GraphQLInputType = specType;
      const parts = path.split('.');
      for (const [i, part] of parts.entries()) {
        const at: GraphQLInputType = getNullableType(type);
        const where = parts.slice(0, i).join('.');
        if (isListType(at)) {
          if (!/^\d{1,4}$/.test(part)) throw badInput(`${field} ${quote(path)}: '${where}' is a list; expected an index, got ${quote(part)}`, { field, path });
          type = at.ofType as GraphQLInputType;
        } else if (isInputObjectType(at)) {
          const fields: GraphQLInputFieldMap = at.getFields();
          if (!fields[part]) {
            const prefix = where ? `${where}.` : '';
            throw badInput(`${field} ${quote(path)} is not a spec field${hint(part, Object.keys(fields)).replace(/'(.+)'/, `'${prefix}$1'`)}`, { field, path });
          }
          type = fields[part].type;
        } else throw badInput(`${field} ${quote(path)} goes past '${where}', which holds a single value`, { field, path });
      }
    },
    parse(json, label) {
      const errors: string[] = [];
      const value = coerceInputValue(
        json,
        new GraphQLNonNull(specType),
        (path, invalid, error) => {
          errors.push(`spec.${path.join('.')}${invalid === undefined ? '' : ` ${quote(invalid)}`}: ${error.message}`);
        },
        !options.suggestions,
      ) as ModelSpecInput;
      if (errors.length) throw badInput(`${label}: ${errors[0]}`, { field: label === 'baseSpec' ? 'baseSpec' : 'space' });
      return value;
    },
  };
}
