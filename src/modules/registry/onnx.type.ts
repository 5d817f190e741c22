/**
 * GraphQL types of uploaded ONNX model versions: the metadata an upload takes (description, class
 * labels, image preprocessing) and what a version shows (its declared tensors, checksum, metadata).
 */
import { Field, Float, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Nullable } from '../common/fields';

/** Memory order of an image tensor. */
export enum ImageLayout {
  NCHW = 'NCHW',
  NHWC = 'NHWC',
}
registerEnumType(ImageLayout, { name: 'ImageLayout', description: 'Order of an image tensor: NCHW (channels first, PyTorch) or NHWC (channels last, TensorFlow).' });

/** How predictImage turns an image into the model's input. */
@InputType({
  description:
    'Image preprocessing (as torchvision Resize + CenterCrop + ToTensor + Normalize): resize the short side to `resizeShortSide` (bilinear), centre-crop to the input size (absent: resize straight to it), then (pixel · scale − mean) / std per channel (pixels 0-255, RGB or grayscale by the input), in `layout` order.',
})
export class OnnxImagePreprocessingInput {
  @Nullable(String, 'The input fed (Default: the only input).') input?: string | null;
  @Field(() => ImageLayout, { nullable: true, description: 'Default: NCHW when dimension 1 is 1 or 3, else NHWC.' }) layout?: ImageLayout | null;
  @Nullable(Int, 'Short side after resizing, before the centre crop, e.g. 256 for a 224 crop.') resizeShortSide?: number | null;
  @Nullable(Float, 'Multiplies 0-255 pixel values. (Default: 1/255)') scale?: number | null;
  @Nullable([Float], 'Per channel (or one for all), subtracted after scaling, e.g. ImageNet [0.485, 0.456, 0.406]. (Default: 0)') mean?: number[] | null;
  @Nullable([Float], 'Per channel (or one for all), divides last, e.g. ImageNet [0.229, 0.224, 0.225]. (Default: 1)') std?: number[] | null;
}

/** What an uploader may say about the model. */
@InputType({ description: 'Optional metadata of an uploaded ONNX model.' })
export class OnnxMetadataInput {
  @Nullable(String, 'What the model is, for people (at most 4,000 characters).') description?: string | null;
  @Nullable([String], "Class labels by output index (e.g. the lines of ImageNet's synset.txt).") labels?: string[] | null;
  @Nullable(String, 'The output the labels index. (Default: the first output whose last dimension equals the number of labels)') labelsOutput?: string | null;
  @Nullable(Boolean, 'The labelled output holds logits: apply softmax to report probabilities. (Default: false)') softmax?: boolean | null;
  @Nullable(OnnxImagePreprocessingInput, 'How predictImage turns an image into the model input.') image?: OnnxImagePreprocessingInput | null;
}

/** One declared input or output. */
@ObjectType({ description: 'A tensor a model takes or returns, as the model declares it.' })
export class OnnxTensorSpecView {
  @Field() name!: string;
  @Field({ description: 'Open Inference Protocol datatype: FP32, INT64, BYTES (strings), …' }) datatype!: string;
  @Field(() => [Int], { description: 'Dimensions; -1 where any size is accepted (dynamic).' }) shape!: number[];
  @Field(() => [String], { nullable: 'items', description: "Each dynamic dimension's name in the model ('' when unnamed); null for fixed ones." }) dimNames!: (string | null)[];
  @Nullable(Int, 'Which dimension is the batch: 0 when the first is dynamic or the tensor has 2+ dimensions (ONNX does not mark it); else null.') batchDimension!: number | null;
}

/** An output that cannot be returned. */
@ObjectType({ description: 'An output the model has that is not served, and why (with how to export without it).' })
export class NotServedOutput {
  @Field() name!: string;
  @Field() reason!: string;
}

/** The preprocessing a version applies to images. */
@ObjectType({ description: "How predictImage turns an image into this model's input." })
export class OnnxImagePreprocessing {
  @Field() input!: string;
  @Field(() => ImageLayout) layout!: ImageLayout;
  @Field(() => Int) height!: number;
  @Field(() => Int) width!: number;
  @Field(() => Int) channels!: number;
  @Nullable(Int) resizeShortSide!: number | null;
  @Field(() => Float) scale!: number;
  @Field(() => [Float]) mean!: number[];
  @Field(() => [Float]) std!: number[];
}

/** What an uploaded ONNX version shows. */
@ObjectType({ description: 'An uploaded ONNX model: its file, declared tensors and metadata.' })
export class OnnxModelInfo {
  @Field({ description: 'Hex SHA-256 of the file as uploaded (checked again whenever the model loads).' }) sha256!: string;
  @Field(() => Float, { description: 'Size of the file, bytes.' }) sizeBytes!: number;
  @Nullable(String) description!: string | null;
  @Field(() => [OnnxTensorSpecView]) inputs!: OnnxTensorSpecView[];
  @Field(() => [OnnxTensorSpecView], { description: 'The outputs served (tensors).' }) outputs!: OnnxTensorSpecView[];
  @Field(() => [NotServedOutput], { description: "Outputs not served (scikit-learn's ZipMap), with the fix." }) notServed!: NotServedOutput[];
  @Nullable([String], 'Class labels by index of labelsOutput.') labels!: string[] | null;
  @Nullable(String) labelsOutput!: string | null;
  @Field({ description: 'Whether softmax turns labelsOutput into probabilities.' }) softmax!: boolean;
  @Nullable(OnnxImagePreprocessing) image!: OnnxImagePreprocessing | null;
}
