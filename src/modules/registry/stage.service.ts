/**
 * Moving model versions between stages (transitionModelVersionStage), reading their history and
 * streaming it. A move to PRODUCTION archives the model's previous PRODUCTION version in the same
 * transaction (MLflow's archive_existing_versions), so a reader never sees two or none in between;
 * a partial unique index in the database backs the rule.
 */
import { Repeater } from '@graphql-yoga/subscription';
import type { Db } from '../../lib/db';
import { badInput, notFound } from '../../lib/errors';
import type { PubSub } from '../../lib/pubsub';
import { SharedUpcoming, SingleFlight } from '../../lib/single-flight';
import { withTenant, type Tx } from '../../lib/tenant-tx';
import type { AuditRepo } from '../audit/audit.repo';
import type { Actor } from '../auth/actor';
import { requireScope } from '../auth/require-scope';
import { Topics, type ModelStageChangedEvent } from '../events';
import type { ModelRepo } from './model.repo';
import { MAX_STAGE_COMMENT, ModelStage, type ModelStageEventView, type StageTransitionView, type VersionStageView } from './stage';
import type { StageRepo } from './stage.repo';

type TransitionRow = Awaited<ReturnType<StageRepo['history']>>[number];

const view = (r: TransitionRow): StageTransitionView => ({
  id: r.id,
  modelName: r.model.name,
  modelVersionId: r.versionId,
  version: r.version.version,
  fromStage: r.fromStage as ModelStage,
  toStage: r.toStage as ModelStage,
  actorKind: r.actorKind,
  actorId: r.actorId,
  comment: r.comment,
  createdAt: r.createdAt,
});

type StagedRow = Awaited<ReturnType<StageRepo['staged']>>[number];

/** Stages of a tenant's model versions. */
export class StageService {
  /**
   * Reads shared by the stage streams of one tenant's model (issue 10, review F1: thousands of
   * modelStageChanged subscriptions each read the model and its stages): the model's id by name,
   * and its stages, read once for every stream that asked before the read began (so each stream
   * still reads after it subscribed and after the move it was told of).
   */
  private readonly modelIds = new SingleFlight<{ id: string } | null>();
  private readonly stagedReads = new SharedUpcoming<StagedRow[]>();

  constructor(
    private readonly prisma: Db,
    private readonly stages: StageRepo,
    private readonly models: ModelRepo,
    private readonly audit: AuditRepo,
    private readonly pubsub: PubSub,
    /** Called in this process right after a move commits (other processes hear it by pub/sub). */
    private readonly onChange: (tenantId: string, modelName: string) => void = () => undefined,
  ) {}

  /**
   * Moves the tenant's version to `stage` (models:write), recording who, from, to, when and
   * `comment`; to PRODUCTION, the model's previous PRODUCTION version goes to ARCHIVED first (its
   * own history entry, same actor and comment). One transaction, audited; events after commit.
   * Moving a version to the stage it is in changes nothing and records nothing.
   * @returns the moves made, in order (0, 1 or 2).
   * @throws AppError FORBIDDEN, BAD_USER_INPUT (stage, comment longer than 500), NOT_FOUND (version,
   *   also another tenant's).
   */
  async transition(actor: Actor, versionId: string, stage: ModelStage, comment?: string | null): Promise<{ modelName: string; moves: StageTransitionView[] }> {
    requireScope(actor, 'models:write');
    if (!Object.values(ModelStage).includes(stage)) throw badInput(`stage '${String(stage).slice(0, 40)}' must be one of ${Object.values(ModelStage).join(', ')}`);
    const note = comment?.trim() ? comment.trim() : null;
    if (note && note.length > MAX_STAGE_COMMENT) throw badInput(`comment has ${note.length} characters; at most ${MAX_STAGE_COMMENT} are kept`);
    const { modelName, modelId, moves } = await withTenant(this.prisma, actor.tenantId, (tx) => this.moveInTx(tx, actor, versionId, stage, note));
    if (moves.length > 0) {
      this.onChange(actor.tenantId, modelName);
      await this.pubsub.publish(Topics.modelChanged, { tenantId: actor.tenantId, modelName });
      for (const m of moves) await this.pubsub.publish(Topics.modelStageChanged(actor.tenantId, modelId), { tenantId: actor.tenantId, transition: m });
    }
    return { modelName, moves };
  }

