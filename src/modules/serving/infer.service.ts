/**
 * Inference with named tensors (the Open Inference Protocol, KServe V2), for the V2 REST routes
 * (src/rest/v2/) and the GraphQL `infer` and `modelMetadata` queries. The version is resolved as
 * predict resolves it (number, alias or latest: version-resolver.ts) and loaded from the same cache.
 *
 * A model whose family answers {@link TENSOR_SPECS_METHOD} and {@link INFER_TENSORS_METHOD}
 * (uploaded ONNX models) is called with the tensors as they are (concurrent calls joined into one
 * run when the batch dimension is dynamic: tensor-batcher.ts); the platform's own tabular models
 * read them as rows (tabular-tensors.ts) and score through the micro-batcher like predict.
 * Scope `predict`; every row (the batch dimension) counts against the tenant's prediction rate limit.
 */
import { AppError, badInput, quote } from '../../lib/errors';
import { checkOutputEstimate, checkOutputSize, estimateOutputValues, withTransportLimit } from './output-size';
import type { Metrics } from '../../lib/metrics';
import { INFER_TENSORS_METHOD, TENSOR_SPECS_METHOD, type NamedTensor } from '../../ml/tensor-io';
import type { Actor } from '../auth/actor';
import { requireScope } from '../auth/require-scope';
import type { QuotaService } from '../quotas/quota.service';
import { checkInferInput, parseInferenceRequest, type InferInput } from './infer-request';
import type { PredictService } from './predict.service';
import type { ServedModel } from './served-model';
import { imageInputSpecs, imagePredictions, tensorsToPixels } from './image-tensors';
import { checkAgainstSpecs, packedInputs, plainTensor, type AnswerTensor, type PlainTensor, type TensorSpecs } from './named-tensors';
import { encodedOffThread, type AnswerEncoder } from './answer-encoder';
import { asHalfFloats, classify, readInferParameters, wantsBinary } from './infer-parameters';
import { readBinaryInputs } from './binary-tensors';
import { checkOutputNames, TABULAR_OUTPUTS, predictionsToTensors, tabularInputSpecs, tabularOutputSpecs, tensorsToMatrix } from './tabular-tensors';
import type { VersionResolver, VersionSelector } from './version-resolver';
import { batchable, TensorBatcher } from './tensor-batcher';
import { inSpan } from '../../lib/tracing/tracer';

/** The answer of `infer` (the protocol's `$inference_response`). */
export interface InferResult {
  modelName: string;
  /** The version that answered, e.g. '3' (the protocol's `model_version`). */
  modelVersion: string;
  /** The version number. */
  version: number;
  /** ModelVersion.id of the version that answered. */
  modelVersionId: string;
  /** The caller's request id, echoed. */
  id?: string;
  /**
   * Plain arrays (JSON-ready), row-major, or a large numeric output's JSON encoded on an answer
   * thread (answer-encoder.ts; not for outputs asked in binary or with `classification`); an output
   * asked with `classification` is its top-k BYTES tensor.
   */
  outputs: AnswerTensor[];
  /** Per output (same order): whether the caller asked for it in binary (V2 REST only; GraphQL answers JSON). */
  binary: boolean[];
}

/** The protocol's model metadata (`$metadata_model_response`). */
export interface ModelMetadata extends TensorSpecs {
  name: string;
  /** The same as `name` (GraphQL's ServedVersion field). */
  modelName: string;
  /** Every version of the model, newest first, as strings. */
  versions: string[];
  /** The stored framework of the resolved version, e.g. 'tfjs-layers', 'hist-trees', 'onnx'. */
  platform: string;
  /** The resolved version. */
  version: number;
  modelVersionId: string;
  /** Bytes the loaded version weighs in this process' model cache (ServedModel.bytes). */
  loadedBytes: number;
  /** What loading it measured, bytes (ServedModel.measuredBytes); null when not measured. */
  measuredBytes: number | null;
}

/** Named-tensor inference and metadata for a tenant. */
export class InferService {
  /** Tensor specs of a loaded model (null: a model of the platform's own, described by its pipeline). */
  private readonly specs = new WeakMap<ServedModel, Promise<TensorSpecs | null>>();
  /** The micro-batcher of a loaded model whose batch dimension is dynamic (tensor-batcher.ts). */
  private readonly batchers = new WeakMap<ServedModel, TensorBatcher>();

