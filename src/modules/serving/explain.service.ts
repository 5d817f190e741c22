/**
 * Explanations over the network: resolve and load the version as predict does, charge the model
 * evaluations the explanation needs to the tenant's prediction rate limit, then explain.
 */
import { AppError, badInput } from '../../lib/errors';
import type { Logger } from '../../lib/logger';
import { evaluationsPerRow } from '../../ml/explain';
import { tokenEvaluationsPerRow } from '../../ml/explain-tokens';
import { inputNames } from '../../ml/preprocess/types';
import type { Actor } from '../auth/actor';
import { requireScope } from '../auth/require-scope';
import type { QuotaService } from '../quotas/quota.service';
import type { ExplanationResult } from './explain.type';
import type { PredictService } from './predict.service';
import type { VersionSelector } from './version-resolver';

export interface ExplainInput {
  /** Objects keyed like the training CSV's columns, as for predict. */
  rows: unknown[];
  /** Baseline values for some or all feature columns. */
  baseline?: Record<string, unknown> | null;
  /** Sampling (more than 10 feature columns): antithetic pairs of feature orders, 1-256. (Default: 32) */
  samples?: number | null;
}

export class ExplainService {
  constructor(
    private readonly predict: PredictService,
    private readonly quotas: QuotaService,
    /**
     * maxCells: rows × evaluations × model inputs one call may score (bounds its CPU time); for a
     * model whose multiply-adds per row are known (`ServedModel.costPerRow`), maxRowWork bounds one
     * row's evaluations × that (a row is the smallest slice on a scoring thread) and maxWork the call's.
     */
    private readonly options: { maxRows: number; maxCells: number; maxRowWork?: number; maxWork?: number },
    /** Told when an explanation stops because its client left (info). (Default: nobody) */
    private readonly log?: Logger,
  ) {}

  /**
   * @throws AppError BAD_USER_INPUT (no rows, too many, a bad row or baseline value, samples out of
   *   range, both version and alias, more than maxCells of work, a row or call past maxRowWork or
   *   maxWork multiply-adds), NOT_FOUND, MODEL_NOT_READY, QUOTA_EXCEEDED (rate limit: each
   *   row counts as the model evaluations its explanation takes); INVALID_STATE (reason CLIENT_GONE)
   *   when `signal` aborts (the client left) between two slices of the work.
   */
  async explain(actor: Actor, modelName: string, selector: VersionSelector, input: ExplainInput, signal?: AbortSignal): Promise<ExplanationResult> {
    requireScope(actor, 'predict');
    if (selector.version !== undefined && selector.alias !== undefined) throw badInput('explain takes `version` or `alias`, not both');
    if (input.rows.length === 0) throw badInput('rows is empty: send at least one row');
    if (input.rows.length > this.options.maxRows) throw badInput(`rows has ${input.rows.length} rows; explain takes at most ${this.options.maxRows} per call`);
    const pairs = input.samples ?? undefined;
    if (pairs !== undefined && !(Number.isInteger(pairs) && pairs >= 1 && pairs <= 256)) throw badInput(`samples must be an integer in [1, 256], got ${pairs}`);
    const { ref, served } = await this.predict.load(actor.tenantId, modelName, selector);
    const explain = served.prepareExplanation(input.rows, input.baseline ?? null); // bad rows fail here, uncharged
    const options = { pairs };
    const evaluations = input.rows.length * (evaluationsPerRow(served.pipeline.columns.length, options) + tokenEvaluationsPerRow(served.pipeline));
    const cells = evaluations * inputNames(served.pipeline).length;
    if (cells > this.options.maxCells) {
      throw badInput(
        `Explaining ${input.rows.length} row(s) of this version takes ${evaluations} model evaluations of ${inputNames(served.pipeline).length} inputs (${cells} cells); ` +
          `at most ${this.options.maxCells} per call (MAX_EXPLAIN_CELLS): send fewer rows or a smaller samples`,
      );
    }
    this.checkWork(await served.rowCost(), input.rows.length, evaluations / input.rows.length, served.pipeline.columns.length, pairs);
    await this.quotas.consumePredictions(actor.tenantId, evaluations);
    let result: Awaited<ReturnType<typeof explain>>;
    try {
      result = await explain(options, signal);
    } catch (err) {
      // Over the websocket a completed operation's error reaches no one: said here, for both transports.
      if (err instanceof AppError && err.details?.reason === 'CLIENT_GONE')
        this.log?.info({ tenantId: actor.tenantId, message: err.message }, 'explanation stopped: its client left');
      throw err;
    }
    const byMagnitude = (a: { attribution: number }, b: { attribution: number }) => Math.abs(b.attribution) - Math.abs(a.attribution);
    return {
      modelName,
      version: ref.version,
      modelVersionId: ref.id,
      ...result,
      explanations: result.explanations.map((e) => ({ ...e, attributions: [...e.attributions].sort(byMagnitude) })),
    };
  }

  /**
   * Refuses an explanation whose multiply-adds (rows × evaluations per row × the model's cost per
   * row) pass MAX_EXPLAIN_ROW_WORK for one row or MAX_EXPLAIN_WORK for the call, naming what fits.
   * Models of unknown cost per row (trees, factorisations) pass: their rows are cheap, and the cell
   * cap bounds them.
   */
  private checkWork(costPerRow: number | undefined, rows: number, perRow: number, columns: number, pairs: number | undefined): void {
    const { maxRowWork, maxWork } = this.options;
    if (!costPerRow) return;
    const rowWork = perRow * costPerRow;
    const sampled = columns > 10;
    if (maxRowWork !== undefined && rowWork > maxRowWork) {
      const fits = Math.floor(maxRowWork / costPerRow / (2 * (columns + 1)));
      throw badInput(
        `Explaining one row of this version takes ${perRow} model evaluations of ${costPerRow} multiply-adds each (${rowWork.toExponential(2)}); ` +
          `at most ${maxRowWork.toExponential(2)} per row (MAX_EXPLAIN_ROW_WORK)` +
          (sampled && fits >= 1 ? `: send samples of at most ${fits} (got ${pairs ?? 32})` : ': this model is too large to explain here'),
      );
    }
    if (maxWork !== undefined && rows * rowWork > maxWork) {
      throw badInput(
        `Explaining ${rows} rows of this version takes ${(rows * rowWork).toExponential(2)} multiply-adds (${rowWork.toExponential(2)} a row); ` +
          `at most ${maxWork.toExponential(2)} per call (MAX_EXPLAIN_WORK): send at most ${Math.max(1, Math.floor(maxWork / rowWork))} rows per call, or a smaller samples`,
      );
    }
  }
}
