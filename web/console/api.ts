/**
 * The console's only way to the server: the public GraphQL endpoint over HTTP (fetch, JSON or the
 * multipart upload spec) and graphql-ws for subscriptions, with the API key from session.ts in the
 * Authorization header (HTTP) or the connection parameters (websocket), or the admin secret in the
 * X-Admin-Secret header (the operator's pages). An UNAUTHENTICATED answer, or the socket closed
 * because the key was revoked or expired, is told to `onUnauthenticated`'s listeners. Every operation is a typed
 * document of generated/graphql.ts (from the pages' `.graphql` files, `npm run codegen`): its text
 * is sent, its types give the variables and the answer.
 */
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
import { createClient, type Client } from 'graphql-ws';
import { ApiError, type ApiErrorEntry } from './api-error';
import { adminSecret, apiKey } from './session';

export { ApiError, type ApiErrorEntry };

/** A generated document: the operation's text (its toString) typed with its result R and variables V. */
export type TypedDocument<R, V> = DocumentTypeDecoration<R, V> & { toString(): string };

/** The variables argument of a document: optional when the operation has no required variable. */
export type VariablesArg<V> = Record<string, never> extends V ? [variables?: V] : [variables: V];

/** The endpoint the server wrote into `<meta name="graphql-endpoint">`. */
const endpoint = new URL(document.querySelector<HTMLMetaElement>('meta[name="graphql-endpoint"]')?.content ?? '/graphql', location.href);

/** The signed-in credential as headers: the API key (Authorization) or the admin secret (X-Admin-Secret). */
function headers(): Record<string, string> {
  const key = apiKey();
  if (key) return { authorization: `Bearer ${key}` };
  const secret = adminSecret();
  return secret ? { 'x-admin-secret': secret } : {};
}

/** Who is told when the server stops accepting the credential (main.tsx: back to sign-in). */
const unauthenticatedListeners = new Set<(error: ApiError) => void>();

/**
 * Calls `listener` with the error whenever an answer is UNAUTHENTICATED (a revoked or expired key)
 * or the websocket is closed with the server's close code for one; returns the function that stops it.
 */
export function onUnauthenticated(listener: (error: ApiError) => void): () => void {
  unauthenticatedListeners.add(listener);
  return () => unauthenticatedListeners.delete(listener);
}

/** `error`, after telling the listeners when it says the credential is no longer accepted. */
function checked(error: ApiError): ApiError {
  if (error.code === 'UNAUTHENTICATED') for (const listener of unauthenticatedListeners) listener(error);
  return error;
}

async function answer<T>(res: Response): Promise<T> {
  let body: { data?: T; errors?: ApiErrorEntry[] };
  try {
    body = await res.json();
  } catch {
    throw new ApiError([{ message: `The server answered ${res.status} ${res.statusText}` }]);
  }
  // A field below the root that the key's scopes do not cover (a run's dataset without
  // datasets:read) is null in the data, and the page shows the rest; any other error fails the call.
  const fatal = body.errors?.filter((e) => !(body.data && e.extensions?.code === 'FORBIDDEN' && (e.path?.length ?? 0) > 1));
  if (fatal?.length) throw checked(new ApiError(fatal));
  return body.data as T;
}

/**
 * Runs a query or mutation.
 * @throws ApiError with the server's errors.
 */
export async function gql<R, V>(document: TypedDocument<R, V>, ...[variables = {} as V]: VariablesArg<NoInfer<V>>): Promise<R> {
  const body = JSON.stringify({ query: String(document), variables });
  const res = await fetch(endpoint, { method: 'POST', headers: { 'content-type': 'application/json', ...headers() }, body });
  return answer<R>(res);
}

/**
 * Runs a mutation with one file in `variables.file` (GraphQL multipart request spec).
 * @throws ApiError with the server's errors.
 */
export async function gqlUpload<R, V extends { file: null }>(document: TypedDocument<R, V>, variables: Omit<NoInfer<V>, 'file'>, file: File): Promise<R> {
  const form = new FormData();
  form.append('operations', JSON.stringify({ query: String(document), variables: { ...variables, file: null } }));
  form.append('map', JSON.stringify({ 0: ['variables.file'] }));
  form.append('0', file, file.name);
  // Apollo's CSRF prevention accepts multipart requests only with a preflight-forcing header.
  const res = await fetch(endpoint, { method: 'POST', headers: { 'apollo-require-preflight': 'true', ...headers() }, body: form });
  return answer<R>(res);
}

let client: Client | undefined;

function wsClient(): Client {
  if (!client) {
    const url = new URL(endpoint);
    url.protocol = endpoint.protocol === 'https:' ? 'wss:' : 'ws:';
    client = createClient({ url: url.href, connectionParams: () => headers(), lazy: true, retryAttempts: 3 });
  }
  return client;
}

/** Closes the websocket (on sign-out, so the next key opens a new connection). */
export function closeSocket(): void {
  void client?.dispose();
  client = undefined;
}

/**
 * The close code the server closes a socket with when its credential stops being accepted: the API
 * key revoked, or its expiry (or a JWT's) reached (src/graphql/socket-registry.ts; graphql-ws'
 * 4401 Unauthorized, which its client does not retry).
 */
const CLOSE_UNAUTHORIZED = 4401;

/** A subscription's failure as an ApiError: the GraphQL errors, or the closed socket (UNAUTHENTICATED for {@link CLOSE_UNAUTHORIZED}). */
function socketError(e: unknown): ApiError {
  if (Array.isArray(e)) return new ApiError(e as ApiErrorEntry[]);
  const close = e as { code?: unknown; reason?: unknown } | null;
  if (close && typeof close.code === 'number') {
    const reason = typeof close.reason === 'string' && close.reason ? close.reason : '';
    if (close.code === CLOSE_UNAUTHORIZED)
      return new ApiError([{ message: `The server closed the live connection: ${reason || 'credential refused'}`, extensions: { code: 'UNAUTHENTICATED' } }]);
    return new ApiError([{ message: `The websocket closed (${close.code}${reason ? `: ${reason}` : ''})` }]);
  }
  return new ApiError([{ message: e instanceof Error ? e.message : 'The websocket closed' }]);
}

/**
 * Subscribes over graphql-ws; returns the function that stops it.
 * `onError` gets an ApiError for GraphQL errors or a closed socket.
 */
export function subscribe<R, V>(
  document: TypedDocument<R, V>,
  variables: NoInfer<V>,
  on: { next: (data: R) => void; error: (e: ApiError) => void; complete?: () => void },
): () => void {
  return wsClient().subscribe<R>(
    { query: String(document), variables: variables as Record<string, unknown> },
    {
      next: (r) => (r.errors?.length ? on.error(checked(new ApiError(r.errors as ApiErrorEntry[]))) : on.next(r.data as R)),
      error: (e) => on.error(checked(socketError(e))),
      complete: () => on.complete?.(),
    },
  );
}
