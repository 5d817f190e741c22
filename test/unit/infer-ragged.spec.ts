/** Nested tensor data must match the shape at every level, and numbers their datatype's range (src/modules/serving/infer-request.ts). */
import { AppError } from '../../src/lib/errors';
import { checkTensor } from '../../src/modules/serving/infer-request';

const refusal = (data: unknown, shape: number[], datatype = 'FP32') => {
  try {
    checkTensor({ name: 'x', datatype, shape, data }, 'inputs[0]');
  } catch (err) {
    return err instanceof AppError ? { code: err.code, message: err.message, field: err.details?.field } : err;
  }
  return 'accepted';
};

it('refuses ragged nested data naming the input and the list', () => {
  expect(refusal([[1, 2, 3], [4]], [2, 2])).toEqual({
    code: 'BAD_USER_INPUT',
    message: "inputs[0].data[0] (tensor 'x') holds 3 values, not 2: nested data must match the shape [2, 2] at every level (or send it flat)",
    field: 'inputs[0].data',
  });
  expect(refusal([[1, 2], 3, 4], [2, 2])).toMatchObject({ code: 'BAD_USER_INPUT', message: expect.stringContaining("inputs[0].data (tensor 'x') holds 3 lists or values, not 2") });
  expect(refusal([[1, 2], 3], [2, 2])).toMatchObject({
    code: 'BAD_USER_INPUT',
    message: expect.stringContaining("inputs[0].data[1] (tensor 'x') is a value where the shape has a list of 2"),
  });
  expect(
    refusal(
      [
        [[1], [2]],
        [[3], [4]],
      ],
      [2, 2],
    ),
  ).toMatchObject({
    code: 'BAD_USER_INPUT',
    message: expect.stringContaining("inputs[0].data[0][0] (tensor 'x') is a list where the shape has a value"),
  });
});

it('accepts flat data and data nested exactly as the shape', () => {
  expect(checkTensor({ name: 'x', datatype: 'FP32', shape: [2, 2], data: [1, 2, 3, 4] }, 'inputs[0]').data).toEqual([1, 2, 3, 4]);
  expect(
    checkTensor(
      {
        name: 'x',
        datatype: 'FP32',
        shape: [2, 2],
        data: [
          [1, 2],
          [3, 4],
        ],
      },
      'inputs[0]',
    ).data,
  ).toEqual([1, 2, 3, 4]);
  expect(checkTensor({ name: 'x', datatype: 'FP32', shape: [1, 2, 1], data: [[[1], [2]]] }, 'inputs[0]').data).toEqual([1, 2]);
});

it('names a number JSON reads as Infinity (1e400) as such, not as null', () => {
  expect(refusal([Infinity], [1])).toEqual({
    code: 'BAD_USER_INPUT',
    message: "inputs[0].data[0] Infinity is not a finite number; tensor 'x' (FP32) takes a finite number within ±3.4028234663852886e+38 (the range of FP32)",
    field: 'inputs[0].data',
  });
  expect(refusal([1.5], [1])).toBe('accepted');
});

it('refuses a finite double beyond float32 in an FP32 tensor (it would reach the model as Infinity), and keeps the edges', () => {
  expect(refusal([1, 1e308], [2])).toEqual({
    code: 'BAD_USER_INPUT',
    message: "inputs[0].data[1] (tensor 'x', FP32) must be a finite number within ±3.4028234663852886e+38 (the range of FP32), got 1e+308",
    field: 'inputs[0].data',
  });
  expect(refusal([3.4028234663852886e38, -3.4028234663852886e38], [2])).toBe('accepted');
  expect(refusal([3.41e38], [1])).not.toBe('accepted');
  expect(refusal([65_505, 1e308], [2], 'FP64')).toBe('accepted');
  expect(refusal([65_505], [1], 'FP16')).toMatchObject({ message: expect.stringContaining('within ±65504 (the range of FP16)') });
});
