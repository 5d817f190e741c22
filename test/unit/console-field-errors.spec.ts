/**
 * The console's placement of server errors beside form fields (web/console/field-errors.ts), with
 * messages as the server words them: the spec checks, the run input's own fields, GraphQL's
 * coercion errors and `extensions.field`.
 */
import { ApiError } from '../../web/console/api-error';
import { fieldErrors } from '../../web/console/field-errors';

const FIELDS = [
  'datasetId',
  'targetColumn',
  'modelName',
  'spec.epochs',
  'spec.batchSize',
  'spec.optimizer',
  'spec.layers',
  'spec.layers[0]',
  'spec.layers[0].units',
  'spec.layers[1].units',
];
const one = (message: string, extensions?: Record<string, unknown>) => fieldErrors(new ApiError([{ message, extensions: { code: 'BAD_USER_INPUT', ...extensions } }]), FIELDS);

it('puts a spec check beside the field it names', () => {
  expect(one('spec.epochs must be an integer in [1, 1000], got 0')).toEqual({ 'spec.epochs': 'spec.epochs must be an integer in [1, 1000], got 0' });
  expect(one('spec.layers[1].units must be an integer in [1, 4096], got 0')).toEqual({ 'spec.layers[1].units': 'spec.layers[1].units must be an integer in [1, 4096], got 0' });
});

it('falls back to the longest field the named path starts with', () => {
  expect(one('spec.optimizer.learningRate must be a number in [0, 10], got -1')).toEqual({ 'spec.optimizer': 'spec.optimizer.learningRate must be a number in [0, 10], got -1' });
  expect(one('spec.layers[0].activation SOFTMAX needs more units')).toEqual({ 'spec.layers[0]': 'spec.layers[0].activation SOFTMAX needs more units' });
});

it("reads GraphQL's coercion errors, the run input's fields and extensions.field", () => {
  const coercion = 'Variable "$input" got invalid value "thirty" at "input.spec.batchSize"; Int cannot represent non-integer value: "thirty"';
  expect(one(coercion)).toEqual({ 'spec.batchSize': coercion });
  expect(one("modelName '-x' must be 1-100 letters")).toEqual({ modelName: "modelName '-x' must be 1-100 letters" });
  expect(one("Dataset 'pima' has no column 'Outcom'", { field: 'targetColumn' })).toEqual({ targetColumn: "Dataset 'pima' has no column 'Outcom'" });
});

it('keeps an error that names no field for the form, and joins two on one field', () => {
  expect(one('Training queue is full')).toEqual({ form: 'Training queue is full' });
  const two = fieldErrors(new ApiError([{ message: 'spec.epochs is too small' }, { message: 'spec.epochs is not whole' }]), FIELDS);
  expect(two).toEqual({ 'spec.epochs': 'spec.epochs is too small; spec.epochs is not whole' });
});
