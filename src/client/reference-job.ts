/**
 * The reference job in the API's terms: the Keras program
 *   Dense(10, input_dim=8, activation='relu') -> Dense(1, activation='sigmoid'),
 *   compile(loss='binary_crossentropy', optimizer='adam', metrics=['accuracy']), fit(epochs=10, batch_size=32)
 * on the Pima data (target `Outcome`). Shared by the demo, the benchmark and the tests; checked
 * against the schema's ModelSpecInput (literal types kept, so tests can read its layers).
 */
import type { ModelSpecInput } from './generated/graphql';

export const KERAS_SPEC = {
  layers: [
    { type: 'DENSE', units: 10, inputDim: 8, activation: 'RELU' },
    { type: 'DENSE', units: 1, activation: 'SIGMOID' },
  ],
  loss: 'BINARY_CROSSENTROPY',
  optimizer: { name: 'ADAM' },
  metrics: ['ACCURACY'],
  epochs: 10,
  batchSize: 32,
} satisfies ModelSpecInput;

/** One Pima patient (the first row of the data set), keyed like the CSV's columns. */
export const PIMA_ROW = { Pregnancies: 6, Glucose: 148, BloodPressure: 72, SkinThickness: 35, Insulin: 0, BMI: 33.6, DiabetesPedigreeFunction: 0.627, Age: 50 };
