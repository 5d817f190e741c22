/**
 * Datasets: upload a CSV (multipart or inline), read its profile and correlations, delete it.
 * Uploads and deletes need `datasets:write`, reads `datasets:read` (UNAUTHENTICATED without a
 * credential, FORBIDDEN without the scope).
 */
import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../graphql/context';
import { badInput } from '../../lib/errors';
import { Take } from '../common/take';
import { readUploadedFile, type PendingUpload } from '../common/read-upload';
import { UploadScalar } from '../common/upload.scalar';
import { asTextEncoding, ClassTokens, Correlation, CorrelationMatrix, Dataset, MissingValuesInput, TextEncodingEnum } from './dataset.type';

/** uploadDataset, dataset, datasets, Dataset.correlations, Dataset.correlationMatrix and deleteDataset. */
@Resolver(() => Dataset)
export class DatasetResolver {
  /**
   * Reads the upload (at most MAX_UPLOAD_BYTES), then parses, profiles and stores it. Scope: `datasets:write`.
   * @throws BAD_USER_INPUT (neither or both of file and csv, too large, empty name, empty or malformed
   *   CSV, a missing-value code for an unknown column), QUOTA_EXCEEDED (tenant storage quota).
   */
  @Authorized('datasets:write')
  @Mutation(() => Dataset, {
    description:
      'Uploads a CSV, as a multipart file (`file`) or inline text (`csv`, for small files): exactly one of the two. ' +
      'Header and delimiter are detected; `hasHeader` overrides the detection. `columnNames` names the columns of a headerless file (then `hasHeader` defaults to false; with `hasHeader: true` they replace the header). ' +
      'Text is read in the declared `encoding`, else as UTF-8, or ISO-8859-1 (Latin-1) when it is not valid UTF-8. `quoting: false` reads `"` as ordinary text (tab-separated files without quoting). ' +
      '`missingValues` declares codes that mean missing (e.g. `?` everywhere, `0` in Glucose): they count as missing in the profile and in training.',
  })
  async uploadDataset(
    @Arg('name') name: string,
    @Arg('file', () => UploadScalar, { nullable: true }) file: PendingUpload | null,
    @Arg('csv', () => String, { nullable: true }) csv: string | null,
    @Arg('hasHeader', () => Boolean, { nullable: true }) hasHeader: boolean | null,
    @Arg('missingValues', () => [MissingValuesInput], { nullable: true }) missingValues: MissingValuesInput[] | null,
    @Arg('columnNames', () => [String], { nullable: true }) columnNames: string[] | null,
    @Arg('encoding', () => TextEncodingEnum, { nullable: true }) encoding: TextEncodingEnum | null,
    @Arg('quoting', () => Boolean, { nullable: true }) quoting: boolean | null,
    @Ctx() ctx: Context,
  ): Promise<Dataset> {
    if ((file == null) === (csv == null)) throw badInput('uploadDataset takes exactly one of `file` and `csv`');
    const limit = ctx.config.MAX_UPLOAD_BYTES;
    let content: Buffer;
    let filename: string | null = null;
    if (file) {
      ({ filename, content } = await readUploadedFile(file, 'file', limit));
    } else {
      content = Buffer.from(csv!, 'utf8');
      if (content.length > limit) throw badInput(`csv is larger than the upload limit of ${limit} bytes`);
    }
    return ctx.services.datasets.upload(ctx.actor!, {
      name,
      filename,
      content,
      hasHeader: hasHeader ?? undefined,
      missingValues: missingValues?.map((m) => ({ column: m.column ?? undefined, values: m.values })),
      columnNames: columnNames ?? undefined,
      encoding: encoding ? asTextEncoding(encoding) : undefined,
      quoting: quoting ?? undefined,
    });
  }

