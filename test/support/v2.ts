/** Calls of the V2 (Open Inference Protocol) REST routes, answered as status, headers and JSON. */
export interface V2Response {
  status: number;
  headers: Headers;
  body: any;
}

export interface V2Call {
  token?: string;
  /** A value sent as JSON, or a string sent as it is. */
  body?: unknown;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
}

/** `path` on the API's server (e.g. `/v2/models/m/infer`); POST when a body is given. */
export async function v2(graphqlUrl: string, path: string, call: V2Call = {}): Promise<V2Response> {
  const base = graphqlUrl.replace(/\/graphql$/, '');
  const res = await fetch(base + path, {
    method: call.method ?? (call.body === undefined ? 'GET' : 'POST'),
    headers: { ...(call.token ? { authorization: `Bearer ${call.token}` } : {}), 'content-type': 'application/json', ...call.headers },
    body: call.body === undefined ? undefined : typeof call.body === 'string' ? call.body : JSON.stringify(call.body),
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: kept as text
  }
  return { status: res.status, headers: res.headers, body };
}

/** One `[rows, features]` FP32 tensor of rows keyed by feature, in `features`' order. */
export function matrixTensor(rows: Record<string, unknown>[], features: string[], name = 'input-0') {
  return { name, datatype: 'FP32', shape: [rows.length, features.length], data: rows.flatMap((r) => features.map((f) => r[f])) };
}