  constructor(
    /** The version resolutions and version lists predict uses (cached, dropped on a model change). */
    private readonly versions: VersionResolver,
    private readonly predict: PredictService,
    private readonly quotas: QuotaService,
    private readonly metrics: Metrics,
    /**
     * maxRows: rows per call (MAX_PREDICT_ROWS); maxImages: images per call (MAX_PREDICT_IMAGES);
     * batching: micro-batching of declared models (BATCH_MAX_ROWS, BATCH_MAX_WAIT_MS; default 64 rows, this turn).
     */
    private readonly options: {
      maxRows: number;
      maxImages: number;
      batching?: { maxRows: number; maxWaitMs: number };
      /** Told of a tenant whose ONNX call computed an output past its limit (dynamic dimensions hid it): counts toward its host back-off. */
      onOversizedOutput?: (tenantId: string) => void;
      /** Encodes large numeric outputs' JSON off the event loop (answer-encoder.ts); without it they are copied to plain arrays here. */
      encoder?: AnswerEncoder;
    },
  ) {}

  /**
   * Runs the model on named tensors (`predict` scope; counts `rows` = the batch dimension against
   * the tenant's prediction rate limit).
   * @throws AppError FORBIDDEN; NOT_FOUND (model, version or alias; another tenant's too);
   *   MODEL_NOT_READY; BAD_USER_INPUT (a tensor's datatype, shape or data, an input or output the
   *   model does not have, a missing input, no rows or too many, both version and alias);
   *   NOT_SUPPORTED (a version with neither feature columns nor an image input); NON_FINITE_OUTPUT;
   *   BAD_USER_INPUT (reason OUTPUT_TOO_LARGE) when the outputs would hold, or hold, more values than
   *   the tenant's INFER_MAX_OUTPUT_VALUES (output-size.ts); QUOTA_EXCEEDED (rate limit, with retryAfterSeconds).
   */
  infer(actor: Actor, modelName: string, selector: VersionSelector, input: InferInput): Promise<InferResult> {
    return this.run(actor, modelName, selector, () => input);
  }

  /**
   * Refuses at once, before a route reads the request's body, when this process knows the caller's
   * prediction budget is spent (QuotaService.assertPredictionsLeft): a tenant past its rate limit
   * costs the server little to refuse (hostile review: 429s that parsed 1 MB bodies slowed others).
   * @throws AppError QUOTA_EXCEEDED with `retryAfterSeconds`.
   */
  assertBudgetLeft(actor: Actor): void {
    this.quotas.assertPredictionsLeft(actor.tenantId);
  }

  /**
   * The same for a V2 REST request body, read (parseInferenceRequest) only once the version is
   * resolved: another tenant's model answers NOT_FOUND whatever the body holds.
   * @throws AppError as {@link infer}; BAD_USER_INPUT for a body that is no V2 inference request.
   */
  inferBody(actor: Actor, modelName: string, selector: VersionSelector, body: unknown, binaryTail?: Uint8Array): Promise<InferResult> {
    return this.run(actor, modelName, selector, () => {
      const request = parseInferenceRequest(body);
      return {
        inputs: binaryTail ? readBinaryInputs(request.inputs, binaryTail) : request.inputs,
        outputs: request.outputs?.map((o) => o.name),
        outputRequests: request.outputs,
        binaryBody: binaryTail !== undefined,
        parameters: request.parameters,
        id: request.id,
      };
    });
  }

  /** The call in an `infer` span (src/lib/tracing/: the model and tenant named, never the tensors). */
  private run(actor: Actor, modelName: string, selector: VersionSelector, read: () => InferInput): Promise<InferResult> {
    return inSpan(
      'infer',
      () => ({ 'maas.tenant.id': actor.tenantId, 'maas.model.name': modelName }),
      () => this.runNow(actor, modelName, selector, read),
    );
  }