  private async moveInTx(tx: Tx, actor: Actor, versionId: string, stage: ModelStage, comment: string | null) {
    const v = await this.stages.lockVersion(tx, actor.tenantId, versionId);
    if (!v) throw notFound('Model version', versionId);
    const moves: StageTransitionView[] = [];
    if (v.stage === stage) return { modelName: v.model.name, modelId: v.modelId, moves };
    const who = { actorKind: actor.kind, actorId: actor.id, comment };
    if (stage === ModelStage.PRODUCTION) {
      const previous = await this.stages.productionOf(tx, actor.tenantId, v.modelId, v.id);
      if (previous)
        moves.push(view(await this.stages.move(tx, actor.tenantId, { modelId: v.modelId, versionId: previous.id, from: ModelStage.PRODUCTION, to: ModelStage.ARCHIVED, ...who })));
    }
    moves.push(view(await this.stages.move(tx, actor.tenantId, { modelId: v.modelId, versionId: v.id, from: v.stage as ModelStage, to: stage, ...who })));
    await this.audit.record(tx, actor, {
      action: 'modelVersion.stage',
      targetType: 'ModelVersion',
      targetId: v.id,
      details: { modelName: v.model.name, version: v.version, from: v.stage, to: stage, archived: moves.length > 1 ? moves[0].version : null },
    });
    return { modelName: v.model.name, modelId: v.modelId, moves };
  }

  /** Stage moves of the tenant's model or version, oldest first (models:read). @throws AppError FORBIDDEN. */
  async history(actor: Actor, filter: { modelId?: string; versionId?: string }): Promise<StageTransitionView[]> {
    requireScope(actor, 'models:read');
    const rows = await withTenant(this.prisma, actor.tenantId, (tx) => this.stages.history(tx, actor.tenantId, filter));
    return rows.map(view);
  }

  /**
   * The model's stages now, then, after each move, the move and the stages after it, until the
   * client stops (models:read). A client that subscribes, waits for the first event, then moves a
   * version, sees its own move.
   * @throws AppError FORBIDDEN, NOT_FOUND (model, also another tenant's; before the stream starts).
   */
  async stream(actor: Actor, modelName: string): Promise<AsyncIterable<ModelStageEventView>> {
    requireScope(actor, 'models:read');
    const { tenantId } = actor;
    const model = await this.modelIds.run(JSON.stringify([tenantId, modelName]), () => withTenant(this.prisma, tenantId, (tx) => this.models.findModelId(tx, tenantId, modelName)));
    if (!model) throw notFound('Model', modelName);
    // Subscribed before the first read, so no move falls between the two (a shared read joined only before it began).
    const live = this.pubsub.subscribe(Topics.modelStageChanged(tenantId, model.id));
    const readStaged = (begin: () => void) =>
      withTenant(this.prisma, tenantId, (tx) => {
        begin();
        return this.stages.staged(tx, tenantId, model.id);
      });
    const stagesNow = async () =>
      (await this.stagedReads.run(`${tenantId}:${model.id}`, readStaged)).map((v) => ({
        modelVersionId: v.id,
        version: v.version,
        stage: v.stage as ModelStage,
      }));
    let first: VersionStageView[];
    try {
      first = await stagesNow();
    } catch (err) {
      await live.return();
      throw err;
    }
    return new Repeater<ModelStageEventView>(async (push, stop) => {
      await push({ modelName, transition: null, stages: first });
      const stopped = stop.then(() => ({ done: true as const, value: undefined }));
      for (;;) {
        const next: IteratorResult<ModelStageChangedEvent, undefined> = await Promise.race([live.next(), stopped]);
        if (next.done) break;
        const t = next.value.transition;
        await push({ modelName, transition: { ...t, createdAt: new Date(t.createdAt) }, stages: await stagesNow() });
      }
      stop();
      await live.return();
    });
  }
}
