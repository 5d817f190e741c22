/** GraphQL answers of `infer` and `modelMetadata` (the Open Inference Protocol's, as GraphQL types). */
import { Field, Float, ObjectType } from 'type-graphql';
import { Nullable } from '../common/fields';
import { ServedVersion } from './served-version.type';
import { InferTensor, TensorSpec } from './tensor.type';

/** What `infer` returns: which version answered, and the output tensors. */
@ObjectType({ description: 'The answer of infer: the output tensors of the version that answered.' })
export class InferResult extends ServedVersion {
  @Nullable(String, 'The request id sent, echoed.')
  id?: string;

  @Field(() => [InferTensor], { description: 'The outputs asked for (default: every output the model serves), in that order.' })
  outputs!: InferTensor[];
}

/** A model version's inputs and outputs as tensors (V2 model metadata). */
@ObjectType({ description: "A model version's inputs and outputs as named tensors (Open Inference Protocol model metadata)." })
export class ModelTensorMetadata extends ServedVersion {
  @Field(() => [String], { description: "Every version of the model, newest first (the protocol's `versions`)." })
  versions!: string[];

  @Field({ description: "The version's stored framework, e.g. 'tfjs-layers' (the protocol's `platform`)." })
  platform!: string;

  @Field(() => [TensorSpec], { description: 'The inputs infer takes. Tabular models: one [rows] tensor per feature column, in order (or one [rows, features] tensor).' })
  inputs!: TensorSpec[];

  @Field(() => [TensorSpec], { description: 'The outputs infer can return.' })
  outputs!: TensorSpec[];

  @Field(() => Float, {
    description: "Bytes this version weighs in the answering API process' model cache (MODEL_CACHE_BYTES): its stored artifact plus `measuredBytes`.",
  })
  loadedBytes!: number;

  @Field(() => Float, {
    nullable: true,
    description:
      "Memory measured when the version was loaded, bytes: for an uploaded ONNX model the growth of its ONNX host process' resident set while the session opened (± a few 4 KiB pages; memory reused from earlier frees is missed, later inference buffers are not counted); for a TF.js model the bytes of its weight tensors; null when not measured (trees).",
  })
  measuredBytes!: number | null;
}
