/**
 * The Open Inference Protocol (KServe V2) request, read and checked once for every transport (V2
 * REST, GraphQL `infer`): the body's shape by a zod schema, then each input tensor's data against
 * its datatype and shape. Nested `data` (`[[1, 2], [3, 4]]`, which KServe accepts too) is flattened
 * row-major. Every refusal is BAD_USER_INPUT naming the field (`inputs[1].shape`) and the value.
 */
import { z } from 'zod';
import { badInput, notFiniteMessage, quote } from '../../lib/errors';
import { TENSOR_DATATYPES, type NamedTensor, type TensorDatatype } from '../../ml/tensor-io';

/** Most input tensors in one request. */
export const MAX_INPUT_TENSORS = 256;
/** Most dimensions of one tensor. */
export const MAX_TENSOR_RANK = 8;
/** Longest tensor or output name, characters. */
const MAX_NAME = 256;

const parameters = z.record(z.string().max(MAX_NAME), z.union([z.string().max(4096), z.number(), z.boolean()]));

const inputTensor = z.object({
  name: z.string().min(1).max(MAX_NAME),
  datatype: z.enum(TENSOR_DATATYPES),
  shape: z.array(z.number().int().min(0)).max(MAX_TENSOR_RANK),
  parameters: parameters.optional(),
  /** Absent when the bytes come after the JSON header (binary_data_size, binary-tensors.ts); checkTensor requires it otherwise. */
  data: z.unknown().optional(),
});

/** The body of `POST /v2/models/{name}[/versions/{v}]/infer` (the protocol's `$inference_request`). */
export const inferenceRequestSchema = z.object({
  id: z.string().max(MAX_NAME).optional(),
  parameters: parameters.optional(),
  inputs: z.array(inputTensor).min(1).max(MAX_INPUT_TENSORS),
  outputs: z
    .array(z.object({ name: z.string().min(1).max(MAX_NAME), parameters: parameters.optional() }))
    .max(MAX_INPUT_TENSORS)
    .optional(),
});

/** A request as read from the wire, before its tensors' data is checked. */
export type InferenceRequestBody = z.infer<typeof inferenceRequestSchema>;

/** What `infer` takes: input tensors (data not yet checked), output names, free-form parameters. */
export interface InferInput {
  inputs: { name: string; datatype: string; shape: number[]; data?: unknown; parameters?: Record<string, unknown> | null }[];
  /** Which outputs to return. (Default: every output the model serves) */
  outputs?: string[] | null;
  /** The outputs as the V2 request names them, with their `parameters` (infer-parameters.ts). (Default: `outputs` without parameters) */
  outputRequests?: { name: string; parameters?: Record<string, unknown> }[];
  /** Whether the request came with the binary data extension (its inputs' bytes already read into `data`). */
  binaryBody?: boolean;
  parameters?: Record<string, unknown> | null;
  /** The caller's request id, echoed in the answer. */
  id?: string | null;
  /**
   * A lower bound on the answer's values than the tenant's, set by the transport: over the
   * websocket an answer is one JSON.stringify on the event loop (output-size.ts WEBSOCKET_MAX_OUTPUT_VALUES).
   */
  transportLimit?: { max: number; name: string };
}

/** Formats a zod issue path as the caller wrote it: `inputs[0].shape[2]`. */
function fieldOf(path: readonly PropertyKey[], root: string): string {
  return path.reduce<string>((acc, p) => (typeof p === 'number' ? `${acc}[${p}]` : acc ? `${acc}.${String(p)}` : String(p)), root);
}

/** Nesting a V2 body may have: a tensor's nested `data` adds one level per dimension (its rank). */
const MAX_BODY_DEPTH = 64;

/**
 * Refuses a value nested deeper than `limit`, walking it iteratively (no recursion): the schema's
 * checks and its error messages (which quote the value) recurse, and a body of 5,000 nested arrays
 * in `id`, `parameters` or `shape` overflowed the stack there (HTTP 500).
 * @throws AppError BAD_USER_INPUT naming the limit.
 */
function requireDepthAtMost(value: unknown, limit: number): void {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (depth > limit) throw badInput(`The request body is nested deeper than ${limit} levels (limit)`, { field: 'body' });
    const children = Array.isArray(v) ? v : Object.values(v as object);
    for (const child of children) if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
  }
}

const REQUEST_KEYS = new Set(['id', 'inputs', 'outputs']);
const TENSOR_KEYS = new Set(['name', 'datatype', 'shape', 'data']);
const OUTPUT_KEYS = new Set(['name']);
const DATATYPES = new Set<string>(TENSOR_DATATYPES);

/** Whether `v` is a plain object holding only `keys` (what the schema keeps as it is). */
function onlyKeys(v: unknown, keys: Set<string>): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  for (const key in v) if (!keys.has(key)) return false;
  return true;
}

/** Whether `name` is a name the schema takes as it is (1 to MAX_NAME characters). */
const plainName = (name: unknown) => typeof name === 'string' && name.length >= 1 && name.length <= MAX_NAME;

