/**
 * A small client for this API over HTTP (fetch) and websocket (graphql-ws): used by the demo,
 * the benchmarks and the tests, and a template for users' own scripts.
 */
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

export interface GqlResult<T = Record<string, any>> {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string; [k: string]: unknown } }[];
}

export interface Caller {
  url: string;
  token?: string;
  headers?: Record<string, string>;
}

export async function gql<T = Record<string, any>>(caller: Caller, query: string, variables?: Record<string, unknown>): Promise<GqlResult<T>> {
  const res = await fetch(caller.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(caller.token ? { authorization: `Bearer ${caller.token}` } : {}),
      ...caller.headers,
    },
    body: JSON.stringify({ query, variables }),
  });
  return (await res.json()) as GqlResult<T>;
}

/** Like gql, but throws on errors and returns data. */
export async function gqlOk<T = Record<string, any>>(caller: Caller, query: string, variables?: Record<string, unknown>): Promise<T> {
  const result = await gql<T>(caller, query, variables);
  if (result.errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(result.errors)}`);
  return result.data as T;
}

/** The first error's extensions.code. */
export const codeOf = (r: GqlResult) => r.errors?.[0]?.extensions?.code;

/** uploadDataset's options (see its description in the schema). */
export interface UploadFileOptions {
  hasHeader?: boolean;
  columnNames?: string[];
  encoding?: 'UTF_8' | 'ISO_8859_1';
  quoting?: boolean;
}

const UPLOAD_OPTIONS: [keyof UploadFileOptions, string][] = [
  ['hasHeader', 'Boolean'],
  ['columnNames', '[String!]'],
  ['encoding', 'TextEncoding'],
  ['quoting', 'Boolean'],
];

/** Uploads a file through the GraphQL multipart request spec (as Apollo Client's upload link does), with uploadDataset's options. */
export async function uploadFile(caller: Caller, name: string, filename: string, content: Buffer | string, options: UploadFileOptions = {}): Promise<GqlResult> {
  const form = new FormData();
  const given = UPLOAD_OPTIONS.filter(([key]) => options[key] !== undefined);
  const declared = given.map(([key, type]) => `, $${key}: ${type}`).join('');
  const passed = given.map(([key]) => `, ${key}: $${key}`).join('');
  form.append(
    'operations',
    JSON.stringify({
      query: `mutation($name: String!, $file: Upload!${declared}) { uploadDataset(name: $name, file: $file${passed}) { id name filename rowCount sizeBytes hasHeader delimiter encoding columns { name type min max mean std missing distinct } } }`,
      variables: { name, file: null, ...options },
    }),
  );
  form.append('map', JSON.stringify({ 0: ['variables.file'] }));
  form.append('0', new Blob([typeof content === 'string' ? content : new Uint8Array(content)]), filename);
  const res = await fetch(caller.url, {
    method: 'POST',
    // Apollo's CSRF prevention lets multipart requests through only with a preflight-forcing header.
    headers: { authorization: `Bearer ${caller.token}`, 'apollo-require-preflight': 'true' },
    body: form,
  });
  return (await res.json()) as GqlResult;
}

export function wsClient(wsUrl: string, token?: string): Client {
  return createClient({
    url: wsUrl,
    webSocketImpl: WebSocket,
    connectionParams: token ? { Authorization: `Bearer ${token}` } : {},
    retryAttempts: 0,
    lazy: true,
  });
}

/** Collects every result of a subscription until the server completes it (or it errors). */
export function collect<T = Record<string, any>>(
  client: Client,
  query: string,
  variables: Record<string, unknown>,
): {
  done: Promise<GqlResult<T>[]>;
  events: GqlResult<T>[];
} {
  const events: GqlResult<T>[] = [];
  const done = new Promise<GqlResult<T>[]>((resolve, reject) => {
    client.subscribe<T>(
      { query, variables },
      {
        next: (value) => void events.push(value as GqlResult<T>),
        error: (err) => (Array.isArray(err) ? resolve([...events, { errors: err as GqlResult['errors'] }]) : reject(err)),
        complete: () => resolve(events),
      },
    );
  });
  return { done, events };
}
