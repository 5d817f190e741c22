/**
 * Tiny ONNX models written by hand (protobuf wire format, onnx.proto3 field numbers), for tests
 * that need a model the shared data does not have: one node of any operator and opset.
 */
const varint = (n: number): number[] => {
  const out: number[] = [];
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  out.push(n);
  return out;
};
const key = (field: number, wire: number) => varint((field << 3) | wire);
const int = (field: number, n: number) => [...key(field, 0), ...varint(n)];
const bytes = (field: number, b: number[]) => [...key(field, 2), ...varint(b.length), ...b];
const str = (field: number, s: string) => bytes(field, [...Buffer.from(s, 'utf8')]);

/** ValueInfoProto of a float tensor of shape `dims`. */
const floatValue = (name: string, dims: number[]) => [
  ...str(1, name),
  ...bytes(
    2,
    bytes(1, [
      ...int(1, 1),
      ...bytes(
        2,
        dims.flatMap((d) => bytes(1, int(1, d))),
      ),
    ]),
  ),
];

/**
 * A model whose graph is one node `op_type(x) -> y` on float `[1, 4]` tensors.
 * @param opset the default domain's opset version.
 */
export function oneNodeModel(opType: string, opset: number, inputs = 1): Buffer {
  const names = Array.from({ length: inputs }, (_, i) => `x${i}`);
  const node = [...names.flatMap((n) => str(1, n)), ...str(2, 'y'), ...str(4, opType)];
  const graph = [...bytes(1, node), ...str(2, 'g'), ...names.flatMap((n) => bytes(11, floatValue(n, [1, 4]))), ...bytes(12, floatValue('y', [1, 4]))];
  return Buffer.from([...int(1, 7), ...bytes(7, graph), ...bytes(8, [...str(1, ''), ...int(2, opset)])]);
}

/** ONNX TensorProto data types used by {@link graphModel}. */
export const ONNX_FLOAT = 1;
export const ONNX_INT64 = 7;

/** A graph input or output: name, element type (Default: FLOAT) and dims (a string: a named dynamic dimension). */
export interface ValueSpec {
  name: string;
  elemType?: number;
  dims: (number | string)[];
}

/** A node: `op_type(inputs) -> outputs`, with float attributes (e.g. Constant's `value_float`). */
export interface NodeSpec {
  op: string;
  inputs: string[];
  outputs: string[];
  floats?: Record<string, number>;
}

/** AttributeProto of a FLOAT (type 1): name (1), f (2, fixed32), type (20). */
const floatAttr = (name: string, f: number) => {
  const b = Buffer.alloc(4);
  b.writeFloatLE(f);
  return [...str(1, name), ...key(2, 5), ...b, ...int(20, 1)];
};

/** ValueInfoProto of a tensor; dims above 2^31 are written as 64-bit varints. */
const valueInfo = (v: ValueSpec) => [
  ...str(1, v.name),
  ...bytes(
    2,
    bytes(1, [
      ...int(1, v.elemType ?? ONNX_FLOAT),
      ...bytes(
        2,
        v.dims.flatMap((d) => bytes(1, typeof d === 'string' ? str(2, d) : [...key(1, 0), ...bigVarint(d)])),
      ),
    ]),
  ),
];

/** A varint of a non-negative integer up to 2^53 (beyond int32, unlike {@link varint}). */
function bigVarint(n: number): number[] {
  const out: number[] = [];
  let v = BigInt(n);
  while (v > 0x7fn) {
    out.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  out.push(Number(v));
  return out;
}

/**
 * A model of any nodes, inputs and outputs (no initializers), opset `opset` of the default domain.
 * E.g. `graphModel([{ op: 'ConstantOfShape', inputs: ['n'], outputs: ['y'] }], [{ name: 'n', elemType: ONNX_INT64, dims: [1] }], [{ name: 'y', dims: ['d'] }])`.
 */
export function graphModel(nodes: NodeSpec[], inputs: ValueSpec[], outputs: ValueSpec[], opset = 13): Buffer {
  const graph = [
    ...nodes.flatMap((n) =>
      bytes(1, [
        ...n.inputs.flatMap((i) => str(1, i)),
        ...n.outputs.flatMap((o) => str(2, o)),
        ...str(4, n.op),
        ...Object.entries(n.floats ?? {}).flatMap(([k, v]) => bytes(5, floatAttr(k, v))),
      ]),
    ),
    ...str(2, 'g'),
    ...inputs.flatMap((v) => bytes(11, valueInfo(v))),
    ...outputs.flatMap((v) => bytes(12, valueInfo(v))),
  ];
  return Buffer.from([...int(1, 7), ...bytes(7, graph), ...bytes(8, [...str(1, ''), ...int(2, opset)])]);
}
