/**
 * Archived datasets (deleteDataset with `force`, ./delete-dataset.ts) until their retention ends:
 * listed with when they will be purged, and restored — back in lists, training and batch
 * predictions, exactly as they were (same id, rows and checksum). After the purge
 * (src/jobs/dataset-purge.ts) only the lineage facts remain and restore is refused.
 */
import type { Db } from '../../lib/db';
import { AppError, notFound } from '../../lib/errors';
import { withTenant } from '../../lib/tenant-tx';
import type { AuditRepo } from '../audit/audit.repo';
import type { Actor } from '../auth/actor';
import { requireScope } from '../auth/require-scope';
import { pageWindow, type PageRequest } from '../common/keyset';
import type { ArchivedFilter, DatasetRepo } from './dataset.repo';

/** What listing and restoring archived datasets need. */
export interface RestoreDatasetDeps {
  prisma: Db;
  datasets: DatasetRepo;
  audit: AuditRepo;
  /** DATASET_ARCHIVE_RETENTION_DAYS. */
  retentionDays: number;
}

const DAY_MS = 86_400_000;

/** When an archive made at `archivedAt` is purged, with `retentionDays` of retention. */
export const purgeAfter = (archivedAt: Date, retentionDays: number) => new Date(archivedAt.getTime() + retentionDays * DAY_MS);

/**
 * The tenant's archived datasets, newest archive first (`datasets:read`), each with its purge date
 * (past for a purged one: `purgedAt` set, no longer restorable).
 */
export async function archivedDatasets(deps: Omit<RestoreDatasetDeps, 'audit'>, actor: Actor, take: number) {
  requireScope(actor, 'datasets:read');
  const rows = await withTenant(deps.prisma, actor.tenantId, (tx) => deps.datasets.archived(tx, actor.tenantId, take));
  return rows.map((row) => archivedView(row, deps.retentionDays));
}

/**
 * A page of the tenant's archived datasets, newest archive first (`datasets:read`), keyed on
 * (archivedAt, id), each with its purge date.
 * @throws AppError FORBIDDEN; BAD_USER_INPUT (paging arguments, cursor).
 */
export async function archivedDatasetsPage(
  deps: Omit<RestoreDatasetDeps, 'audit'>,
  actor: Actor,
  args: PageRequest,
  filter: ArchivedFilter,
  sizes: { default: number; max: number },
) {
  requireScope(actor, 'datasets:read');
  const window = pageWindow(args, sizes.default, sizes.max, 'archived-datasets', 'archivedAt');
  const page = await withTenant(deps.prisma, actor.tenantId, (tx) => deps.datasets.archivedPage(tx, actor.tenantId, filter, window));
  return { ...page, edges: page.edges.map((e) => ({ cursor: e.cursor, node: archivedView(e.node, deps.retentionDays) })) };
}

/** An archived row as the API shows it: the dataset, when it was archived and when it is (or was) purged. */
function archivedView<R extends { archivedAt: Date | null; purgedAt: Date | null }>({ purgedAt, ...dataset }: R, retentionDays: number) {
  return {
    dataset,
    archivedAt: dataset.archivedAt!,
    purgedAt,
    purgeAfter: purgedAt ?? purgeAfter(dataset.archivedAt!, retentionDays),
    restorable: purgedAt === null,
  };
}

/**
 * Brings back an archived dataset whose rows were not purged yet (`datasets:write`), audited as
 * `dataset.restored`, in one transaction.
 * @returns the dataset, as `find` reads it.
 * @throws AppError FORBIDDEN; NOT_FOUND (unknown, another tenant's); INVALID_STATE when it is not
 *   archived, or its rows were purged (naming when).
 */
export async function restoreDataset(deps: RestoreDatasetDeps, actor: Actor, id: string) {
  requireScope(actor, 'datasets:write');
  return withTenant(deps.prisma, actor.tenantId, async (tx) => {
    const found = await deps.datasets.findForLineage(tx, actor.tenantId, id);
    if (!found) throw notFound('Dataset', id);
    if (!found.archivedAt) throw new AppError('INVALID_STATE', `Dataset '${found.name}' is not archived; there is nothing to restore`, { field: 'id' });
    if (!(await deps.datasets.restore(tx, actor.tenantId, id))) {
      throw new AppError(
        'INVALID_STATE',
        `Dataset '${found.name}' cannot be restored: its rows were purged after the ${deps.retentionDays}-day retention (DATASET_ARCHIVE_RETENTION_DAYS); upload it again`,
        { field: 'id' },
      );
    }
    await deps.audit.record(tx, actor, { action: 'dataset.restored', targetType: 'Dataset', targetId: id, details: { name: found.name, checksum: found.checksum } });
    return (await deps.datasets.find(tx, actor.tenantId, id))!;
  });
}