/**
 * The common request — `inputs` of `name`, `datatype`, `shape` and flat `data`, an optional `id`,
 * optional `outputs` of `name` alone, nothing else — checked by hand: the body itself when the schema
 * would accept it unchanged, else undefined (the schema reads it, and words any refusal). The
 * schema's walk and copies cost more than the rest of reading a single-row request (and, with the
 * depth walk, ~0.5 ms of a 1 MB one's).
 */
function plainInferenceRequest(body: Record<string, unknown>): InferenceRequestBody | undefined {
  if (!onlyKeys(body, REQUEST_KEYS)) return undefined;
  const { id, inputs, outputs } = body;
  if (id !== undefined && !(typeof id === 'string' && id.length <= MAX_NAME)) return undefined;
  if (outputs !== undefined) {
    if (!Array.isArray(outputs) || outputs.length > MAX_INPUT_TENSORS) return undefined;
    for (const o of outputs as unknown[]) if (!onlyKeys(o, OUTPUT_KEYS) || !plainName(o.name)) return undefined;
  }
  if (!Array.isArray(inputs) || inputs.length < 1 || inputs.length > MAX_INPUT_TENSORS) return undefined;
  for (const t of inputs as unknown[]) {
    if (!onlyKeys(t, TENSOR_KEYS)) return undefined;
    const { name, datatype, shape, data } = t;
    if (!plainName(name) || !(typeof datatype === 'string' && DATATYPES.has(datatype))) return undefined;
    if (!Array.isArray(shape) || shape.length > MAX_TENSOR_RANK || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) return undefined;
    if (!Array.isArray(data)) return undefined;
    for (let i = 0; i < data.length; i++) {
      const v: unknown = data[i];
      if (v !== null && typeof v === 'object') return undefined; // nested or odd data: the schema's depth check first
    }
  }
  return body as InferenceRequestBody;
}

/**
 * Reads a V2 inference request body.
 * @throws AppError BAD_USER_INPUT naming the first wrong field (`inputs[0].datatype`) and its problem.
 */
export function parseInferenceRequest(body: unknown): InferenceRequestBody {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw badInput(`The request body must be a JSON object { "inputs": [...] }, got ${body === undefined ? 'nothing' : quote(body)}`);
  }
  const plain = plainInferenceRequest(body as Record<string, unknown>);
  if (plain) return plain;
  requireDepthAtMost(body, MAX_BODY_DEPTH);
  const parsed = inferenceRequestSchema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const field = fieldOf(issue.path, '') || 'body';
  const value = issue.path.reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[k] : undefined), body);
  throw badInput(`${field}: ${issue.message}${value === undefined ? '' : `, got ${quote(value)}`}`, { field });
}

/** Largest finite magnitude of the float datatypes narrower than a double (IEEE 754 binary32 and binary16). */
const FLOAT_MAX: Partial<Record<TensorDatatype, number>> = { FP32: 3.4028234663852886e38, FP16: 65_504 };

const NUMERIC_RANGE: Partial<Record<TensorDatatype, [number, number]>> = {
  UINT8: [0, 255],
  UINT16: [0, 65_535],
  UINT32: [0, 4_294_967_295],
  UINT64: [0, Number.MAX_SAFE_INTEGER],
  INT8: [-128, 127],
  INT16: [-32_768, 32_767],
  INT32: [-2_147_483_648, 2_147_483_647],
  INT64: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
};

/** Whether any element of `data` is a list (an indexed loop: `some(Array.isArray)` boxed every number of a 50,000-value tensor). */
function hasList(data: unknown[]): boolean {
  for (let i = 0; i < data.length; i++) if (Array.isArray(data[i])) return true;
  return false;
}

/**
 * Flattens nested arrays row-major, iteratively (depth bounded by MAX_TENSOR_RANK + 1). Flat data
 * is taken as it is; nested data must match `shape` at every level (`[[1,2,3],[4]]` is no [2, 2]).
 * @throws AppError BAD_USER_INPUT naming the tensor and the first list of the wrong length, or a
 *   value where a list belongs (and the reverse).
 */
