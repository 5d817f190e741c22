/**
 * Version stages through the API (issue 14): NONE -> STAGING -> PRODUCTION -> ARCHIVED, at most
 * one PRODUCTION version per model (a promotion archives the previous one in the same
 * transaction), a history of who moved what when, streamed by modelStageChanged; isolated per
 * tenant, audited, nothing half-written.
 */
import pg from 'pg';
import type { App } from '../src/app';
import { codeOf, gql, gqlOk, wsClient } from '../src/client/graphql-client';
import { startTestApp } from './support/app';
import { KERAS_SPEC, PIMA_CSV, PIMA_ROWS } from './support/data';
import { workerDatabaseUrl } from './support/database';
import { createTenant, uploadCsv, type TenantBundle } from './support/factories';
import { trainVersion } from './support/training';

const MOVE = `mutation($id: ID!, $stage: ModelStage!, $comment: String) {
  transitionModelVersionStage(versionId: $id, stage: $stage, comment: $comment) {
    modelName moves { id modelName modelVersionId version fromStage toStage actorKind actorId comment createdAt }
  }
}`;
const T_FIELDS = 'id version fromStage toStage actorKind actorId comment';
const STREAM = `subscription($model: String!) { modelStageChanged(model: $model) { modelName transition { ${T_FIELDS} } stages { version stage } } }`;

let app: App;
let t: TenantBundle;
let other: TenantBundle;
let db: pg.Client;
const ids: string[] = [];

const move = (who: TenantBundle, id: string, stage: string, comment?: string) => gql(who, MOVE, { id, stage, comment });
const stages = async () =>
  (await gqlOk<{ model: { versions: { version: number; stage: string }[] } }>(t, '{ model(name: "stages") { versions { version stage } } }')).model.versions
    .map((v) => [v.version, v.stage])
    .sort((a, b) => Number(a[0]) - Number(b[0]));

/** Subscribes and resolves with the first `n` events (never sleeps: waits on the events themselves). */
function firstEvents(who: TenantBundle, model: string, n: number) {
  const client = wsClient(who.wsUrl, who.token);
  const events: Record<string, any>[] = [];
  let started!: () => void;
  const firstArrived = new Promise<void>((r) => (started = r));
  const done = new Promise<Record<string, any>[]>((resolve, reject) => {
    client.subscribe(
      { query: STREAM, variables: { model } },
      {
        next: (v) => {
          if (v.errors) return resolve([{ errors: v.errors }]);
          events.push(v.data!.modelStageChanged as Record<string, any>);
          started();
          if (events.length === n) resolve(events);
        },
        error: (e) => (Array.isArray(e) ? resolve([{ errors: e }]) : reject(e)),
        complete: () => resolve(events),
      },
    );
  }).finally(() => client.dispose());
  return { firstArrived, done };
}

beforeAll(async () => {
  app = await startTestApp();
  t = await createTenant(app, 'stages');
  other = await createTenant(app, 'stages-other');
  db = new pg.Client({ connectionString: workerDatabaseUrl() });
  await db.connect();
  const datasetId = await uploadCsv(t, PIMA_CSV, 'pima');
  for (let i = 0; i < 3; i++) ids.push((await trainVersion(t, { datasetId, targetColumn: 'Outcome', modelName: 'stages', spec: { ...KERAS_SPEC, epochs: 1 } })).id);
}, 180_000);
afterAll(async () => {
  await db.end();
  await app.stop();
});

