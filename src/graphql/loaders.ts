/**
 * Per-request batching (DataLoader): the related rows of a page of results are read with one
 * statement per kind instead of one per row (no N+1). Made for each HTTP request and each websocket
 * operation's context; `cache: false`, so a long-lived websocket context never serves stale rows —
 * only the batching within one tick is used.
 */
import DataLoader from 'dataloader';
import type { Actor } from '../modules/auth/actor';
import type { Services } from '../modules/services';

/** The loaders a resolver may use (`ctx.loaders`). */
export interface Loaders {
  /** A run id → its stored epoch metrics (epoch order); none for another tenant's run. */
  runMetrics: DataLoader<string, Awaited<ReturnType<Services['training']['metricsOfRuns']>>[number]>;
  /** A dataset id → the dataset, or null (unknown, or another tenant's). */
  dataset: DataLoader<string, Awaited<ReturnType<Services['datasets']['getMany']>>[number]>;
  /** A run id → the model version it produced, or null. */
  runVersion: DataLoader<string, Awaited<ReturnType<Services['models']['versionsOfRuns']>>[number]>;
  /** A model name → the model with its versions, or null. */
  modelByName: DataLoader<string, Awaited<ReturnType<Services['models']['getManyByName']>>[number]>;
  /** A run id → the run, or null (`node`/`nodes`). */
  run: DataLoader<string, Awaited<ReturnType<Services['training']['getMany']>>[number]>;
  /** A version id → the version, or null. */
  version: DataLoader<string, Awaited<ReturnType<Services['models']['getVersions']>>[number]>;
  /** A batch prediction id → the batch, or null. */
  batch: DataLoader<string, Awaited<ReturnType<Services['batch']['getMany']>>[number]>;
  /** An evaluation id → the evaluation, or null. */
  evaluation: DataLoader<string, Awaited<ReturnType<Services['evaluations']['getMany']>>[number]>;
  /** A sweep id → the sweep, or null. */
  sweep: DataLoader<string, Awaited<ReturnType<Services['sweeps']['getMany']>>[number]>;
}

/**
 * Loaders acting as `actor` (each batch runs the service's scoped, tenant-filtered batch method).
 * @param actor read when a batch runs; the loaders of an unauthenticated context refuse as the services do.
 */
export function createLoaders(services: Services, actor: () => Actor | undefined): Loaders {
  const as = () => {
    const a = actor();
    if (!a) throw new Error('loaders used without an actor (resolvers are guarded by @Authorized)');
    return a;
  };
  return {
    runMetrics: new DataLoader((ids) => services.training.metricsOfRuns(as(), ids), { cache: false }),
    dataset: new DataLoader((ids) => services.datasets.getMany(as(), ids), { cache: false }),
    runVersion: new DataLoader((ids) => services.models.versionsOfRuns(as(), ids), { cache: false }),
    modelByName: new DataLoader((names) => services.models.getManyByName(as(), names), { cache: false }),
    run: new DataLoader((ids) => services.training.getMany(as(), ids), { cache: false }),
    version: new DataLoader((ids) => services.models.getVersions(as(), ids), { cache: false }),
    batch: new DataLoader((ids) => services.batch.getMany(as(), ids), { cache: false }),
    evaluation: new DataLoader((ids) => services.evaluations.getMany(as(), ids), { cache: false }),
    sweep: new DataLoader((ids) => services.sweeps.getMany(as(), ids), { cache: false }),
  };
}