  private async runNow(actor: Actor, modelName: string, selector: VersionSelector, read: () => InferInput): Promise<InferResult> {
    requireScope(actor, 'predict');
    if (selector.version !== undefined && selector.alias !== undefined) throw badInput('infer takes `version` or `alias`, not both');
    // The version first: another tenant's model answers NOT_FOUND whatever else is wrong.
    const { ref, served } = await this.predict.load(actor.tenantId, modelName, selector);
    const input = read();
    const { inputs, outputs: wanted } = checkInferInput(input);
    const requests = input.outputRequests ?? (wanted ?? []).map((name) => ({ name }));
    const params = readInferParameters(input.parameters, requests, input.inputs, input.binaryBody ?? false);
    const specs = await this.tensorSpecsOf(served);
    const answer = (plain: AnswerTensor[]): InferResult => {
      const outputs = plain.map((t) => {
        const asked = params.outputs.get(t.name);
        if (!asked || (asked.classification === undefined && asked.datatype === undefined)) return t;
        const field = `outputs[${requests.findIndex((o) => o.name === t.name)}].parameters`;
        const out = asked.classification === undefined ? t : classify(t, asked.classification, labelsOf(served, t.name), `${field}.classification`);
        return asked.datatype === 'FP16' ? asHalfFloats(out, `${field}.datatype`) : out;
      });
      return {
        modelName,
        modelVersion: String(ref.version),
        version: ref.version,
        modelVersionId: ref.id,
        ...(input.id != null ? { id: input.id } : {}),
        outputs,
        binary: outputs.map((t) => wantsBinary(params, t.name)),
      };
    };
    if (specs) {
      const rows = checkAgainstSpecs(inputs, wanted, specs);
      // Before the rate limit is spent and the model runs: the declared shapes × the batch.
      const limit = withTransportLimit(await this.quotas.outputLimit(actor.tenantId), input.transportLimit);
      checkOutputEstimate(estimateOutputValues(specs.outputs, wanted, rows), limit);
      await this.admit(actor, rows, this.options.maxRows);
      // A joined run answers at most what one call may: it holds the host lane for all its calls (tensor-batcher.ts).
      const runRows = Math.max(1, Math.floor(limit.max / Math.max(1, estimateOutputValues(specs.outputs, wanted, 1).values)));
      const out = await this.runTensors(served, specs, packedInputs(inputs), wanted, rows, runRows);
      try {
        checkOutputSize(out, limit); // what dynamic dimensions hid, before anything is serialised
      } catch (err) {
        // The host computed it all (seconds, other tenants' ONNX calls waiting): counted like a host fault, so repeating it backs the tenant off.
        this.options.onOversizedOutput?.(actor.tenantId);
        throw err;
      }
      this.metrics.countPredictions(actor.tenantId, modelName, rows);
      const ready: AnswerTensor[] = [];
      for (const t of out) {
        const json = !wantsBinary(params, t.name) && params.outputs.get(t.name)?.classification === undefined;
        const { encoder } = this.options;
        if (json && encoder && encodedOffThread(t.data)) ready.push({ ...t, data: await encoder.encode(actor.tenantId, t.name, t.data) });
        else ready.push(await plainTensor(t));
      }
      return answer(ready);
    }
    if (served.image) {
      checkOutputNames(tabularOutputSpecs(served.pipeline), wanted);
      const { pixels, count } = tensorsToPixels(inputs, served.image);
      await this.admit(actor, count, this.options.maxImages);
      const out = await served.scoreImages(pixels, count);
      this.metrics.countPredictions(actor.tenantId, modelName, count);
      return answer(predictionsToTensors(imagePredictions(out, count, served.pipeline.target.classes ?? []), served.pipeline, wanted) as PlainTensor[]);
    }
    if (served.pipeline.columns.length === 0) {
      throw new AppError('NOT_SUPPORTED', `Model '${modelName}' version ${ref.version} takes no named tensors; use its own query`);
    }
    const { matrix, source } = tensorsToMatrix(inputs, served.pipeline);
    checkOutputNames(tabularOutputSpecs(served.pipeline), wanted);
    const rows = matrix.rows.length;
    await this.admit(actor, rows, this.options.maxRows);
    let predictions;
    try {
      predictions = await served.predictMatrix(matrix);
    } catch (err) {
      throw inTensorTerms(err, source.tensorOf);
    }
    this.metrics.countPredictions(actor.tenantId, modelName, rows);
    return answer(predictionsToTensors(predictions, served.pipeline, wanted) as PlainTensor[]);
  }

  /**
   * The version's inputs and outputs as V2 tensor specs, its model's versions and platform
   * (`predict` scope: what a client needs to call infer). Costs what infer's resolution costs: the
   * resolution, the loaded model and the version list come from this process' caches, dropped when
   * the model changes (version-resolver.ts), so a version published or deleted is listed at once.
   * @throws AppError FORBIDDEN, NOT_FOUND, MODEL_NOT_READY, BAD_USER_INPUT (both version and alias).
   */
  async metadata(actor: Actor, modelName: string, selector: VersionSelector): Promise<ModelMetadata> {
    requireScope(actor, 'predict');
    if (selector.version !== undefined && selector.alias !== undefined) throw badInput('modelMetadata takes `version` or `alias`, not both');
    const { ref, served } = await this.predict.load(actor.tenantId, modelName, selector);
    const specs = (await this.tensorSpecsOf(served)) ?? this.pipelineSpecs(served);
    let versions = await this.versions.versions(actor.tenantId, modelName);
    // A list cached before the resolution (a change notification lost on the way): read once more.
    if (!versions.some((v) => v.id === ref.id)) versions = await this.versions.versions(actor.tenantId, modelName, true);
    return {
      name: modelName,
      modelName,
      versions: versions.map((v) => String(v.version)),
      platform: versions.find((v) => v.id === ref.id)?.framework ?? 'unknown',
      version: ref.version,
      modelVersionId: ref.id,
      loadedBytes: served.bytes,
      measuredBytes: served.measuredBytes,
      ...specs,
    };
  }

