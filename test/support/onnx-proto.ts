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
