/**
 * Named tensors in and out (issue 12): the request's tensors checked against their datatype and
 * shape, checked against a model's declared inputs and outputs (the path of models answering
 * `tensorSpecs` / `inferTensors`, such as uploaded ONNX models, which no family of this branch has
 * yet), and read as a tabular model's rows. Every refusal is BAD_USER_INPUT naming the field.
 */
import { AppError } from '../../src/lib/errors';
import type { FittedPipeline } from '../../src/ml/preprocess/types';
import { checkInferInput } from '../../src/modules/serving/infer-request';
import { checkAgainstSpecs, plainTensor, type TensorSpecs } from '../../src/modules/serving/named-tensors';
import { predictionsToTensors, tensorsToMatrix } from '../../src/modules/serving/tabular-tensors';

const refusal = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    if (err instanceof AppError) return { code: err.code, message: err.message };
    throw err;
  }
  throw new Error('no refusal');
};

describe('checkInferInput', () => {
  it('flattens nested data row-major and keeps each datatype', () => {
    const { inputs } = checkInferInput({
      inputs: [
        {
          name: 'x',
          datatype: 'FP32',
          shape: [2, 2],
          data: [
            [1, 2],
            [3, 4],
          ],
        },
        { name: 'b', datatype: 'BOOL', shape: [2], data: [true, false] },
        { name: 's', datatype: 'BYTES', shape: [1, 1], data: [['a']] },
      ],
    });
    expect(inputs).toEqual([
      { name: 'x', datatype: 'FP32', shape: [2, 2], data: [1, 2, 3, 4] },
      { name: 'b', datatype: 'BOOL', shape: [2], data: [true, false] },
      { name: 's', datatype: 'BYTES', shape: [1, 1], data: ['a'] },
    ]);
  });

  it.each([
    [{ name: 'x', datatype: 'FP32', shape: [3], data: [1, 2] }, "inputs[0] (tensor 'x') has shape [3], which holds 3 elements, but its data has 2"],
    [{ name: 'x', datatype: 'UINT8', shape: [1], data: [256] }, "inputs[0].data[0] (tensor 'x', UINT8) must be an integer in [0, 255], got 256"],
    [{ name: 'x', datatype: 'INT32', shape: [1], data: [1.5] }, "inputs[0].data[0] (tensor 'x', INT32) must be an integer in [-2147483648, 2147483647], got 1.5"],
    [{ name: 'x', datatype: 'BOOL', shape: [1], data: [1] }, "inputs[0].data[0] (tensor 'x', BOOL) must be true or false, got 1"],
    [{ name: 'x', datatype: 'BYTES', shape: [1], data: [1] }, "inputs[0].data[0] (tensor 'x', BYTES) must be a string, got 1"],
    [{ name: 'x', datatype: 'FP64', shape: [1], data: 'abc' }, "inputs[0].data must be a list of values (row-major), got 'abc'"],
    [
      { name: 'x', datatype: 'FP9', shape: [1], data: [1] },
      "inputs[0].datatype 'FP9' is not a V2 datatype; use one of BOOL, UINT8, UINT16, UINT32, UINT64, INT8, INT16, INT32, INT64, FP16, FP32, FP64, BYTES",
    ],
  ])('refuses %j', (tensor, message) => {
    expect(refusal(() => checkInferInput({ inputs: [tensor] }))).toEqual({ code: 'BAD_USER_INPUT', message });
  });

  it('refuses a repeated input name and a repeated output', () => {
    const t = { name: 'x', datatype: 'FP32', shape: [1], data: [1] };
    expect(refusal(() => checkInferInput({ inputs: [t, t] })).message).toBe("inputs[1] repeats the input name 'x'");
    expect(refusal(() => checkInferInput({ inputs: [t], outputs: ['y', 'y'] })).message).toBe('outputs names an output twice');
  });
});

