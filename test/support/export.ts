/** Downloading a model export over the REST route (src/rest/export-routes.ts) and opening its ZIP. */
import { unzipSync } from 'fflate';

/** An export's answer: the archive's files on 200, else the error body. */
export interface ExportAnswer {
  status: number;
  contentType?: string | null;
  disposition?: string | null;
  files?: Record<string, Uint8Array>;
  error?: { errors: { message: string; extensions: { code: string; family?: string } }[] };
}

/** GETs `/models/{model}/versions/{version}/export?format=…` with the caller's credential. */
export async function download(caller: { url: string; token?: string }, model: string, format: string, version = '1'): Promise<ExportAnswer> {
  const res = await fetch(`${caller.url.replace('/graphql', '')}/models/${encodeURIComponent(model)}/versions/${version}/export?format=${format}`, {
    headers: caller.token ? { authorization: `Bearer ${caller.token}` } : {},
  });
  const head = { status: res.status, contentType: res.headers.get('content-type'), disposition: res.headers.get('content-disposition') };
  if (res.status !== 200) return { ...head, error: (await res.json()) as ExportAnswer['error'] };
  return { ...head, files: unzipSync(new Uint8Array(await res.arrayBuffer())) };
}
