/**
 * Writing ONNX models: a small graph builder over the `onnx-proto` message classes (protobufjs
 * generated from onnx.proto, ONNX 1.10). Opsets: the default domain 13 and `ai.onnx.ml` 3, both
 * read by onnxruntime 1.x (and so by Triton's and KServe's onnxruntime backends).
 */
import { onnx } from 'onnx-proto';

/** Default-domain opset the exports use (Softmax over the last axis, Clip with tensor bounds). */
export const ONNX_OPSET = 13;
/** `ai.onnx.ml` opset (TreeEnsembleRegressor with float thresholds). */
export const ONNX_ML_OPSET = 3;
/** ONNX IR version of ONNX 1.10 (what onnx-proto writes). */
const IR_VERSION = 8;

const { DataType } = onnx.TensorProto;
const { AttributeType } = onnx.AttributeProto;

/** An attribute value; `doubles` is written as a 1-D float64 TENSOR attribute (ai.onnx.ml 3's `*_as_tensor`). */
export type Attr = { f: number } | { i: number } | { s: string } | { floats: number[] } | { ints: number[] } | { strings: string[] } | { doubles: number[] };

function attribute(name: string, a: Attr): onnx.IAttributeProto {
  if ('f' in a) return { name, type: AttributeType.FLOAT, f: a.f };
  if ('i' in a) return { name, type: AttributeType.INT, i: a.i };
  if ('s' in a) return { name, type: AttributeType.STRING, s: Buffer.from(a.s, 'utf8') };
  if ('floats' in a) return { name, type: AttributeType.FLOATS, floats: a.floats };
  if ('ints' in a) return { name, type: AttributeType.INTS, ints: a.ints };
  if ('doubles' in a) return { name, type: AttributeType.TENSOR, t: { dataType: DataType.DOUBLE, dims: [a.doubles.length], doubleData: a.doubles } };
  return { name, type: AttributeType.STRINGS, strings: a.strings.map((s) => Buffer.from(s, 'utf8')) };
}

/** A graph input or output: float32 or int64, `[batch, ...dims]` with a dynamic `batch`. */
export interface TensorDecl {
  name: string;
  type: 'float32' | 'int64';
  /** Dimensions after the batch. */
  dims: number[];
  doc?: string;
}

const valueInfo = (t: TensorDecl): onnx.IValueInfoProto => ({
  name: t.name,
  docString: t.doc,
  type: {
    tensorType: {
      elemType: t.type === 'float32' ? DataType.FLOAT : DataType.INT64,
      shape: { dim: [{ dimParam: 'batch' }, ...t.dims.map((d) => ({ dimValue: d }))] },
    },
  },
});

/** Builds one graph: nodes in order, float32/int64 constants as initializers; names are unique by a counter. */
export class OnnxGraph {
  private readonly nodes: onnx.INodeProto[] = [];
  private readonly initializers: onnx.ITensorProto[] = [];
  private counter = 0;

  /** A fresh value name starting with `prefix`. */
  name(prefix: string): string {
    return `${prefix}_${this.counter++}`;
  }

  /** A float32 constant of shape `dims`; returns its name. */
  floats(values: ArrayLike<number>, dims: number[], prefix = 'c'): string {
    const name = this.name(prefix);
    this.initializers.push({ name, dataType: DataType.FLOAT, dims, floatData: Array.from(values, Math.fround) });
    return name;
  }

  /** An int64 constant of shape `dims`; returns its name. */
  ints(values: number[], dims: number[], prefix = 'i'): string {
    const name = this.name(prefix);
    this.initializers.push({ name, dataType: DataType.INT64, dims, int64Data: values });
    return name;
  }

  /**
   * Adds `op(inputs) -> outputs`; returns the first output's name.
   * @param outputs names, or a count of fresh names.
   */
  node(op: string, inputs: string[], attrs: Record<string, Attr> = {}, outputs: string[] | number = 1, domain = ''): string {
    const outs = typeof outputs === 'number' ? Array.from({ length: outputs }, () => this.name(op.toLowerCase())) : outputs;
    this.nodes.push({ opType: op, domain, input: inputs, output: outs, name: this.name(`n_${op}`), attribute: Object.entries(attrs).map(([k, v]) => attribute(k, v)) });
    return outs[0];
  }

  /** Renames value `from` to `to` (an Identity node), e.g. to give a graph output its public name. */
  output(from: string, to: string): void {
    this.node('Identity', [from], {}, [to]);
  }

  /**
   * The serialised model.
   * @param metadata free key/value pairs stored in the model (ModelProto.metadata_props).
   */
  encode(graphName: string, inputs: TensorDecl[], outputs: TensorDecl[], metadata: Record<string, string>, doc: string): Uint8Array {
    const model: onnx.IModelProto = {
      irVersion: IR_VERSION,
      producerName: 'maas',
      producerVersion: '1',
      docString: doc,
      opsetImport: [
        { domain: '', version: ONNX_OPSET },
        { domain: 'ai.onnx.ml', version: ONNX_ML_OPSET },
      ],
      metadataProps: Object.entries(metadata).map(([key, value]) => ({ key, value })),
      graph: {
        name: graphName,
        node: this.nodes,
        initializer: this.initializers,
        input: inputs.map(valueInfo),
        output: outputs.map(valueInfo),
      },
    };
    return onnx.ModelProto.encode(model).finish();
  }
}