it('moves versions between stages, archives the previous PRODUCTION version, records and streams every move', async () => {
  expect(await stages()).toEqual([
    [1, 'NONE'],
    [2, 'NONE'],
    [3, 'NONE'],
  ]);
  const first = (await gqlOk(t, MOVE, { id: ids[0], stage: 'STAGING', comment: 'candidate' })).transitionModelVersionStage;
  expect(first.moves).toMatchObject([
    { version: 1, fromStage: 'NONE', toStage: 'STAGING', actorKind: 'apiKey', comment: 'candidate', modelName: 'stages', modelVersionId: ids[0] },
  ]);
  // Subscribed after the first move: the stages now, then the next three moves live.
  const stream = firstEvents(t, 'stages', 4);
  await stream.firstArrived;
  await gqlOk(t, MOVE, { id: ids[0], stage: 'PRODUCTION' });
  const promoted = (await gqlOk(t, MOVE, { id: ids[1], stage: 'PRODUCTION', comment: 'better AUC' })).transitionModelVersionStage;
  expect(promoted.moves.map((m: any) => [m.version, m.fromStage, m.toStage, m.comment])).toEqual([
    [1, 'PRODUCTION', 'ARCHIVED', 'better AUC'],
    [2, 'NONE', 'PRODUCTION', 'better AUC'],
  ]);
  const expected = [
    [1, 'NONE', 'STAGING'],
    [1, 'STAGING', 'PRODUCTION'],
    [1, 'PRODUCTION', 'ARCHIVED'],
    [2, 'NONE', 'PRODUCTION'],
  ];
  const events = await stream.done;
  expect(events[0]).toEqual({ modelName: 'stages', transition: null, stages: [{ version: 1, stage: 'STAGING' }] });
  const streamed = events.slice(1).map((e) => e.transition);
  expect(streamed.map((e) => [e.version, e.fromStage, e.toStage])).toEqual(expected.slice(1));
  // Stages are read when an event is delivered (at or after its move): the last shows the end state.
  expect(events[3].stages).toEqual([
    { version: 2, stage: 'PRODUCTION' },
    { version: 1, stage: 'ARCHIVED' },
  ]);
  expect(await stages()).toEqual([
    [1, 'ARCHIVED'],
    [2, 'PRODUCTION'],
    [3, 'NONE'],
  ]);
  const history = (await gqlOk(t, `{ model(name: "stages") { stageHistory { ${T_FIELDS} createdAt } } }`)).model.stageHistory;
  expect(history.map((e: any) => [e.version, e.fromStage, e.toStage])).toEqual(expected);
  expect(history.slice(1).map((e: any) => e.id)).toEqual(streamed.map((e) => e.id));
  const v1 = (await gqlOk(t, `query($id: ID!) { modelVersion(id: $id) { stage stageHistory { ${T_FIELDS} } } }`, { id: ids[0] })).modelVersion;
  expect(v1.stage).toBe('ARCHIVED');
  expect(v1.stageHistory.map((e: any) => e.toStage)).toEqual(['STAGING', 'PRODUCTION', 'ARCHIVED']);
  // Who: the key that called, as the audit log records it; one audit entry per call.
  const audit = (await gqlOk(t, '{ auditLog { action actorKind actorId targetId details } }')).auditLog.filter((a: any) => a.action === 'modelVersion.stage');
  expect(audit).toHaveLength(3);
  expect(new Set(history.map((e: any) => `${e.actorKind}:${e.actorId}`))).toEqual(new Set([`${audit[0].actorKind}:${audit[0].actorId}`]));
  expect(audit.find((a: any) => a.targetId === ids[1]).details).toMatchObject({ modelName: 'stages', version: 2, from: 'NONE', to: 'PRODUCTION', archived: 1 });
  // Moving a version to the stage it is in changes and records nothing.
  expect((await gqlOk(t, MOVE, { id: ids[1], stage: 'PRODUCTION' })).transitionModelVersionStage.moves).toEqual([]);
  expect((await gqlOk(t, '{ model(name: "stages") { stageHistory { id } } }')).model.stageHistory).toHaveLength(4);
});

it('keeps one PRODUCTION version under concurrent promotions, and the database refuses a second one', async () => {
  const results = await Promise.all([move(t, ids[2], 'PRODUCTION'), move(t, ids[0], 'PRODUCTION')]);
  expect(results.map(codeOf)).toEqual([undefined, undefined]);
  const prod = (await stages()).filter(([, s]) => s === 'PRODUCTION');
  expect(prod).toHaveLength(1);
  const modelId = (await db.query(`SELECT "modelId" FROM "ModelVersion" WHERE id = $1`, [ids[0]])).rows[0].modelId;
  await expect(db.query(`UPDATE "ModelVersion" SET stage = 'PRODUCTION' WHERE "modelId" = $1 AND stage <> 'PRODUCTION'`, [modelId])).rejects.toThrow(/ModelVersion_one_production/);
  await expect(db.query(`UPDATE "ModelVersion" SET stage = 'LIVE' WHERE id = $1`, [ids[0]])).rejects.toThrow(/ModelVersion_stage_check/);
});

