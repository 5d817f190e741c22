/**
 * What the read-only V2 routes answer, the same on express (routes.ts) and on the fast path
 * (fast-reads.ts): health, server metadata, model metadata and readiness. Each is a status and
 * a body; both paths send the body as `JSON.stringify` of it (express' `res.json`), so the bytes
 * are the same.
 */
import { runtimeFault } from '../../ml/runtime-fault';
import type { ModelMetadata } from '../../modules/serving/infer.service';

/** The protocol extensions served (GET /v2 `extensions`), by Triton's names. */
export const V2_EXTENSIONS = ['binary_tensor_data', 'classification'];

/** A status and a JSON body. */
export interface V2Answer {
  status: number;
  body: unknown;
}

/** GET /v2/health/live: 200 `{live: true}`, or 503 `{live: false, error}` once the TF.js runtime aborted (src/ml/runtime-fault.ts). */
export function liveAnswer(): V2Answer {
  const fault = runtimeFault();
  return fault ? { status: 503, body: { live: false, error: `The TF.js runtime aborted: ${fault}` } } : { status: 200, body: { live: true } };
}

/**
 * GET /v2/health/ready: 200 `{ready: true}`, or 503 `{ready: false, error}` when the database is unreachable.
 * @param ready resolves when the database is reachable (the server's readiness check).
 */
export async function readyAnswer(ready: () => Promise<void>): Promise<V2Answer> {
  try {
    await ready();
    return { status: 200, body: { ready: true } };
  } catch {
    return { status: 503, body: { ready: false, error: 'The database is unreachable' } };
  }
}

/** GET /v2 (the protocol's `$metadata_server_response`). @param version the server's version (BaseContext.version). */
export const serverBody = (version: string) => ({ name: 'maas', version, extensions: V2_EXTENSIONS });

/** GET /v2/models/{name}[/versions/{v}] (the protocol's `$metadata_model_response`): the service's metadata without its extra fields. */
export const metadataBody = (m: ModelMetadata) => ({ name: m.name, versions: m.versions, platform: m.platform, inputs: m.inputs, outputs: m.outputs });

/** GET /v2/models/{name}[/versions/{v}]/ready, for a model that is ready (one that is not is an error). */
export const modelReadyBody = (name: string) => ({ name, ready: true });