describe('checkAgainstSpecs (models that declare their tensors)', () => {
  const specs: TensorSpecs = {
    inputs: [
      { name: 'image', datatype: 'FP32', shape: [-1, 1, 2, 2] },
      { name: 'scale', datatype: 'FP32', shape: [1] },
    ],
    outputs: [{ name: 'logits', datatype: 'FP32', shape: [-1, 10] }],
  };
  const image = (n: number) => ({ name: 'image', datatype: 'FP32' as const, shape: [n, 1, 2, 2], data: new Array(n * 4).fill(0) });
  const scale = { name: 'scale', datatype: 'FP32' as const, shape: [1], data: [1] };

  it('accepts matching tensors and counts the dynamic batch dimension as rows', () => {
    expect(checkAgainstSpecs([image(3), scale], ['logits'], specs)).toBe(3);
    expect(checkAgainstSpecs([scale, image(2)], undefined, specs)).toBe(1); // the first input's batch is fixed
  });

  it.each([
    [[{ ...scale, name: 'scales' }, image(1)], undefined, "inputs[0] names 'scales', which is no input of the model (did you mean 'scale'?); its inputs are image, scale"],
    [[image(1), { ...scale, datatype: 'FP64' as const }], undefined, "inputs[1] ('scale') is FP64; the model takes FP32"],
    [[{ ...image(1), shape: [1, 1, 4] }, scale], undefined, "inputs[0] ('image') has shape [1, 1, 4]; the model takes [-1, 1, 2, 2] (-1: any size)"],
    [[{ ...image(1), shape: [1, 2, 2, 1] }, scale], undefined, "inputs[0] ('image') has shape [1, 2, 2, 1]; the model takes [-1, 1, 2, 2] (-1: any size)"],
    [[image(1)], undefined, "inputs lacks the model's input 'scale'; its inputs are image, scale"],
    [[image(1), scale], ['logit'], "outputs[0] names 'logit', which the model does not serve (did you mean 'logits'?); it serves logits"],
  ])('refuses %j', (inputs, outputs, message) => {
    expect(refusal(() => checkAgainstSpecs(inputs, outputs, specs))).toEqual({ code: 'BAD_USER_INPUT', message });
  });

  it('makes outputs JSON-ready and refuses a non-finite float', async () => {
    expect(await plainTensor({ name: 'y', datatype: 'FP32', shape: [2], data: new Float32Array([0.5, 2]) })).toEqual({ name: 'y', datatype: 'FP32', shape: [2], data: [0.5, 2] });
    await expect(plainTensor({ name: 'y', datatype: 'FP32', shape: [2], data: new Float32Array([0.5, NaN]) })).rejects.toMatchObject({
      code: 'NON_FINITE_OUTPUT',
      message: "The model's output 'y' holds NaN at index 1, not a finite number; no answer is given",
    });
  });

  it('copies a large output a slice per event-loop turn, the same values, and finds a non-finite value in a later slice', async () => {
    const big = Float32Array.from({ length: 451_584 }, (_, i) => i / 7);
    let turns = 0;
    const ticker = setInterval(() => turns++, 0);
    const plain = await plainTensor({ name: 'output', datatype: 'FP32', shape: [1, 1, 672, 672], data: big });
    clearInterval(ticker);
    expect(plain.data).toHaveLength(451_584);
    expect([plain.data[0], plain.data[100_000], plain.data[451_583]]).toEqual([big[0], big[100_000], big[451_583]]);
    expect(turns).toBeGreaterThan(0); // timers ran while it was copied
    big[400_000] = Infinity;
    await expect(plainTensor({ name: 'output', datatype: 'FP32', shape: [451_584], data: big })).rejects.toMatchObject({
      code: 'NON_FINITE_OUTPUT',
      message: "The model's output 'output' holds Infinity at index 400000, not a finite number; no answer is given",
    });
  });
});

describe('tabular models', () => {
  const column = (name: string, type: 'numeric' | 'categorical') => ({ name, type, missingCodes: [], steps: [], outputs: [name] });
  const pipeline: FittedPipeline = {
    format: 'maas-pipeline/1',
    columns: [column('age', 'numeric'), column('city', 'categorical')],
    target: { name: 'y', task: 'multiclass', classes: ['a', 'b', 'c'] },
    datasetColumns: ['age', 'city', 'y'],
  };

  it('reads one [rows, features] tensor and per-feature tensors as the same rows', () => {
    const one = tensorsToMatrix([{ name: 'input-0', datatype: 'BYTES', shape: [2, 2], data: ['30', 'Oslo', '40', 'Rome'] }], pipeline).matrix;
    const per = tensorsToMatrix(
      [
        { name: 'city', datatype: 'BYTES', shape: [2, 1], data: ['Oslo', 'Rome'] },
        { name: 'age', datatype: 'FP64', shape: [2], data: [30, 40] },
      ],
      pipeline,
    ).matrix;
    expect(one).toEqual({
      columns: ['age', 'city'],
      rows: [
        ['30', 'Oslo'],
        ['40', 'Rome'],
      ],
    });
    expect(per).toEqual({
      columns: ['city', 'age'],
      rows: [
        ['Oslo', 30],
        ['Rome', 40],
      ],
    });
  });

  it('refuses tensors of different row counts', () => {
    const inputs = [
      { name: 'city', datatype: 'BYTES' as const, shape: [2], data: ['Oslo', 'Rome'] },
      { name: 'age', datatype: 'FP64' as const, shape: [1], data: [30] },
    ];
    expect(refusal(() => tensorsToMatrix(inputs, pipeline)).message).toBe("inputs[1] (feature 'age') has 1 rows, inputs[0] has 2: every feature tensor needs the same rows");
  });

  it('returns labels and probabilities as tensors', () => {
    const predictions = [{ label: 'b', probability: 0.5, probabilities: [0.2, 0.5, 0.3] }];
    expect(predictionsToTensors(predictions, pipeline)).toEqual([
      { name: 'predict', datatype: 'BYTES', shape: [1], data: ['b'] },
      { name: 'probabilities', datatype: 'FP64', shape: [1, 3], data: [0.2, 0.5, 0.3] },
    ]);
  });
});
