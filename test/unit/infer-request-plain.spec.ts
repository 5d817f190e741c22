/**
 * parseInferenceRequest reads the common V2 request (inputs of name, datatype, shape and flat data,
 * an optional id, optional outputs of a name alone) by hand, without the zod schema: its answer must be the schema's for every body,
 * and every body it does not take must get the schema's answer or refusal.
 */
import { inferenceRequestSchema, parseInferenceRequest } from '../../src/modules/serving/infer-request';

const tensor = { name: 'input-0', datatype: 'FP32', shape: [1, 3], data: [1, 2.5, -3] };

/** The schema's reading (or its message), and ours. */
function both(body: unknown) {
  const schema = inferenceRequestSchema.safeParse(body);
  let ours: unknown;
  try {
    ours = { ok: parseInferenceRequest(body) };
  } catch (err) {
    ours = { error: (err as Error).message };
  }
  return { schema: schema.success ? { ok: schema.data } : { error: schema.error.issues[0]!.message }, ours };
}

it.each([
  ['one tensor', { inputs: [tensor] }],
  ['an id and two tensors', { id: 'r-1', inputs: [tensor, { ...tensor, name: 'b', datatype: 'BYTES', data: ['x', 'y', 'z'] }] }],
  ['a 0-d tensor and nulls in data', { inputs: [{ name: 'x', datatype: 'FP64', shape: [], data: [null] }] }],
  ['-0 in a shape', { inputs: [{ ...tensor, shape: [-0, 3] }] }],
  ['outputs named', { inputs: [tensor], outputs: [{ name: 'predict' }, { name: 'probabilities' }] }],
  ['no outputs named', { inputs: [tensor], outputs: [] }],
])('reads %s as the schema does', (_what, body) => {
  const { schema, ours } = both(body);
  expect(ours).toEqual(schema);
  expect((ours as { ok: unknown }).ok).toEqual(body);
});

it.each([
  ['parameters', { inputs: [tensor], parameters: { binary_data_output: true } }, { inputs: [tensor], parameters: { binary_data_output: true } }],
  [
    'outputs with parameters',
    { inputs: [tensor], outputs: [{ name: 'predict', parameters: { binary_data: true } }] },
    { inputs: [tensor], outputs: [{ name: 'predict', parameters: { binary_data: true } }] },
  ],
  ['an output of an unknown key (dropped by the schema)', { inputs: [tensor], outputs: [{ name: 'predict', other: 1 }] }, { inputs: [tensor], outputs: [{ name: 'predict' }] }],
  ['an unknown key (dropped by the schema)', { inputs: [{ ...tensor, extra: 1 }], other: 2 }, { inputs: [tensor] }],
  ['nested data', { inputs: [{ ...tensor, data: [[1, 2.5, -3]] }] }, { inputs: [{ ...tensor, data: [[1, 2.5, -3]] }] }],
  ['no data (the binary extension)', { inputs: [{ name: 'x', datatype: 'FP32', shape: [1] }] }, { inputs: [{ name: 'x', datatype: 'FP32', shape: [1] }] }],
])('leaves a request with %s to the schema, which reads it', (_what, body, read) => {
  const { schema, ours } = both(body);
  expect(ours).toEqual(schema);
  expect(ours).toEqual({ ok: read });
});

it.each([
  ['no inputs', { inputs: [] }],
  ['an unknown datatype', { inputs: [{ ...tensor, datatype: 'FLOAT' }] }],
  ['a negative dimension', { inputs: [{ ...tensor, shape: [1, -3] }] }],
  ['a fractional dimension', { inputs: [{ ...tensor, shape: [1.5, 3] }] }],
  ['an empty name', { inputs: [{ ...tensor, name: '' }] }],
  ['a name of 257 characters', { inputs: [{ ...tensor, name: 'n'.repeat(257) }] }],
  ['an id that is a number', { id: 7, inputs: [tensor] }],
  ['nine dimensions', { inputs: [{ ...tensor, shape: [1, 1, 1, 1, 1, 1, 1, 1, 3] }] }],
  ['an output with an empty name', { inputs: [tensor], outputs: [{ name: '' }] }],
  ['an output without a name', { inputs: [tensor], outputs: [{}] }],
  ['an output name of 257 characters', { inputs: [tensor], outputs: [{ name: 'n'.repeat(257) }] }],
  ['outputs that are no list', { inputs: [tensor], outputs: { name: 'predict' } }],
  ['an output that is a string', { inputs: [tensor], outputs: ['predict'] }],
  ['257 outputs', { inputs: [tensor], outputs: Array.from({ length: 257 }, (_, i) => ({ name: `o${i}` })) }],
])('refuses %s with the schema’s message', (_what, body) => {
  const { schema, ours } = both(body);
  expect(schema).toHaveProperty('error');
  expect((ours as { error: string }).error).toContain(schema.error);
});
