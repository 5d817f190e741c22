/** Dataset uploads through the GraphQL multipart request, with upload options, and the profile fields to read back. */
import type { Caller, GqlResult } from '../../src/client/graphql-client';

export const COLUMN_FIELDS = `name type missing missingCodes distinct integer min max mean std
  quantiles { q value } histogram { lower upper count } earliest latest topValues { value count }`;

export interface UploadOptions {
  hasHeader?: boolean;
  missingValues?: { column?: string; values: string[] }[];
  columnNames?: string[];
  encoding?: 'UTF_8' | 'ISO_8859_1';
  quoting?: boolean;
}

/** Uploads a file through the GraphQL multipart request, with upload options. */
export async function uploadWith(t: Caller, filename: string, content: Buffer | string, options: UploadOptions = {}): Promise<GqlResult> {
  const form = new FormData();
  form.append(
    'operations',
    JSON.stringify({
      query: `mutation($file: Upload!, $hasHeader: Boolean, $missingValues: [MissingValuesInput!], $columnNames: [String!], $encoding: TextEncoding, $quoting: Boolean) {
        uploadDataset(name: "${filename}", file: $file, hasHeader: $hasHeader, missingValues: $missingValues, columnNames: $columnNames, encoding: $encoding, quoting: $quoting) {
          id rowCount hasHeader delimiter quoting encoding columns { ${COLUMN_FIELDS} } } }`,
      variables: { file: null, ...options },
    }),
  );
  form.append('map', JSON.stringify({ 0: ['variables.file'] }));
  form.append('0', new Blob([typeof content === 'string' ? content : new Uint8Array(content)]), filename);
  const res = await fetch(t.url, { method: 'POST', headers: { authorization: `Bearer ${t.token}`, 'apollo-require-preflight': 'true' }, body: form });
  return (await res.json()) as GqlResult;
}

/** Like uploadWith, but throws on errors and returns the dataset. */
export async function uploadOk(t: Caller, filename: string, content: Buffer | string, options: UploadOptions = {}) {
  const r = await uploadWith(t, filename, content, options);
  if (r.errors) throw new Error(JSON.stringify(r.errors));
  return r.data!.uploadDataset as { id: string; rowCount: number; columns: ({ name: string } & Record<string, any>)[] };
}
