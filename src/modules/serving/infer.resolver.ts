/**
 * `infer` and `modelMetadata`: the Open Inference Protocol (KServe V2) over GraphQL, the same
 * service as the V2 REST routes (src/rest/v2/). Scope `predict`.
 */
import { Arg, Args, Authorized, Ctx, Query, Resolver } from 'type-graphql';
import type { Actor } from '../auth/actor';
import { BoundedJSONObject } from '../common/json.scalar';
import { SLICE } from '../../lib/json-stream';
import type { InferService } from './infer.service';
import type { AnswerTensor } from './named-tensors';
import { InferTensorInput } from './infer.input';
import { WEBSOCKET_MAX_OUTPUT_VALUES } from './output-size';
import { InferResult, ModelTensorMetadata } from './infer.type';
import { VersionArgs, versionSelector } from './version.args';

/** The part of the GraphQL context these fields use (structural: modules do not import src/graphql). */
interface Context {
  actor?: Actor;
  services: { infer: InferService };
  /** HTTP only: where a big `data` array is written streamed after the answer is serialised (src/graphql/deferred-answer.ts). */
  deferredArrays?: { defer(data: AnswerTensor['data']): string };
}

/** Outputs of more values than this are written streamed over HTTP (src/lib/json-stream.ts SLICE). */
const STREAMED_FROM = SLICE;

/** The `infer` and `modelMetadata` queries. */
@Resolver()
export class InferResolver {
  /**
   * Runs a model version on named tensors. Scope: `predict`; each row (batch entry) counts
   * against the prediction rate limit.
   * @throws BAD_USER_INPUT (a tensor's datatype, shape or data; an unknown or missing input or
   *   output; reason OUTPUT_TOO_LARGE past the tenant's INFER_MAX_OUTPUT_VALUES), NOT_FOUND,
   *   MODEL_NOT_READY, NOT_SUPPORTED, QUOTA_EXCEEDED.
   */
  @Authorized('predict')
  @Query(() => InferResult, {
    description:
      'Runs a model version (as for predict: `version`, `alias` or the latest) on named tensors, as the Open Inference Protocol ' +
      '(KServe V2) does; the same as POST /v2/models/{name}/infer. Tabular models take one [rows, features] tensor in the order ' +
      'modelMetadata lists the features, or one [rows] tensor per feature, and return `predict` (labels or values) and, for ' +
      'classifiers, `probabilities` [rows, classes].',
  })
  async infer(
    @Args(() => VersionArgs) which: VersionArgs,
    @Arg('inputs', () => [InferTensorInput]) inputs: InferTensorInput[],
    @Arg('outputs', () => [String], { nullable: true, description: 'The outputs to return (default: all).' }) outputs: string[] | null,
    @Arg('parameters', () => BoundedJSONObject, { nullable: true, description: "Free-form request parameters (the protocol's `parameters`)." })
    parameters: Record<string, unknown> | null,
    @Arg('id', () => String, { nullable: true, description: 'A request id, echoed in the answer.' }) id: string | null,
    @Ctx() ctx: Context,
  ): Promise<InferResult> {
    const deferred = ctx.deferredArrays;
    // No deferred arrays: the websocket, which writes the answer in one go on the event loop (output-size.ts).
    const transportLimit = deferred ? undefined : { max: WEBSOCKET_MAX_OUTPUT_VALUES, name: 'an answer over the websocket' };
    const result = await ctx.services.infer.infer(ctx.actor!, which.model, versionSelector(which), { inputs, outputs, parameters, id, transportLimit });
    if (!deferred) return result;
    // A placeholder string where a big array goes: the answer is serialised without it, then streamed with it.
    const streamed = (data: AnswerTensor['data']) => (data.length > STREAMED_FROM ? (deferred.defer(data) as unknown as AnswerTensor['data']) : data);
    return { ...result, outputs: result.outputs.map((t) => ({ ...t, data: streamed(t.data) })) };
  }

  /**
   * A model version's inputs and outputs as tensor specs. Scope: `predict`.
   * @throws NOT_FOUND, MODEL_NOT_READY, BAD_USER_INPUT (both version and alias).
   */
  @Authorized('predict')
  @Query(() => ModelTensorMetadata, {
    description: "A model version's inputs and outputs as named tensors (what infer takes and returns); the same as GET /v2/models/{name}.",
  })
  modelMetadata(@Args(() => VersionArgs) which: VersionArgs, @Ctx() ctx: Context): Promise<ModelTensorMetadata> {
    return ctx.services.infer.metadata(ctx.actor!, which.model, versionSelector(which));
  }
}
