/**
 * The size of an `infer` answer, estimated before scoring from the declared output shapes and the
 * request's batch (the batch dimension filled in, other dynamic dimensions counted as 1), and
 * checked against INFER_MAX_OUTPUT_VALUES before and after scoring (src/modules/serving/output-size.ts).
 */
import { AppError } from '../../src/lib/errors';
import type { NamedTensor, TensorSpec } from '../../src/ml/tensor-io';
import { checkOutputEstimate, checkOutputSize, estimateOutputValues } from '../../src/modules/serving/output-size';

const SUPER_RES: TensorSpec[] = [{ name: 'output', datatype: 'FP32', shape: [-1, 1, 672, 672] }];
const DEFAULT_LIMIT = { max: 524_288, perTenant: false };

/** The error `fn` throws. */
function thrown(fn: () => void): AppError {
  try {
    fn();
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('nothing was thrown');
}

describe('estimateOutputValues', () => {
  it('multiplies the static dimensions by the batch: one super-resolution image is 451,584 values, two 903,168', () => {
    expect(estimateOutputValues(SUPER_RES, undefined, 1)).toEqual({ values: 451_584, exact: true, largest: { name: 'output', shape: [1, 1, 672, 672], values: 451_584 } });
    expect(estimateOutputValues(SUPER_RES, undefined, 2)).toMatchObject({ values: 903_168, exact: true, largest: { shape: [2, 1, 672, 672] } });
  });

  it('keeps a static batch dimension as declared, whatever the rows', () => {
    expect(estimateOutputValues([{ name: 'y', datatype: 'FP32', shape: [1, 10] }], undefined, 8)).toMatchObject({ values: 10, exact: true });
  });

  it('counts a dynamic dimension past the batch as 1 and says the total is a lower bound', () => {
    const detections: TensorSpec[] = [
      { name: 'boxes', datatype: 'FP32', shape: [-1, -1, 4] },
      { name: 'scores', datatype: 'FP32', shape: [-1, 4420, 2] },
    ];
    expect(estimateOutputValues(detections, undefined, 3)).toEqual({
      values: 3 * 4 + 3 * 4420 * 2,
      exact: false,
      largest: { name: 'scores', shape: [3, 4420, 2], values: 26_520 },
    });
  });

  it('sums only the outputs asked for', () => {
    const two: TensorSpec[] = [...SUPER_RES, { name: 'small', datatype: 'INT64', shape: [-1, 5] }];
    expect(estimateOutputValues(two, ['small'], 4)).toMatchObject({ values: 20, largest: { name: 'small' } });
    expect(estimateOutputValues(two, undefined, 1).values).toBe(451_584 + 5);
    expect(estimateOutputValues(two, [], 1)).toEqual({ values: 0, exact: true, largest: undefined });
  });
});

describe('checkOutputEstimate and checkOutputSize', () => {
  it('lets one super-resolution image through and refuses two, naming INFER_MAX_OUTPUT_VALUES, with reason, estimate and limit', () => {
    expect(() => checkOutputEstimate(estimateOutputValues(SUPER_RES, undefined, 1), DEFAULT_LIMIT)).not.toThrow();
    const e = thrown(() => checkOutputEstimate(estimateOutputValues(SUPER_RES, undefined, 2), DEFAULT_LIMIT));
    expect(e.code).toBe('BAD_USER_INPUT');
    expect(e.message).toBe(
      "The model's outputs would hold 903168 values (output 'output' has shape [2, 1, 672, 672]); INFER_MAX_OUTPUT_VALUES allows at most 524288 per call: send fewer rows (images) or name fewer `outputs`",
    );
    expect(e.details).toEqual({ field: 'outputs', reason: 'OUTPUT_TOO_LARGE', output: 'output', values: 903_168, limit: 524_288, estimated: true });
  });

  it("names the tenant's own limit when it sets the bound, and refuses exactly past it", () => {
    const limit = { max: 903_167, perTenant: true };
    const e = thrown(() => checkOutputEstimate(estimateOutputValues(SUPER_RES, undefined, 2), limit));
    expect(e.message).toContain("this tenant's limit (inferMaxOutputValues) allows at most 903167 per call");
    expect(() => checkOutputEstimate(estimateOutputValues(SUPER_RES, undefined, 2), { max: 903_168, perTenant: true })).not.toThrow();
  });

  it('checks the real tensors after scoring, for what dynamic dimensions hid', () => {
    const out: NamedTensor[] = [
      { name: 'a', datatype: 'FP32', shape: [2, 3], data: new Float32Array(6) },
      { name: 'b', datatype: 'INT64', shape: [5], data: new Array<number>(5).fill(0) },
    ];
    expect(() => checkOutputSize(out, { max: 11, perTenant: false })).not.toThrow();
    const e = thrown(() => checkOutputSize(out, { max: 10, perTenant: false }));
    expect(e.message).toBe(
      "The model's outputs hold 11 values (output 'a' has shape [2, 3]); INFER_MAX_OUTPUT_VALUES allows at most 10 per call: send fewer rows (images) or name fewer `outputs`",
    );
    expect(e.details).toEqual({ field: 'outputs', reason: 'OUTPUT_TOO_LARGE', output: 'a', values: 11, limit: 10, estimated: false });
  });
});