  /**
   * Whether the version can serve now: resolved and loaded (`predict` scope).
   * @throws AppError as {@link metadata}; MODEL_NOT_READY when it cannot be loaded.
   */
  async ready(actor: Actor, modelName: string, selector: VersionSelector): Promise<{ version: number; modelVersionId: string }> {
    requireScope(actor, 'predict');
    const { ref } = await this.predict.load(actor.tenantId, modelName, selector);
    return { version: ref.version, modelVersionId: ref.id };
  }

  /**
   * Runs a declared model: through its micro-batcher when its batch dimension is dynamic (joining at
   * most `runRows` rows per run), else alone.
   */
  private runTensors(served: ServedModel, specs: TensorSpecs, inputs: NamedTensor[], wanted: string[] | undefined, rows: number, runRows: number): Promise<NamedTensor[]> {
    const run = (i: NamedTensor[], o: string[] | undefined) => served.query(INFER_TENSORS_METHOD, [i, o]) as Promise<NamedTensor[]>;
    if (!batchable(specs)) return run(inputs, wanted);
    let batcher = this.batchers.get(served);
    if (!batcher) {
      const batching = this.options.batching ?? { maxRows: 64, maxWaitMs: 0 };
      batcher = new TensorBatcher(run, specs, { ...batching, onBatch: (n) => this.metrics.batchSize.observe(n) });
      this.batchers.set(served, batcher);
    }
    return batcher.submit(inputs, wanted, rows, runRows);
  }

  /** @throws AppError BAD_USER_INPUT for no rows or more than `max`; QUOTA_EXCEEDED. */
  private async admit(actor: Actor, rows: number, max: number): Promise<void> {
    if (rows === 0) throw badInput('The input tensors hold no rows (the batch dimension is 0): send at least one', { field: 'inputs' });
    if (rows > max) throw badInput(`The input tensors hold ${rows} rows; at most ${max} per call`, { field: 'inputs' });
    await this.quotas.consumePredictions(actor.tenantId, rows);
  }

  /** The specs a tabular model is described by (its pipeline). */
  private pipelineSpecs(served: ServedModel): TensorSpecs {
    if (served.image) return { inputs: imageInputSpecs(served.image), outputs: tabularOutputSpecs(served.pipeline) };
    if (served.pipeline.columns.length === 0) return { inputs: [], outputs: [] };
    return { inputs: tabularInputSpecs(served.pipeline), outputs: tabularOutputSpecs(served.pipeline) };
  }

  /** The family's own tensor specs, asked once per loaded model; null when its family has none. */
  private tensorSpecsOf(served: ServedModel): Promise<TensorSpecs | null> {
    let specs = this.specs.get(served);
    if (!specs) {
      specs = served.query(TENSOR_SPECS_METHOD, []).then(
        (s) => s as TensorSpecs,
        (err: unknown) => {
          if (err instanceof AppError && err.code === 'NOT_SUPPORTED') return null;
          this.specs.delete(served);
          throw err;
        },
      );
      this.specs.set(served, specs);
    }
    return specs;
  }
}

/** Class labels of output `name`: an uploaded model's labelled output, a classifier's `probabilities`. */
function labelsOf(served: ServedModel, name: string): readonly string[] | null {
  const onnx = served.pipeline.onnx;
  if (onnx) return onnx.labelsOutput === name ? onnx.labels : null;
  return name === TABULAR_OUTPUTS.probabilities ? (served.pipeline.target.classes ?? null) : null;
}

/** A bad value the pipeline found (`matrix.rows[3].BMI must be a number…`), named by tensor and row. */
function inTensorTerms(err: unknown, tensorOf: (feature: string) => string): unknown {
  if (!(err instanceof AppError) || err.code !== 'BAD_USER_INPUT') return err;
  const feature = typeof err.details?.feature === 'string' ? err.details.feature : undefined;
  const row = err.details?.row;
  if (feature === undefined || typeof row !== 'number') return err;
  const message = err.message.replace(/^matrix\.rows\[\d+\]\./, '');
  return badInput(`Input tensor ${quote(tensorOf(feature))}, row ${row}: ${message}`, { ...err.details, field: 'inputs' });
}
