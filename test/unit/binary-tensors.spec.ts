/**
 * Triton's binary tensor data extension, byte for byte: every datatype's bytes (built here by the
 * extension's text in test/support/v2-binary.ts) read by the server's decoder as JSON data would hold
 * them, answers encoded back to the same bytes, and each malformed tensor refused naming its field.
 */
import { decodeBinaryInput, encodeBinaryOutput, readBinaryInputs } from '../../src/modules/serving/binary-tensors';
import { classify } from '../../src/modules/serving/infer-parameters';
import type { PlainTensor } from '../../src/modules/serving/named-tensors';
import { tensorBytes, type BinaryTensor } from '../support/v2-binary';

const cases: BinaryTensor[] = [
  { name: 'f', datatype: 'FP32', shape: [2, 2], data: [0.5, -1.25, 2 ** 40, 0] },
  { name: 'd', datatype: 'FP64', shape: [3], data: [0.1, -2.5, 1e-300] },
  { name: 'l', datatype: 'INT64', shape: [3], data: [-(2 ** 53) + 1, 0, 2 ** 53 - 1] },
  { name: 'i', datatype: 'INT32', shape: [2], data: [-2_147_483_648, 2_147_483_647] },
  { name: 'u', datatype: 'UINT8', shape: [1, 3], data: [0, 128, 255] },
  { name: 'b', datatype: 'BOOL', shape: [3], data: [true, false, true] },
  { name: 's', datatype: 'BYTES', shape: [3], data: ['male', '', 'Zoë ✓'] },
];

it.each(cases)('$datatype: the bytes read as the JSON data, and written back the same', (t) => {
  const bytes = tensorBytes(t);
  const data = decodeBinaryInput(t, bytes, 'inputs[0]');
  expect(data).toEqual(Array.from(t.data as ArrayLike<unknown>));
  expect(Buffer.from(encodeBinaryOutput({ ...t, data } as PlainTensor))).toEqual(bytes);
});

it('reads several inputs in order, mixed with JSON ones, from one unaligned body', () => {
  const [a, b] = [cases[0]!, cases[6]!];
  const tail = Buffer.concat([tensorBytes(a), tensorBytes(b)]);
  const odd = Buffer.concat([Buffer.alloc(1), tail]).subarray(1); // not 4-byte aligned
  const inputs = [
    { name: a.name, datatype: a.datatype, shape: a.shape, parameters: { binary_data_size: tensorBytes(a).length } },
    { name: 'j', datatype: 'FP32', shape: [1], data: [7] },
    { name: b.name, datatype: b.datatype, shape: b.shape, parameters: { binary_data_size: tensorBytes(b).length } },
  ];
  expect(readBinaryInputs(inputs, odd).map((t) => t.data)).toEqual([a.data, [7], b.data]);
});

it.each([
  [
    'a BOOL byte other than 0 or 1',
    { name: 'b', datatype: 'BOOL', shape: [2] },
    Buffer.from([1, 2]),
    "inputs[0] (tensor 'b', BOOL) byte 1 is 2; a BOOL element is one byte, 0 or 1",
  ],
  [
    'INT32 bytes not a multiple of 4',
    { name: 'i', datatype: 'INT32', shape: [2] },
    Buffer.alloc(6),
    "inputs[0].parameters.binary_data_size is 6 bytes, but tensor 'i' of shape [2] INT32 holds 2 elements × 4 bytes = 8",
  ],
  [
    'a BYTES length past the end',
    { name: 's', datatype: 'BYTES', shape: [1] },
    Buffer.from([9, 0, 0, 0, 65]),
    "inputs[0].parameters.binary_data_size: tensor 's' (BYTES) element 0 says 9 bytes, but only 1 remain",
  ],
  [
    'a BYTES length cut',
    { name: 's', datatype: 'BYTES', shape: [2] },
    Buffer.from([1, 0, 0, 0, 65, 1, 0]),
    "inputs[0].parameters.binary_data_size: tensor 's' (BYTES) ends inside element 1's 4-byte length",
  ],
  [
    'fewer BYTES elements than the shape',
    { name: 's', datatype: 'BYTES', shape: [2] },
    Buffer.from([1, 0, 0, 0, 65]),
    "inputs[0].parameters.binary_data_size: tensor 's' (BYTES) holds 1 elements in its 5 bytes; its shape holds 2",
  ],
  [
    'BYTES that are not UTF-8',
    { name: 's', datatype: 'BYTES', shape: [1] },
    Buffer.from([1, 0, 0, 0, 0xff]),
    "inputs[0].parameters.binary_data_size: tensor 's' (BYTES) element 0 is not UTF-8 text",
  ],
])('refuses %s', (_what, t, bytes, message) => {
  expect(() => decodeBinaryInput(t, bytes, 'inputs[0]')).toThrow(message);
});

it('classification: top k per row, highest first, ties by index; labels when given', () => {
  const scores: PlainTensor = { name: 'p', datatype: 'FP32', shape: [2, 3], data: [0.1, 0.7, 0.2, 0.5, 0.5, 0] };
  expect(classify(scores, 2, ['a', 'b', 'c'], 'f')).toEqual({ name: 'p', datatype: 'BYTES', shape: [2, 2], data: ['0.7:1:b', '0.2:2:c', '0.5:0:a', '0.5:1:b'] });
  expect(classify({ ...scores, shape: [6] }, 1, null, 'f')).toEqual({ name: 'p', datatype: 'BYTES', shape: [1], data: ['0.7:1'] });
});
