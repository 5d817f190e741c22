/**
 * GraphQL shapes of V2 (Open Inference Protocol) tensors: the datatype enum, a tensor spec (a
 * model's declared input or output) and a tensor with its data. Shared by `infer` and
 * `modelMetadata`; the values are those of src/ml/tensor-io.ts.
 */
import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { BoundedJSON } from '../common/json.scalar';
import type { EncodedJsonArray } from '../../lib/json-array-bytes';
import { TENSOR_DATATYPES, type TensorDatatype as Datatype } from '../../ml/tensor-io';

/** The V2 datatypes as a GraphQL enum (`FP32`, `INT64`, `BYTES`, …): names and values alike. */
export const TensorDatatype = Object.freeze(Object.fromEntries(TENSOR_DATATYPES.map((d) => [d, d])) as { readonly [K in Datatype]: K });
registerEnumType(TensorDatatype, {
  name: 'TensorDatatype',
  description: 'A tensor element type of the Open Inference Protocol (KServe V2): BOOL, UINT8…UINT64, INT8…INT64, FP16, FP32, FP64, BYTES (strings).',
});

/** One input or output a model version declares. */
@ObjectType({ description: 'An input or output a model version declares (Open Inference Protocol tensor metadata).' })
export class TensorSpec {
  @Field({ description: 'The tensor name, as `infer` takes or returns it.' })
  name!: string;

  @Field(() => TensorDatatype)
  datatype!: Datatype;

  @Field(() => [Int], { description: 'Dimensions; -1 where any size is accepted (the batch, first).' })
  shape!: number[];
}

/** A tensor with its data, as `infer` returns it. */
@ObjectType({ description: 'A named tensor (Open Inference Protocol): `data` is the row-major flattening of `shape`.' })
export class InferTensor extends TensorSpec {
  @Field(() => BoundedJSON, { description: 'prod(shape) values, row-major: numbers, booleans (BOOL) or strings (BYTES).' })
  /** An EncodedJsonArray (a large output's JSON encoded on an answer thread) serialises as its plain values. */
  data!: number[] | boolean[] | string[] | EncodedJsonArray;
}
