/**
 * Several training runs publishing the first versions of a model that does not exist yet, at once
 * (a sweep's trials do): each gets its own version number and none fails. Prisma's `upsert` of the
 * model row lost the race with a unique violation that aborted a finished run's transaction
 * (hostile review); the repo now creates the row with INSERT … ON CONFLICT DO NOTHING.
 */
import type { App } from '../src/app';
import { withTenant } from '../src/lib/tenant-tx';
import { ModelRepo, type NewVersion } from '../src/modules/registry/model.repo';
import { startTestApp } from './support/app';
import { createTenant } from './support/factories';

let app: App;
beforeAll(async () => {
  app = await startTestApp({ WORKER_ENABLED: 'false' });
});
afterAll(() => app?.stop());

const version: NewVersion = {
  trainingRunId: null,
  task: 'binary',
  framework: 'tfjs-layers',
  topology: {},
  weights: Buffer.alloc(0),
  inputSchema: [],
  outputSchema: {},
  preprocessing: {},
  metrics: {},
  datasetId: null,
  lineage: null,
  warnings: [],
};

it('gives 8 concurrent first publications of a new model versions 1 to 8, one model row', async () => {
  const t = await createTenant(app, 'first-version-race');
  const repo = new ModelRepo();
  const published = await Promise.all(Array.from({ length: 8 }, () => withTenant(app.db.prisma, t.tenantId, (tx) => repo.addVersion(tx, t.tenantId, 'racer', version))));
  expect(published.map((v) => v.version).sort((x, y) => x - y)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  expect(await app.db.prisma.model.count({ where: { tenantId: t.tenantId, name: 'racer' } })).toBe(1);
});
