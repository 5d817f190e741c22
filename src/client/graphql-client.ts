/**
 * A small client for this API over HTTP (fetch) and websocket (graphql-ws): used by the demo,
 * the benchmarks and the tests, and a template for users' own scripts.
 *
 * Give it a generated typed document (`src/client/generated/graphql.ts`, from the `.graphql`
 * operation files by `npm run codegen`) and the variables and the answer are typed from the
 * schema; a plain query string (tests, benchmarks) answers `Untyped` (`Record<string, any>`).
 */
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { UploadDatasetDocument, type UploadDatasetMutation } from './generated/graphql';

/** A generated document: the operation's text (a `String` object: its toString) typed with its result R and variables V. */
export type TypedDocument<R, V> = DocumentTypeDecoration<R, V> & { toString(): string };

/** The variables argument of a typed document: optional when the operation has no required variable. */
export type VariablesArg<V> = Record<string, never> extends V ? [variables?: V] : [variables: V];

/**
 * The answer of a plain query string (tests, benchmarks): untyped on purpose, so a test can read any
 * field it asked for. Typed documents answer their generated result type instead.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Untyped = Record<string, any>;

export interface GqlResult<T = Untyped> {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string; [k: string]: unknown } }[];
}

export interface Caller {
  url: string;
  token?: string;
  headers?: Record<string, string>;
}

/** Runs a query or mutation over HTTP and returns the whole answer (data and errors). */
export async function gql<T = Untyped>(caller: Caller, query: string, variables?: Record<string, unknown>): Promise<GqlResult<T>>;
export async function gql<R, V>(caller: Caller, document: TypedDocument<R, V>, ...variables: VariablesArg<NoInfer<V>>): Promise<GqlResult<R>>;
export async function gql(caller: Caller, query: string | { toString(): string }, variables?: unknown): Promise<GqlResult> {
  const res = await fetch(caller.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(caller.token ? { authorization: `Bearer ${caller.token}` } : {}),
      ...caller.headers,
    },
    body: JSON.stringify({ query: String(query), variables }),
  });
  return (await res.json()) as GqlResult;
}

/** Like gql, but throws on errors and returns data. */
export async function gqlOk<T = Untyped>(caller: Caller, query: string, variables?: Record<string, unknown>): Promise<T>;
export async function gqlOk<R, V>(caller: Caller, document: TypedDocument<R, V>, ...variables: VariablesArg<NoInfer<V>>): Promise<R>;
export async function gqlOk(caller: Caller, query: string | { toString(): string }, variables?: Record<string, unknown>): Promise<unknown> {
  const result = await gql(caller, String(query), variables);
  if (result.errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(result.errors)}`);
  return result.data;
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

/** A file part of a multipart request: its name and bytes. */
export interface FilePart {
  filename: string;
  content: Buffer | string;
}

/**
 * Runs a mutation with files through the GraphQL multipart request spec (as Apollo Client's upload
 * link does): each key of `files` names an `Upload` variable, which `variables` gives as null.
 */
export async function gqlUpload<R, V>(
  caller: Caller,
  document: TypedDocument<R, V>,
  variables: NoInfer<V>,
  files: Partial<Record<keyof V & string, FilePart>>,
): Promise<GqlResult<R>> {
  const form = new FormData();
  const parts = Object.entries(files) as [string, FilePart][];
  form.append('operations', JSON.stringify({ query: String(document), variables }));
  form.append('map', JSON.stringify(Object.fromEntries(parts.map(([name], i) => [i, [`variables.${name}`]]))));
  parts.forEach(([, part], i) => form.append(String(i), new Blob([typeof part.content === 'string' ? part.content : new Uint8Array(part.content)]), part.filename));
  const res = await fetch(caller.url, {
    method: 'POST',
    // Apollo's CSRF prevention lets multipart requests through only with a preflight-forcing header.
    headers: { authorization: `Bearer ${caller.token}`, 'apollo-require-preflight': 'true' },
    body: form,
  });
  return (await res.json()) as GqlResult<R>;
}

/** Uploads a CSV file as a dataset (uploadDataset, src/client/upload-dataset.graphql) with uploadDataset's options. */
export async function uploadFile(
  caller: Caller,
  name: string,
  filename: string,
  content: Buffer | string,
  options: UploadFileOptions = {},
): Promise<GqlResult<UploadDatasetMutation>> {
  return gqlUpload(caller, UploadDatasetDocument, { name, file: null, ...options }, { file: { filename, content } });
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

/** A subscription being collected: every result so far, and all of them once it ends. */
export interface Collected<T> {
  done: Promise<GqlResult<T>[]>;
  events: GqlResult<T>[];
}

/** Collects every result of a subscription until the server completes it (or it errors). */
export function collect<T = Untyped>(client: Client, query: string, variables: Record<string, unknown>): Collected<T>;
export function collect<R, V>(client: Client, document: TypedDocument<R, V>, ...variables: VariablesArg<NoInfer<V>>): Collected<R>;
export function collect<T>(client: Client, query: string | { toString(): string }, variables?: Record<string, unknown>): Collected<T> {
  const events: GqlResult<T>[] = [];
  const done = new Promise<GqlResult<T>[]>((resolve, reject) => {
    client.subscribe<T>(
      { query: String(query), variables },
      {
        next: (value) => void events.push(value as GqlResult<T>),
        error: (err) => (Array.isArray(err) ? resolve([...events, { errors: err as GqlResult['errors'] }]) : reject(err)),
        complete: () => resolve(events),
      },
    );
  });
  return { done, events };
}
