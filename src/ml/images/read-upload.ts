/**
 * An image upload, from its files to what the Dataset row stores: the container bytes and the
 * profile. Runs on a CSV/data thread (src/ml/data/csv-tasks.ts `readImages`): decoding thousands
 * of PNG/JPEG files takes seconds.
 */
import { badInput } from '../../lib/errors';
import { encodeImageSet, type ImageSet } from './image-set';
import { profileImages, type ImageProfile } from './profile';
import { readImageFolderZip, readMnistIdx, readPixelCsv, type ImageLimits } from './readers';

/** The upload formats (GraphQL ImageDatasetFormat). */
export type ImageUploadFormat = 'mnist_idx' | 'image_folder_zip' | 'pixel_csv';

export interface ImageUpload {
  format: ImageUploadFormat;
  /** MNIST_IDX: the images file; IMAGE_FOLDER_ZIP: the archive; PIXEL_CSV: the CSV. */
  images: Uint8Array;
  /** MNIST_IDX only: the labels file. */
  labels?: Uint8Array;
  /** PIXEL_CSV only: `[height, width, channels]`. */
  imageShape?: [number, number, number];
  limits: ImageLimits;
}

/** What the upload stores. */
export interface ReadImages {
  content: Uint8Array;
  profile: ImageProfile;
}

/**
 * @throws AppError BAD_USER_INPUT naming the file or field (see ./readers.ts), or a missing
 *   `labels` / `imageShape` for the formats that need them.
 */
export function readImageUpload(upload: ImageUpload): ReadImages {
  let set: ImageSet;
  if (upload.format === 'mnist_idx') {
    if (!upload.labels) throw badInput('labels is required for format MNIST_IDX (the idx1 labels file)');
    set = readMnistIdx(upload.images, upload.labels, upload.limits);
  } else {
    if (upload.labels) throw badInput(`labels is only for format MNIST_IDX; ${upload.format.toUpperCase()} carries its labels`);
    if (upload.format === 'image_folder_zip') set = readImageFolderZip(upload.images, upload.limits);
    else {
      if (!upload.imageShape) throw badInput('imageShape [height, width, channels] is required for format PIXEL_CSV');
      set = readPixelCsv(new TextDecoder().decode(upload.images), upload.imageShape, 'label', upload.limits);
    }
  }
  return { content: encodeImageSet(set), profile: profileImages(set) };
}
