/**
 * Predictions: resolve the version (cached), get it ready to serve (cached by bytes), validate and
 * transform the caller's rows with the version's pipeline, and score them in a micro-batch with
 * concurrent callers of the same version.
 */
import type { Db } from '../../lib/db';
import { AppError, badInput } from '../../lib/errors';
import type { Logger } from '../../lib/logger';
import type { Metrics } from '../../lib/metrics';
import { withTenant } from '../../lib/tenant-tx';
import { annotate, inSpan, tracingOn } from '../../lib/tracing/tracer';
import type { Actor } from '../auth/actor';
import { requireScope } from '../auth/require-scope';
import type { QuotaService } from '../quotas/quota.service';
import type { ModelRepo } from '../registry/model.repo';
import type { BatcherOptions } from './batcher';
import type { FeatureMatrix } from './feature-matrix';
import type { ModelCache } from './model-cache';
import type { Quarantine } from '../../ml/serving/quarantine';
import type { TenantFaultBackoff } from '../../ml/serving/tenant-fault-backoff';
import type { PredictionResult } from './prediction.type';
import { scoredResult } from './prediction-result';
import { loadServedModel, type ServedModel } from './served-model';
import type { VersionRef, VersionResolver, VersionSelector } from './version-resolver';
import type { ScoringThreads } from '../../ml/serving/scoring-threads';

/** Rows to score: exactly one of the two shapes. */
export interface PredictInput {
  /** Objects keyed like the training CSV's columns. */
  rows?: unknown[] | null;
  /** The same rows as columns + value lists (faster to parse for bulk requests). */
  matrix?: FeatureMatrix | null;
}

/** Online predictions for a tenant, served from this process' model cache. */
export class PredictService {
  constructor(
    private readonly prisma: Db,
    private readonly models: ModelRepo,
    private readonly resolver: VersionResolver,
    private readonly cache: ModelCache<ServedModel>,
    private readonly quotas: QuotaService,
    private readonly metrics: Metrics,
    private readonly options: {
      maxRows: number;
      batching: BatcherOptions;
      /** Score on these threads (SERVING_ISOLATION=thread); inline when undefined. */
      threads?: ScoringThreads;
      /** With `threads`: calls of at most this many multiply-adds score on this thread in JS (INLINE_SCORING_MAX_MACS; served-model.ts). */
      inlineMaxMacs?: number;
      /** With `threads`: larger calls go to the thread in slices of about this many multiply-adds (SCORING_SLICE_WORK; served-scoring.ts). */
      sliceWork?: number;
      /** Test only (SCORING_FAULT_INJECTION): the versions whose inline scoring aborts the runtime. */
      injectAbortInline?: string[];
      /** Inline only: versions whose scoring aborted the runtime, refused for SERVING_QUARANTINE_SECONDS. */
      quarantine?: Quarantine;
      /** Inline only: tenants whose ONNX models crashed the host too often (SERVING_TENANT_MAX_FAULTS), refused for a while. */
      backoff?: TenantFaultBackoff;
    },
    private readonly log?: Logger,
  ) {}

  /**
   * Scores rows with a version of the tenant's model (`predict` scope), counted against the
   * tenant's per-minute rate limit.
   * @param selector `version` or `alias`; neither = the latest version.
   * @throws AppError FORBIDDEN, BAD_USER_INPUT (no rows, too many rows, a bad row, both version and alias),
   *   NOT_FOUND (model, version or alias), MODEL_NOT_READY (no version yet, or its scoring failed and
   *   it is reloaded: see scoring-guard.ts; with `fault: 'RUNTIME_FAULT'` when it crashed its
   *   scoring thread or is quarantined for that: see src/ml/serving/scoring-threads.ts),
   *   QUOTA_EXCEEDED (rate limit, with retryAfterSeconds).
   */
  predict(actor: Actor, modelName: string, selector: VersionSelector, input: PredictInput): Promise<PredictionResult> {
    if (!tracingOn()) return this.predictNow(actor, modelName, selector, input);
    const rows = input.matrix ? input.matrix.rows?.length : input.rows?.length;
    const attributes = { 'maas.tenant.id': actor.tenantId, 'maas.model.name': modelName, ...(rows !== undefined ? { 'maas.rows': rows } : {}) };
    return inSpan(
      'predict',
      () => attributes,
      () => this.predictNow(actor, modelName, selector, input),
    );
  }