  /** One dataset of the caller's tenant. Scope: `datasets:read`. @throws NOT_FOUND (unknown, or another tenant's). */
  @Authorized('datasets:read')
  @Query(() => Dataset, { description: 'One dataset of your tenant.' })
  dataset(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<Dataset> {
    return ctx.services.datasets.get(ctx.actor!, id);
  }

  /** The tenant's datasets, newest first. Scope: `datasets:read`. */
  @Authorized('datasets:read')
  @Query(() => [Dataset], {
    description: "Your tenant's datasets, newest first.",
    deprecationReason: 'Use datasetsConnection: cursor paging (first/after), totalCount and filters. This list stays until clients have moved.',
  })
  datasets(@Take(100, 1000) take: number, @Ctx() ctx: Context): Promise<Dataset[]> {
    return ctx.services.datasets.list(ctx.actor!, take);
  }

  /**
   * Pearson correlations with a target column (reached through dataset / datasets, so datasets:read).
   * @throws BAD_USER_INPUT (unknown target, or neither numeric nor two-class).
   */
  @FieldResolver(() => [Correlation], {
    description: 'Pearson correlation of each numeric, boolean or datetime column with `target` (numeric or two-class, coded 0/1 in sorted class order).',
  })
  correlations(@Root() dataset: Dataset, @Arg('target', { description: 'The target column.' }) target: string, @Ctx() ctx: Context): Promise<Correlation[]> {
    return ctx.services.datasets.correlations(ctx.actor!, dataset.id, target);
  }

  /**
   * Pearson correlations between every pair of numeric columns (through dataset / datasets, so datasets:read).
   * @throws BAD_USER_INPUT (an image dataset).
   */
  @FieldResolver(() => CorrelationMatrix, {
    description:
      "Pearson correlation of every pair of numeric, boolean and datetime columns (the first 40; `omitted` counts the rest), as pandas' DataFrame.corr(): the heat map of the console's dataset page.",
  })
  correlationMatrix(@Root() dataset: Dataset, @Ctx() ctx: Context): Promise<CorrelationMatrix> {
    return ctx.services.datasets.correlationMatrix(ctx.actor!, dataset.id);
  }

  /**
   * The most frequent tokens of a text column per class of a target (reached through dataset /
   * datasets, so datasets:read). @throws BAD_USER_INPUT (unknown column or target, a numeric column).
   */
  @FieldResolver(() => [ClassTokens], {
    description:
      "The most frequent tokens of text column `column` in each class of `target` (classes by size, at most 50); tokens as text models read them. The column's overall token profile is columns { text }.",
  })
  tokensByClass(
    @Root() dataset: Dataset,
    @Arg('column', { description: 'The text column.' }) column: string,
    @Arg('target', { description: 'The class column.' }) target: string,
    @Ctx() ctx: Context,
  ): Promise<ClassTokens[]> {
    return ctx.services.datasets.textByClass(ctx.actor!, dataset.id, column, target);
  }

  /**
   * Deletes a dataset and its runs, or archives it (`force`) while versions it trained remain.
   * Scope: `datasets:write`. @throws NOT_FOUND, CONFLICT (active runs), DATASET_IN_USE (versions, without force).
   */
  @Authorized('datasets:write')
  @Mutation(() => Boolean, {
    description:
      "Deletes a dataset and its training runs. Refused (DATASET_IN_USE, listing them) while model versions use it (trained on it, or a recommender reading its item or user metadata), unless force: true, which archives it: its rows are kept for DATASET_ARCHIVE_RETENTION_DAYS (restoreDataset brings it back), then purged; its name, profile, row count and checksum stay with the versions' lineage and training curves.",
  })
  deleteDataset(
    @Arg('id', () => ID) id: string,
    @Arg('force', () => Boolean, { defaultValue: false, description: 'Archive instead of refusing when model versions trained on it remain.' }) force: boolean,
    @Ctx() ctx: Context,
  ): Promise<boolean> {
    return ctx.services.datasets.delete(ctx.actor!, id, force);
  }
}
