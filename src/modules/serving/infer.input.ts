/** GraphQL input of `infer`: one named tensor (the Open Inference Protocol's request tensor). */
import { Field, InputType, Int } from 'type-graphql';
import { BoundedJSON } from '../common/json.scalar';
import type { TensorDatatype as Datatype } from '../../ml/tensor-io';
import { TensorDatatype } from './tensor.type';

/** A named input tensor: `data` is checked against `datatype` and `shape` by the service. */
@InputType({ description: 'A named input tensor (Open Inference Protocol): `data` holds prod(shape) values, row-major (nested lists are flattened).' })
export class InferTensorInput {
  @Field({ description: "The model's input name (tabular models: a feature column, or any name for one [rows, features] tensor)." })
  name!: string;

  @Field(() => TensorDatatype)
  datatype!: Datatype;

  @Field(() => [Int], { description: 'Dimensions, e.g. [rows, features].' })
  shape!: number[];

  @Field(() => BoundedJSON, { description: 'The values: numbers, booleans (BOOL) or strings (BYTES).' })
  data!: unknown;
}
