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

/** One call of each guarded V2 route (the model's routes), for a model `name` of version 1 with Pima's features. */
export function guardedV2Calls(name: string): { route: string; path: string; body?: unknown }[] {
  const body = { inputs: [{ name: 'input-0', datatype: 'FP32', shape: [1, 8], data: [1, 100, 70, 20, 80, 30, 0.5, 30] }] };
  const m = `/v2/models/${encodeURIComponent(name)}`;
  return [
    { route: 'GET /v2/models/:name', path: m },
    { route: 'GET /v2/models/:name/versions/:version', path: `${m}/versions/1` },
    { route: 'GET /v2/models/:name/ready', path: `${m}/ready` },
    { route: 'GET /v2/models/:name/versions/:version/ready', path: `${m}/versions/1/ready` },
    { route: 'POST /v2/models/:name/infer', path: `${m}/infer`, body },
    { route: 'POST /v2/models/:name/versions/:version/infer', path: `${m}/versions/1/infer`, body },
  ];
}

/** The public V2 routes (no tenant data). */
export const PUBLIC_V2_ROUTES = ['GET /v2/health/live', 'GET /v2/health/ready', 'GET /v2'];