  private async predictNow(actor: Actor, modelName: string, selector: VersionSelector, input: PredictInput): Promise<PredictionResult> {
    requireScope(actor, 'predict');
    if ((input.rows == null) === (input.matrix == null)) throw badInput('predict takes exactly one of `rows` and `matrix`');
    if (selector.version !== undefined && selector.alias !== undefined) throw badInput('predict takes `version` or `alias`, not both');
    const field = input.matrix ? 'matrix.rows' : 'rows';
    const count = input.matrix ? input.matrix.rows.length : input.rows!.length;
    if (count === 0) throw badInput(`${field} is empty: send at least one row`);
    if (count > this.options.maxRows) throw badInput(`${field} has ${count} rows; at most ${this.options.maxRows} per call`);
    await this.quotas.consumePredictions(actor.tenantId, count);
    const { ref, served } = await this.load(actor.tenantId, modelName, selector);
    annotate({ 'maas.model.version': ref.version });
    // A matrix goes to the pipeline as columns: no row objects on the way; outputs are decoded as
    // rows or as columns only when the query asks for them.
    const scored = await (input.matrix ? served.scoreMatrix(input.matrix) : served.scoreRows(input.rows!));
    this.metrics.countPredictions(actor.tenantId, modelName, count);
    return scoredResult({ modelName, version: ref.version, modelVersionId: ref.id }, scored);
  }

  /**
   * The version a selector names, ready to serve (cached).
   * @throws AppError NOT_FOUND (model, version or alias), MODEL_NOT_READY (no version yet).
   */
  load(tenantId: string, modelName: string, selector: VersionSelector): Promise<{ ref: VersionRef; served: ServedModel }> {
    // Resolved and loaded already (the common request): no database, no async steps. Traced calls take the spans' path.
    if (!tracingOn() && (selector.stage === undefined || (selector.version === undefined && selector.alias === undefined))) {
      const ref = this.resolver.cached(tenantId, modelName, selector);
      const served = ref && this.cache.getLoaded(ref.id);
      if (served) return Promise.resolve({ ref: ref!, served });
    }
    return this.loadNow(tenantId, modelName, selector);
  }

  private async loadNow(tenantId: string, modelName: string, selector: VersionSelector): Promise<{ ref: VersionRef; served: ServedModel }> {
    let ref = await this.resolver.resolve(tenantId, modelName, selector);
    let served: ServedModel;
    try {
      served = await this.serve(tenantId, ref.id);
    } catch (err) {
      // The version was deleted after this process resolved to it: resolve again, once.
      if (!(err instanceof AppError && err.code === 'NOT_FOUND')) throw err;
      this.resolver.invalidate(tenantId, modelName);
      ref = await this.resolver.resolve(tenantId, modelName, selector);
      served = await this.serve(tenantId, ref.id);
    }
    return { ref, served };
  }

  /**
   * Loads the versions predict is most likely to be asked for (alias targets, then each model's
   * latest version) into this process' cache, newest first, until `limit` versions.
   * Reads across tenants as the owner connection: a start-up task, not a request.
   * @returns how many versions were loaded.
   */
  async warm(limit = 100): Promise<number> {
    const rows = await this.models.warmCandidates(this.prisma, limit);
    for (const r of rows) await this.serve(r.tenantId, r.id);
    return rows.length;
  }

  /** A version's scoring failed (see scoring-guard.ts): unload it, so the next request loads it afresh. */
  private onScoringFault(tenantId: string, versionId: string, reason: string, runtimeAborted: boolean): void {
    this.cache.evict(versionId);
    this.log?.error(
      { tenantId, modelVersionId: versionId, reason, runtimeAborted },
      runtimeAborted ? 'the TF.js runtime aborted while scoring; /healthz now fails' : 'scoring failed; version unloaded',
    );
  }

  /** The version ready to serve: from the cache, or loaded once for every concurrent caller (traced: `model-cache.get`, hit or miss). */
  private serve(tenantId: string, versionId: string): Promise<ServedModel> {
    if (!tracingOn()) return this.cacheGet(tenantId, versionId);
    const hit = this.cache.has(versionId);
    return inSpan(
      'model-cache.get',
      () => ({ 'maas.cache.hit': hit, 'maas.model.version_id': versionId }),
      () => this.cacheGet(tenantId, versionId),
    );
  }

  private cacheGet(tenantId: string, versionId: string): Promise<ServedModel> {
    return this.cache.get(versionId, tenantId, async () => {
      const row = await withTenant(this.prisma, tenantId, (tx) => this.models.findVersionRow(tx, tenantId, versionId));
      if (!row) throw new AppError('NOT_FOUND', `Model version '${versionId}' not found`);
      return loadServedModel(
        row,
        { ...this.options.batching, onBatch: (n) => this.metrics.batchSize.observe(n), onInline: (n) => this.metrics.inlineScoringRows.observe(n) },
        {
          versionId,
          tenantId,
          onFault: (id, reason, runtimeAborted) => this.onScoringFault(tenantId, id, reason, runtimeAborted),
          threads: this.options.threads,
          inlineMaxMacs: this.options.inlineMaxMacs,
          sliceWork: this.options.sliceWork,
          injectAbort: this.options.injectAbortInline?.includes(versionId) ?? false,
          quarantine: this.options.quarantine,
          backoff: this.options.backoff,
        },
      );
    });
  }
}
