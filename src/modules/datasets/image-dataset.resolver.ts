/** uploadImageDataset: an image dataset from MNIST IDX files, a ZIP of class folders or a pixel CSV. Scope `datasets:write`. */
import { Arg, Authorized, Ctx, Int, Mutation, Resolver } from 'type-graphql';
import type { Config } from '../../config';
import type { Actor } from '../auth/actor';
import type { ImageDatasetService } from './image-dataset.service';
import { badInput } from '../../lib/errors';
import { readUploadedFile, type PendingUpload } from '../common/read-upload';
import { UploadScalar } from '../common/upload.scalar';
import { Dataset } from './dataset.type';
import { ImageDatasetFormat } from './image-dataset.type';

/** The part of the GraphQL context this field uses (structural: modules do not import src/graphql). */
interface Context {
  actor?: Actor;
  services: { imageDatasets: ImageDatasetService };
  config: Pick<Config, 'MAX_UPLOAD_BYTES'>;
}

@Resolver(() => Dataset)
export class ImageDatasetResolver {
  /**
   * Reads the files (each at most MAX_UPLOAD_BYTES), decodes them on a data thread and stores the
   * images once as a tensor with their profile.
   * @throws BAD_USER_INPUT (wrong or missing file for the format, undecodable image, mixed sizes,
   *   too many images or pixels), QUOTA_EXCEEDED (tenant storage quota).
   */
  @Authorized('datasets:write')
  @Mutation(() => Dataset, {
    description:
      'Uploads an image dataset (see ImageDatasetFormat). Images are decoded once (PNG and JPEG) and stored as one uint8 tensor with its shape; ' +
      'the profile holds class counts, image size and per-channel statistics. Train it with model CONVOLUTIONAL_NETWORK and targetColumn "label".',
  })
  async uploadImageDataset(
    @Arg('name') name: string,
    @Arg('format', () => ImageDatasetFormat) format: ImageDatasetFormat,
    @Arg('images', () => UploadScalar, { nullable: true, description: 'The images file (see ImageDatasetFormat); required.' }) images: PendingUpload | null,
    @Arg('labels', () => UploadScalar, { nullable: true, description: 'MNIST_IDX only: the idx1 labels file.' }) labels: PendingUpload | null,
    @Arg('imageShape', () => [Int], { nullable: true, description: 'PIXEL_CSV only: [height, width, channels].' }) imageShape: number[] | null,
    @Ctx() ctx: Context,
  ): Promise<Dataset> {
    if (images == null) throw badInput('images is required: the file holding the images');
    if (imageShape && imageShape.length !== 3) throw badInput(`imageShape must be [height, width, channels], got ${imageShape.length} numbers`);
    const limit = ctx.config.MAX_UPLOAD_BYTES;
    const file = await readUploadedFile(images, 'images', limit);
    const labelBytes = labels ? (await readUploadedFile(labels, 'labels', limit)).content : undefined;
    return ctx.services.imageDatasets.upload(ctx.actor!, {
      name,
      format,
      filename: file.filename,
      images: file.content,
      labels: labelBytes,
      imageShape: imageShape ? (imageShape as [number, number, number]) : undefined,
    }) as Promise<Dataset>;
  }
}
