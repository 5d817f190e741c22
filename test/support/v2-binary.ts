/**
 * Requests and answers in Triton's binary tensor data extension, built here from the extension's
 * text (docs/protocol/extension_binary_data.md in triton-inference-server/server), independently
 * of the server's code: no npm client library speaks it (the registry lists no KServe or Triton
 * client for Node). A body is `Inference-Header-Content-Length` bytes of JSON, then each binary
 * tensor's raw little-endian bytes in order; a BYTES element is a 4-byte little-endian length, then its bytes.
 */

/** A tensor sent in binary: its V2 header fields and its elements. */
export interface BinaryTensor {
  name: string;
  datatype: 'FP32' | 'FP64' | 'INT64' | 'INT32' | 'UINT8' | 'BOOL' | 'BYTES';
  shape: number[];
  data: ArrayLike<number> | boolean[] | string[];
}

/** The raw bytes of `t.data` as the extension lays them out. */
export function tensorBytes(t: BinaryTensor): Buffer {
  const n = t.data.length;
  switch (t.datatype) {
    case 'FP32': {
      const b = Buffer.alloc(4 * n);
      for (let i = 0; i < n; i++) b.writeFloatLE(Number(t.data[i]), 4 * i);
      return b;
    }
    case 'FP64': {
      const b = Buffer.alloc(8 * n);
      for (let i = 0; i < n; i++) b.writeDoubleLE(Number(t.data[i]), 8 * i);
      return b;
    }
    case 'INT64': {
      const b = Buffer.alloc(8 * n);
      for (let i = 0; i < n; i++) b.writeBigInt64LE(BigInt(Number(t.data[i])), 8 * i);
      return b;
    }
    case 'INT32': {
      const b = Buffer.alloc(4 * n);
      for (let i = 0; i < n; i++) b.writeInt32LE(Number(t.data[i]), 4 * i);
      return b;
    }
    case 'UINT8':
      return Buffer.from(Array.from(t.data as ArrayLike<number>));
    case 'BOOL':
      return Buffer.from((t.data as boolean[]).map((v) => (v ? 1 : 0)));
    case 'BYTES':
      return Buffer.concat(
        (t.data as string[]).flatMap((s) => {
          const bytes = Buffer.from(s, 'utf8');
          const len = Buffer.alloc(4);
          len.writeUInt32LE(bytes.length);
          return [len, bytes];
        }),
      );
  }
}

/**
 * A binary request body: `binary` tensors as bytes after the JSON header (with
 * `parameters.binary_data_size`), `json` tensors inline.
 * @returns the body and the value of its Inference-Header-Content-Length header.
 */
export function binaryRequest(
  binary: BinaryTensor[],
  extra: { json?: object[]; outputs?: object[]; parameters?: object; id?: string } = {},
): { body: Buffer; headerLength: number } {
  const parts = binary.map(tensorBytes);
  const header = Buffer.from(
    JSON.stringify({
      ...(extra.id ? { id: extra.id } : {}),
      ...(extra.parameters ? { parameters: extra.parameters } : {}),
      inputs: [...binary.map((t, i) => ({ name: t.name, datatype: t.datatype, shape: t.shape, parameters: { binary_data_size: parts[i]!.length } })), ...(extra.json ?? [])],
      ...(extra.outputs ? { outputs: extra.outputs } : {}),
    }),
  );
  return { body: Buffer.concat([header, ...parts]), headerLength: header.length };
}

/** An answer read back: its JSON header, and each binary output's elements decoded (by name). */
export interface BinaryAnswer {
  status: number;
  headers: Headers;
  /** The JSON part (the whole body when the answer is not binary). */
  json: any;
  /** Decoded elements of the outputs sent in binary, by name. */
  tensors: Record<string, number[] | boolean[] | string[]>;
  /** Bytes of the whole answer. */
  bytes: number;
}

/** Decodes an answer: split at Inference-Header-Content-Length, then each binary output's bytes. */
export function readBinaryAnswer(status: number, headers: Headers, body: Buffer): BinaryAnswer {
  const n = headers.get('inference-header-content-length');
  if (n === null) return { status, headers, json: JSON.parse(body.toString('utf8')), tensors: {}, bytes: body.length };
  const json = JSON.parse(body.subarray(0, Number(n)).toString('utf8'));
  const tensors: BinaryAnswer['tensors'] = {};
  let at = Number(n);
  for (const o of json.outputs as { name: string; datatype: string; parameters?: { binary_data_size?: number } }[]) {
    const size = o.parameters?.binary_data_size;
    if (size === undefined) continue;
    const b = body.subarray(at, at + size);
    at += size;
    if (o.datatype === 'FP32') tensors[o.name] = Array.from({ length: size / 4 }, (_, i) => b.readFloatLE(4 * i));
    else if (o.datatype === 'FP16') tensors[o.name] = Array.from({ length: size / 2 }, (_, i) => halfToNumber(b.readUInt16LE(2 * i)));
    else if (o.datatype === 'FP64') tensors[o.name] = Array.from({ length: size / 8 }, (_, i) => b.readDoubleLE(8 * i));
    else if (o.datatype === 'INT64') tensors[o.name] = Array.from({ length: size / 8 }, (_, i) => Number(b.readBigInt64LE(8 * i)));
    else if (o.datatype === 'BOOL') tensors[o.name] = Array.from(b, (v) => v === 1);
    else if (o.datatype === 'BYTES') {
      const out: string[] = [];
      for (let p = 0; p < b.length;) {
        const len = b.readUInt32LE(p);
        out.push(b.subarray(p + 4, p + 4 + len).toString('utf8'));
        p += 4 + len;
      }
      tensors[o.name] = out;
    } else throw new Error(`test decoder: no ${o.datatype}`);
  }
  if (at !== body.length) throw new Error(`answer has ${body.length - at} bytes past its binary outputs`);
  return { status, headers, json, tensors, bytes: body.length };
}

/** POSTs a binary body to `path` (on the server of `graphqlUrl`). */
export async function postBinary(
  graphqlUrl: string,
  path: string,
  req: { body: Buffer; headerLength: number | string },
  token?: string,
  headers: Record<string, string> = {},
): Promise<BinaryAnswer> {
  const res = await fetch(graphqlUrl.replace(/\/graphql$/, '') + path, {
    method: 'POST',
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      'content-type': 'application/octet-stream',
      'inference-header-content-length': String(req.headerLength),
      ...headers,
    },
    body: new Uint8Array(req.body),
  });
  return readBinaryAnswer(res.status, res.headers, Buffer.from(await res.arrayBuffer()));
}

/**
 * An IEEE 754 binary16 bit pattern as a number, written here from the format (sign, 5 exponent bits
 * biased by 15, 10 fraction bits), independently of the server's src/ml/half.ts.
 */
export function halfToNumber(bits: number): number {
  const sign = bits >> 15 ? -1 : 1;
  const exponent = (bits >> 10) & 31;
  const fraction = bits & 1023;
  if (exponent === 31) return fraction === 0 ? sign * Infinity : NaN;
  return exponent === 0 ? sign * fraction * 2 ** -24 : sign * (1024 + fraction) * 2 ** (exponent - 25);
}