it('refuses a long comment naming it, writing nothing', async () => {
  const before = (await gqlOk(t, '{ model(name: "stages") { stageHistory { id } } }')).model.stageHistory.length;
  const r = await move(t, ids[2], 'STAGING', 'x'.repeat(501));
  expect(codeOf(r)).toBe('BAD_USER_INPUT');
  expect(r.errors![0].message).toBe('comment has 501 characters; at most 500 are kept');
  expect((await gqlOk(t, '{ model(name: "stages") { stageHistory { id } } }')).model.stageHistory).toHaveLength(before);
});

it("answers another tenant's version or model exactly like an unknown one", async () => {
  const unknown = '00000000-0000-4000-8000-000000000000';
  const before = await stages();
  const theirs = await move(other, ids[2], 'ARCHIVED');
  const none = await move(other, unknown, 'ARCHIVED');
  expect([codeOf(theirs), theirs.errors![0].message.replace(ids[2], 'ID')]).toEqual([codeOf(none), none.errors![0].message.replace(unknown, 'ID')]);
  expect(codeOf(theirs)).toBe('NOT_FOUND');
  const stream = await firstEvents(other, 'stages', 1).done;
  expect(stream[0].errors[0]).toMatchObject({ message: "Model 'stages' not found", extensions: { code: 'NOT_FOUND' } });
  expect(await stages()).toEqual(before);
});

it('needs models:write to move and models:read to follow', async () => {
  const reader = (await gqlOk(t, 'mutation { createApiKey(input: { name: "reader", scopes: [MODELS_READ] }) { key } }')).createApiKey.key;
  const r = await gql({ url: t.url, token: reader }, MOVE, { id: ids[2], stage: 'ARCHIVED' });
  expect([codeOf(r), r.errors![0].message]).toEqual(['FORBIDDEN', 'This credential lacks the MODELS_WRITE scope']);
});

it('predict picks the PRODUCTION version with stage: PRODUCTION, follows a promotion, and refuses a stage with an alias', async () => {
  const PREDICT_STAGE = `query($stage: ModelStage, $alias: String, $rows: [JSONObject!]) { predict(model: "stages", stage: $stage, alias: $alias, rows: $rows) { version } }`;
  const prod = (await stages()).find(([, s]) => s === 'PRODUCTION')![0];
  expect((await gqlOk(t, PREDICT_STAGE, { stage: 'PRODUCTION', rows: [PIMA_ROWS[0]] })).predict.version).toBe(prod);
  const next = prod === 3 ? 1 : 3;
  await gqlOk(t, MOVE, { id: ids[next - 1], stage: 'PRODUCTION' });
  expect((await gqlOk(t, PREDICT_STAGE, { stage: 'PRODUCTION', rows: [PIMA_ROWS[0]] })).predict.version).toBe(next);
  const none = await gql(t, PREDICT_STAGE, { stage: 'STAGING', rows: [PIMA_ROWS[0]] });
  expect((await stages()).filter(([, s]) => s === 'STAGING')).toEqual([]);
  expect([codeOf(none), none.errors![0].message]).toEqual(['NOT_FOUND', "Model stage 'stages@STAGING' not found"]);
  const both = await gql(t, PREDICT_STAGE, { stage: 'PRODUCTION', alias: 'prod', rows: [PIMA_ROWS[0]] });
  expect([codeOf(both), both.errors![0].message]).toEqual(['BAD_USER_INPUT', 'Give one of `version`, `alias` or `stage`, not several']);
  const theirs = await gql(other, PREDICT_STAGE, { stage: 'PRODUCTION', rows: [PIMA_ROWS[0]] });
  expect([codeOf(theirs), theirs.errors![0].message]).toEqual(['NOT_FOUND', "Model 'stages' not found"]);
});
