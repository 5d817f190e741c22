/** GraphQL types of image datasets: the upload format and the profile. */
import { Field, Float, Int, ObjectType } from 'type-graphql';
import { lowerCaseEnum, type EnumValue } from '../common/enum';

/** How an image dataset is uploaded. */
export const ImageDatasetFormat = lowerCaseEnum('ImageDatasetFormat', ['MNIST_IDX', 'IMAGE_FOLDER_ZIP', 'PIXEL_CSV'], {
  description:
    'MNIST_IDX: `images` is an idx3 file and `labels` an idx1 file (gzipped or not). IMAGE_FOLDER_ZIP: `images` is a ZIP of PNG/JPEG files in one folder per class. ' +
    'PIXEL_CSV: `images` is a CSV with a `label` column and one column per pixel value (0-255, row-major height × width × channels), with `imageShape`.',
});
export type ImageDatasetFormat = EnumValue<typeof ImageDatasetFormat>;

/** Images of one class. */
@ObjectType()
export class ImageClassCount {
  @Field()
  label!: string;

  @Field(() => Int)
  count!: number;
}

/** What an image dataset holds. */
@ObjectType({ description: 'The profile of an image dataset: size, classes, pixel statistics.' })
export class ImageProfile {
  @Field(() => Int, { description: 'Images.' })
  count!: number;

  @Field(() => Int)
  height!: number;

  @Field(() => Int)
  width!: number;

  @Field(() => Int, { description: '1 (grayscale) or 3 (RGB).' })
  channels!: number;

  @Field(() => [ImageClassCount], { description: 'Images per class, in class (output) order.' })
  classes!: ImageClassCount[];

  @Field(() => [Float], { description: 'Mean pixel value per channel, 0-255.' })
  channelMean!: number[];

  @Field(() => [Float], { description: 'Standard deviation of the pixel values per channel, 0-255.' })
  channelStd!: number[];

  @Field(() => Float, { description: 'Share of pixel values that are exactly 0.' })
  zeroFraction!: number;
}
