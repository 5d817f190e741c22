/**
 * Image datasets: an upload (MNIST IDX, a ZIP of class folders, a pixel CSV) decoded on a data
 * thread to one uint8 tensor container, profiled, and stored once with its profile, under the
 * tenant's dataset-bytes quota (counted on the stored, decoded size).
 */
import type { Db } from '../../lib/db';
import { badInput } from '../../lib/errors';
import { movable } from '../../lib/threads/task-result';
import { LARGE_WRITE, withTenant } from '../../lib/tenant-tx';
import type { CsvThreads } from '../../ml/data/csv-tasks';
import type { ImageUploadFormat } from '../../ml/images/read-upload';
import type { ImageLimits } from '../../ml/images/readers';
import type { AuditRepo } from '../audit/audit.repo';
import type { Actor } from '../auth/actor';
import { requireScope } from '../auth/require-scope';
import type { QuotaService } from '../quotas/quota.service';
import type { DatasetRepo } from './dataset.repo';

/** An image upload as the resolver hands it over. */
export interface ImageUploadInput {
  name: string;
  format: ImageUploadFormat;
  filename: string | null;
  images: Buffer;
  labels?: Buffer;
  imageShape?: [number, number, number];
}

/** Uploads of image datasets; reads, lists and deletes go through DatasetService like every dataset. */
export class ImageDatasetService {
  constructor(
    private readonly prisma: Db,
    private readonly repo: DatasetRepo,
    private readonly quotas: QuotaService,
    private readonly audit: AuditRepo,
    private readonly threads: CsvThreads,
    private readonly limits: ImageLimits,
    /** The tenant's share of the CSV threads (DatasetService.onThread, DATA_TASKS_PER_TENANT). */
    private readonly onThread: <T>(tenantId: string, fn: () => Promise<T>) => Promise<T>,
  ) {}

  /**
   * Decodes, profiles and stores an image dataset for the actor's tenant (`datasets:write`); audited.
   * @throws AppError FORBIDDEN; BAD_USER_INPUT for an empty name, a file that is not of the format, an
   *   undecodable image, images of different sizes, past MAX_DATASET_IMAGES or MAX_IMAGE_PIXELS;
   *   QUOTA_EXCEEDED past the tenant's dataset-bytes quota.
   */
  async upload(actor: Actor, input: ImageUploadInput) {
    requireScope(actor, 'datasets:write');
    const name = input.name.trim();
    if (name === '' || name.length > 200) throw badInput(`name must be 1-200 characters, got ${name.length}`);
    if (input.imageShape && input.imageShape.some((v) => !Number.isInteger(v) || v < 1 || v > 4096))
      throw badInput(`imageShape must be three integers in [1, 4096], got [${input.imageShape.slice(0, 3).join(', ')}]`);
    const uploaded = input.images.length + (input.labels?.length ?? 0);
    await withTenant(this.prisma, actor.tenantId, (tx) => this.quotas.checkDatasetBytes(tx, actor.tenantId, uploaded));
    const images = movable(input.images);
    const labels = input.labels ? movable(input.labels) : undefined;
    const read = await this.onThread(actor.tenantId, () =>
      this.threads.run('readImages', { format: input.format, images: images.bytes, labels: labels?.bytes, imageShape: input.imageShape, limits: this.limits }, [
        ...images.transfer,
        ...(labels?.transfer ?? []),
      ]),
    );
    const content = Buffer.from(read.content.buffer, read.content.byteOffset, read.content.byteLength);
    const created = await withTenant(
      this.prisma,
      actor.tenantId,
      async (tx) => {
        await this.quotas.checkDatasetBytes(tx, actor.tenantId, content.length);
        const row = await this.repo.create(tx, actor.tenantId, {
          name,
          filename: input.filename,
          content,
          quoting: false,
          encoding: null,
          rowCount: read.profile.count,
          hasHeader: false,
          delimiter: '',
          columns: [],
          format: 'image',
          imageProfile: read.profile,
        });
        await this.audit.record(tx, actor, {
          action: 'dataset.uploaded',
          targetType: 'Dataset',
          targetId: row.id,
          details: { name, sizeBytes: content.length, images: read.profile.count, format: input.format },
        });
        return row;
      },
      LARGE_WRITE,
    );
    return { ...created, columns: [] };
  }
}
