/**
 * `curvesUnavailableReason` through the API: null beside a version's stored test curve; for the same
 * version stored as versions trained before curves were kept (its metrics without `rocCurve`), the
 * curve is null and the reason NOT_RECORDED — on the version and on an evaluation stored the old
 * way (EvaluationMetrics inherits the field); the lineage's test metrics answer it too.
 */
import type { App } from '../src/app';
import { gqlOk } from '../src/client/graphql-client';
import { startTestApp } from './support/app';
import { PIMA_CSV } from './support/data';
import { createTenant, uploadCsv, type TenantBundle } from './support/factories';
import { trainVersion } from './support/training';

const VERSION = `query($id: ID!) { modelVersion(id: $id) {
  metrics { task rocAuc rocCurve { fpr tpr } curvesUnavailableReason }
  lineage { testMetrics { rocCurve { fpr } curvesUnavailableReason } }
} }`;
const EVALUATION = 'query($id: ID!) { modelEvaluation(id: $id) { metrics { task rocAuc rocCurve { fpr } testRows curvesUnavailableReason } } }';

let app: App;
let t: TenantBundle;
beforeAll(async () => {
  app = await startTestApp();
  t = await createTenant(app, 'curves');
});
afterAll(() => app.stop());

it('answers null beside a stored curve, and NOT_RECORDED where a version or an evaluation was stored without one', async () => {
  const datasetId = await uploadCsv(t, PIMA_CSV, 'pima');
  const v = await trainVersion(t, { datasetId, targetColumn: 'Outcome', modelName: 'curves', spec: { model: 'DECISION_TREE', tree: { maxDepth: 3 }, seed: 42 } });
  const fresh = (await gqlOk(t, VERSION, { id: v.id })).modelVersion;
  expect(fresh.metrics.rocCurve.length).toBeGreaterThan(2);
  expect(fresh.metrics.curvesUnavailableReason).toBeNull();
  expect(fresh.lineage.testMetrics.curvesUnavailableReason).toBeNull();

  // The row as a version trained before curves were stored has it: the same metrics, no rocCurve.
  await app.db.prisma.$executeRaw`UPDATE "ModelVersion" SET metrics = metrics - 'rocCurve' WHERE id = ${v.id}`;
  const older = (await gqlOk(t, VERSION, { id: v.id })).modelVersion;
  expect(older.metrics).toEqual({ task: 'binary', rocAuc: fresh.metrics.rocAuc, rocCurve: null, curvesUnavailableReason: 'NOT_RECORDED' });
  expect(older.lineage.testMetrics.curvesUnavailableReason).toBeNull(); // the lineage keeps its own copy, with the curve

  // An evaluation stored before curves were kept: its metrics, no rocCurve.
  const row = await app.db.prisma.modelVersion.findUniqueOrThrow({ where: { id: v.id }, select: { metrics: true } });
  const evaluation = await app.db.prisma.modelEvaluation.create({
    data: {
      tenantId: t.tenantId,
      modelVersionId: v.id,
      status: 'SUCCEEDED',
      metrics: { ...(row.metrics as object), skippedRows: 0 },
      startedByKind: 'apiKey',
      startedById: 'test',
    },
  });
  const evaluated = (await gqlOk(t, EVALUATION, { id: evaluation.id })).modelEvaluation.metrics;
  expect(evaluated).toEqual({ task: 'binary', rocAuc: fresh.metrics.rocAuc, rocCurve: null, testRows: 154, curvesUnavailableReason: 'NOT_RECORDED' });
});