function flatten(data: unknown, field: string, shape: number[], name: string): unknown[] {
  if (data === undefined) throw badInput(`${field} is missing: send the tensor's values (row-major), or its bytes after the JSON header (the binary data extension)`, { field });
  if (!Array.isArray(data)) throw badInput(`${field} must be a list of values (row-major), got ${quote(data)}`, { field });
  if (!hasList(data)) return data;
  const ragged = (path: string, what: string) =>
    badInput(`${path} (tensor ${quote(name)}) ${what}: nested data must match the shape [${shape.join(', ')}] at every level (or send it flat)`, { field });
  if (data.length !== shape[0]) throw ragged(field, `holds ${data.length} lists or values, not ${shape[0] ?? 'a single value'}`);
  const out: unknown[] = [];
  const stack: { items: unknown[]; at: number }[] = [{ items: data, at: 0 }];
  const path = () => field + stack.map((s) => `[${s.at - 1}]`).join('');
  while (stack.length) {
    const top = stack[stack.length - 1]!;
    if (top.at >= top.items.length) {
      stack.pop();
      continue;
    }
    const v = top.items[top.at++];
    const depth = stack.length; // the level v sits at (0: the outer list)
    if (Array.isArray(v)) {
      if (stack.length > MAX_TENSOR_RANK) throw badInput(`${field} is nested more than ${MAX_TENSOR_RANK} levels deep`, { field });
      if (depth >= shape.length) throw ragged(path(), `is a list where the shape has a value`);
      if (v.length !== shape[depth]) throw ragged(path(), `holds ${v.length} values, not ${shape[depth]}`);
      stack.push({ items: v, at: 0 });
    } else {
      if (depth !== shape.length) throw ragged(path(), `is a value where the shape has a list of ${shape[depth]}`);
      out.push(v);
    }
  }
  return out;
}

/**
 * Checks one input tensor: its data flattened, as many elements as its shape holds, each of its
 * datatype (finite numbers, integers in range for INT/UINT types, booleans for BOOL, strings for BYTES).
 * @param field how the caller named it, e.g. `inputs[0]`.
 * @throws AppError BAD_USER_INPUT naming the tensor, the field and the first wrong value.
 */
export function checkTensor(t: InferInput['inputs'][number], field: string): NamedTensor {
  const datatype = t.datatype as TensorDatatype;
  if (!TENSOR_DATATYPES.includes(datatype)) throw badInput(`${field}.datatype ${quote(t.datatype)} is not a V2 datatype; use one of ${TENSOR_DATATYPES.join(', ')}`, { field });
  if (!Array.isArray(t.shape) || t.shape.length > MAX_TENSOR_RANK || t.shape.some((d) => !Number.isInteger(d) || d < 0)) {
    throw badInput(`${field}.shape must be at most ${MAX_TENSOR_RANK} non-negative integers, got ${quote(t.shape)}`, { field });
  }
  const data = flatten(t.data, `${field}.data`, t.shape, t.name);
  const elements = t.shape.reduce((a, b) => a * b, 1);
  if (data.length !== elements) {
    throw badInput(`${field} (tensor ${quote(t.name)}) has shape [${t.shape.join(', ')}], which holds ${elements} elements, but its data has ${data.length}`, { field });
  }
  const range = NUMERIC_RANGE[datatype];
  const floatMax = FLOAT_MAX[datatype] ?? Number.MAX_VALUE;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    const ok =
      datatype === 'BYTES'
        ? typeof v === 'string'
        : datatype === 'BOOL'
          ? typeof v === 'boolean'
          : typeof v === 'number' && Math.abs(v) <= floatMax && (!range || (Number.isInteger(v) && v >= range[0] && v <= range[1]));
    if (!ok) {
      const want =
        datatype === 'BYTES'
          ? 'a string'
          : datatype === 'BOOL'
            ? 'true or false'
            : range
              ? `an integer in [${range[0]}, ${range[1]}]`
              : floatMax < Number.MAX_VALUE
                ? `a finite number within ±${floatMax} (the range of ${datatype})`
                : 'a finite number';
      if (typeof v === 'number' && !Number.isFinite(v)) {
        // JSON reads 1e400 as Infinity.
        throw badInput(`${notFiniteMessage(`${field}.data[${i}]`, v)}; tensor ${quote(t.name)} (${datatype}) takes ${want}`, { field: `${field}.data` });
      }
      throw badInput(`${field}.data[${i}] (tensor ${quote(t.name)}, ${datatype}) must be ${want}, got ${typeof v !== 'number' ? quote(v) : v}`, { field: `${field}.data` });
    }
  }
  return { name: t.name, datatype, shape: [...t.shape], data: data as NamedTensor['data'] };
}

/**
 * Checks every input tensor (names unique) and the output names (unique).
 * @throws AppError BAD_USER_INPUT as {@link checkTensor}; for no inputs, a repeated input or output name.
 */
export function checkInferInput(input: InferInput): { inputs: NamedTensor[]; outputs?: string[] } {
  if (!Array.isArray(input.inputs) || input.inputs.length === 0) throw badInput('inputs is empty: send at least one input tensor', { field: 'inputs' });
  if (input.inputs.length > MAX_INPUT_TENSORS) throw badInput(`inputs has ${input.inputs.length} tensors; at most ${MAX_INPUT_TENSORS}`, { field: 'inputs' });
  const seen = new Set<string>();
  const inputs = input.inputs.map((t, i) => {
    if (seen.has(t.name)) throw badInput(`inputs[${i}] repeats the input name ${quote(t.name)}`, { field: `inputs[${i}].name` });
    seen.add(t.name);
    return checkTensor(t, `inputs[${i}]`);
  });
  const outputs = input.outputs ?? undefined;
  if (outputs && new Set(outputs).size !== outputs.length) throw badInput('outputs names an output twice', { field: 'outputs' });
  return { inputs, outputs };
}
