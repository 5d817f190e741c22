/**
 * What an uploaded ONNX version stores beside its bytes (in its pipeline's `onnx`, and its
 * topology): the checksum, the declared tensors, and the uploader's metadata (description, class
 * labels, image preprocessing). Serving, the registry's GraphQL view and image prediction read it.
 */
import type { NotServedOutput, OnnxTensorSpec } from './specs';

/**
 * How an image becomes the model's input tensor (as torchvision's Resize + CenterCrop + ToTensor +
 * Normalize): resize so the short side is `resizeShortSide` (bilinear), centre-crop to
 * `height × width` (no resize when null: the image is stretched to `height × width`), then per
 * channel `(pixel · scale − mean[c]) / std[c]` with pixels 0–255, in `layout` order.
 * E.g. ShuffleNet (ONNX Model Zoo card): 256, 224 × 224, scale 1/255, ImageNet mean
 * [0.485, 0.456, 0.406] and std [0.229, 0.224, 0.225], NCHW.
 */
export interface OnnxImagePreprocessing {
  /** The model input fed (an FP32 tensor of rank 4). */
  input: string;
  layout: 'NCHW' | 'NHWC';
  /** From the input's shape. */
  height: number;
  width: number;
  /** 1 (grayscale, BT.601 luma) or 3 (RGB). */
  channels: 1 | 3;
  /** Pixels of the short side after resizing, before the centre crop; null: resize to height × width directly. */
  resizeShortSide: number | null;
  /** Multiplies 0–255 pixel values first. (Default: 1/255) */
  scale: number;
  /** Per channel, subtracted after scaling. (Default: 0) */
  mean: number[];
  /** Per channel, divides last. (Default: 1) */
  std: number[];
}

/** An uploaded ONNX version's serving information (FittedPipeline.onnx). */
export interface OnnxServing {
  format: 'onnx/1';
  /** Hex SHA-256 of the model file as uploaded (and stored). */
  sha256: string;
  /** Bytes of the model file. */
  sizeBytes: number;
  inputs: OnnxTensorSpec[];
  /** Tensor outputs: the ones served. */
  outputs: OnnxTensorSpec[];
  /** Outputs the model has but this server cannot return (ZipMap), with the fix. */
  notServed: NotServedOutput[];
  description: string | null;
  /** Class labels by output index (e.g. ImageNet synsets), for `labelsOutput`. */
  labels: string[] | null;
  /** The output the labels index: a classifier's scores. */
  labelsOutput: string | null;
  /** Apply softmax to `labelsOutput` before reporting probabilities (the model outputs logits). */
  softmax: boolean;
  image: OnnxImagePreprocessing | null;
}
