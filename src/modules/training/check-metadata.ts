/**
 * Request-time check of a recommender's metadata datasets (spec.matrixFactorization.itemMetadata
 * and userMetadata): each must be a dataset of the tenant holding the named columns.
 */
import { badInput, didYouMean, nameList, notFound, quote } from '../../lib/errors';
import type { Tx } from '../../lib/tenant-tx';
import type { ColumnProfile } from '../../ml/data/profile';
import type { TrainingSpec } from '../../ml/spec';
import type { DatasetRepo } from '../datasets/dataset.repo';

/**
 * @throws AppError NOT_FOUND for a dataset that is not the tenant's; BAD_USER_INPUT naming the field
 *   for a column the dataset does not have.
 */
export async function checkMetadataDatasets(tx: Tx, datasets: DatasetRepo, tenantId: string, spec: TrainingSpec): Promise<void> {
  for (const part of ['itemMetadata', 'userMetadata'] as const) {
    const ref: { datasetId: string; idColumn: string; titleColumn?: string } | undefined = spec.matrixFactorization?.[part];
    if (!ref) continue;
    const found = await datasets.find(tx, tenantId, ref.datasetId);
    if (!found) throw notFound(`Dataset (spec.matrixFactorization.${part}.datasetId)`, ref.datasetId);
    const names = (found.columns as unknown as ColumnProfile[]).map((c) => c.name);
    for (const [field, name] of [
      ['idColumn', ref.idColumn],
      ['titleColumn', ref.titleColumn],
    ] as const) {
      if (name != null && !names.includes(name)) {
        throw badInput(
          `spec.matrixFactorization.${part}.${field} ${quote(name)} is not a column of dataset '${found.name}'${didYouMean(name, names)}; columns are ${nameList(names)}`,
        );
      }
    }
  }
}
