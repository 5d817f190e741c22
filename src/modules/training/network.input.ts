/** Spec inputs of NEURAL_NETWORK: layers, optimiser and class weights (Keras names and defaults). */
import { Field, Float, InputType, Int } from 'type-graphql';
import { Nullable } from '../common/fields';
import { Activation, LayerType, OptimizerName } from './spec-enums';

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
