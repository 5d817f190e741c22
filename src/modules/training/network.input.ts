/** Spec inputs of NEURAL_NETWORK: layers, optimiser and class weights (Keras names and defaults). */
import { Field, Float, InputType, Int } from 'type-graphql';
import { Nullable } from '../common/fields';
import { Activation, LayerType, OptimizerName, Padding } from './spec-enums';

/** One network layer; the fields of other layer types are refused. */
@InputType({ description: "One layer, as Keras' Dense(units, activation, input_dim, kernel_regularizer), Dropout(rate) or BatchNormalization(momentum, epsilon)." })
export class LayerInput {
  @Field(() => LayerType, { defaultValue: LayerType.DENSE })
  type!: LayerType;

  @Nullable(Int, 'Dense: number of units.')
  units?: number;

  @Nullable(Activation, 'Dense: activation. (Default: LINEAR)')
  activation?: Activation;

  @Nullable(Int, 'First layer: number of model inputs (checked against what the preprocessing yields).')
  inputDim?: number;

  @Nullable(Float, 'Dropout: fraction of inputs dropped while training.')
  rate?: number;

  @Nullable(Float, 'Dense: L1 kernel regularisation factor.')
  l1?: number;

  @Nullable(Float, 'Dense: L2 kernel regularisation factor (with l1: L1L2).')
  l2?: number;

  @Nullable(Float, 'Batch normalisation: moving-average momentum. (Default: 0.99)')
  momentum?: number;

  @Nullable(Float, 'Batch normalisation: epsilon. (Default: 0.001)')
  epsilon?: number;

  @Nullable(Int, 'CONV2D: output channels.')
  filters?: number;

  @Nullable(Int, 'CONV2D: square kernel side. (Default: 3)')
  kernelSize?: number;

  @Nullable(Int, 'CONV2D and pooling: step. (Default: 1 for CONV2D, poolSize for pooling)')
  strides?: number;

  @Nullable(Padding, 'CONV2D and pooling. (Default: VALID)')
  padding?: Padding;

  @Nullable(Int, 'MAX_POOLING2D, AVERAGE_POOLING2D: square window side. (Default: 2)')
  poolSize?: number;
}

/** Random shifts and small rotations of training images (CONVOLUTIONAL_NETWORK). */
@InputType({ description: 'Training-time image augmentation, drawn per image and epoch from the seed.' })
export class AugmentationInput {
  @Nullable(Float, 'Largest shift as a fraction of height and width, e.g. 0.1. (Default: 0)')
  shift?: number;

  @Nullable(Float, 'Largest rotation, degrees, either way, e.g. 10. (Default: 0)')
  rotationDegrees?: number;
}

/** The network's optimiser and its step size. */
@InputType()
export class OptimizerInput {
  @Field(() => OptimizerName)
  name!: OptimizerName;

  @Nullable(Float, 'Default: 0.001 (ADAM, RMSPROP), 0.01 (SGD), as Keras.')
  learningRate?: number;

  @Nullable(Float, 'SGD only.')
  momentum?: number;
}

/** A class's weight in a classification network's loss. */
@InputType({ description: "A class's weight in the loss, as Keras' class_weight." })
export class ClassWeightInput {
  @Field({ description: 'A class label of the target.' })
  label!: string;

  @Field(() => Float)
  weight!: number;
}
