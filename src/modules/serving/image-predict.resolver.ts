/**
 * predictImage and explainImage: images (base64 PNG/JPEG, or a tensor) through a version's
 * preprocessing to class probabilities, or to an occlusion saliency map. Scope `predict`.
 */
import { Arg, Args, Authorized, Ctx, Int, Query, Resolver } from 'type-graphql';
import type { Actor } from '../auth/actor';
import type { ImagePredictService } from './image-predict.service';
import { ImageExplanation, ImagePredictionResult, ImageTensorInput } from './image-predict.type';
import { VersionArgs, versionSelector } from './version.args';

/** The part of the GraphQL context these fields use (structural: modules do not import src/graphql). */
interface Context {
  actor?: Actor;
  services: { imagePredict: ImagePredictService };
}

@Resolver()
export class ImagePredictResolver {
  /**
   * @throws BAD_USER_INPUT (neither or both inputs, too many images, not base64 PNG/JPEG, another size
   *   than the model's, topK out of range, a tabular model), NOT_FOUND, MODEL_NOT_READY, QUOTA_EXCEEDED.
   */
  @Authorized('predict')
  @Query(() => ImagePredictionResult, {
    description:
      "Classifies images with an image model version (`version`, `alias` or the latest): `images` as base64 PNG/JPEG files (a data: URL prefix is accepted) or one `tensor` of 0-255 values. The version's normalisation is applied; each image gets its class probabilities and the `topK` most probable labels.",
  })
  predictImage(
    @Args(() => VersionArgs) which: VersionArgs,
    @Arg('images', () => [String], { nullable: true }) images: string[] | null,
    @Arg('tensor', () => ImageTensorInput, { nullable: true }) tensor: ImageTensorInput | null,
    @Arg('topK', () => Int, { defaultValue: 3 }) topK: number,
    @Ctx() ctx: Context,
  ): Promise<ImagePredictionResult> {
    return ctx.services.imagePredict.predictImage(ctx.actor!, which.model, versionSelector(which), { images, tensor }, topK);
  }

  /** @throws as predictImage; BAD_USER_INPUT for a grid outside [2, 16] or an unknown label; NOT_SUPPORTED. */
  @Authorized('predict')
  @Query(() => ImageExplanation, {
    description:
      'Occlusion saliency map of one image: the image is covered one grid cell at a time, and each cell gets the drop in the class probability (numbers, for a client to draw). `label` defaults to the predicted class.',
  })
  explainImage(
    @Args(() => VersionArgs) which: VersionArgs,
    @Arg('image', () => String, { nullable: true, description: 'A base64 PNG or JPEG file.' }) image: string | null,
    @Arg('tensor', () => ImageTensorInput, { nullable: true }) tensor: ImageTensorInput | null,
    @Arg('grid', () => Int, { defaultValue: 7, description: 'Cells per side, 2-16. (Default: 7)' }) grid: number,
    @Arg('label', () => String, { nullable: true }) label: string | null,
    @Ctx() ctx: Context,
  ): Promise<ImageExplanation> {
    return ctx.services.imagePredict.explainImage(ctx.actor!, which.model, versionSelector(which), { images: image == null ? null : [image], tensor }, grid, label);
  }
}
