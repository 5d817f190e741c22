/**
 * The console's only way to the server: the public GraphQL endpoint over HTTP (fetch, JSON or the
 * multipart upload spec) and graphql-ws for subscriptions, with the API key from session.ts in the
 * Authorization header (HTTP) or the connection parameters (websocket).
 */
import { createClient, type Client } from 'graphql-ws';
import { ApiError, type ApiErrorEntry } from './api-error';
import { apiKey } from './session';

export { ApiError, type ApiErrorEntry };

/** The endpoint the server wrote into `<meta name="graphql-endpoint">`. */
const endpoint = new URL(document.querySelector<HTMLMetaElement>('meta[name="graphql-endpoint"]')?.content ?? '/graphql', location.href);

function headers(): Record<string, string> {
  const key = apiKey();
  return key ? { authorization: `Bearer ${key}` } : {};
}

async function answer<T>(res: Response): Promise<T> {
  let body: { data?: T; errors?: ApiErrorEntry[] };
  try {
    body = await res.json();
  } catch {
    throw new ApiError([{ message: `The server answered ${res.status} ${res.statusText}` }]);
  }
  if (body.errors?.length) throw new ApiError(body.errors);
  return body.data as T;
}

/**
 * Runs a query or mutation.
 * @throws ApiError with the server's errors.
 */
export async function gql<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const res = await fetch(endpoint, { method: 'POST', headers: { 'content-type': 'application/json', ...headers() }, body: JSON.stringify({ query, variables }) });
  return answer<T>(res);
}

/**
 * Runs a mutation with one file in `variables.file` (GraphQL multipart request spec).
 * @throws ApiError with the server's errors.
 */
export async function gqlUpload<T>(query: string, variables: Record<string, unknown>, file: File): Promise<T> {
  const form = new FormData();
  form.append('operations', JSON.stringify({ query, variables: { ...variables, file: null } }));
  form.append('map', JSON.stringify({ 0: ['variables.file'] }));
  form.append('0', file, file.name);
  // Apollo's CSRF prevention accepts multipart requests only with a preflight-forcing header.
  const res = await fetch(endpoint, { method: 'POST', headers: { 'apollo-require-preflight': 'true', ...headers() }, body: form });
  return answer<T>(res);
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
 * Subscribes over graphql-ws; returns the function that stops it.
 * `onError` gets an ApiError for GraphQL errors or a closed socket.
 */
export function subscribe<T>(query: string, variables: Record<string, unknown>, on: { next: (data: T) => void; error: (e: ApiError) => void; complete?: () => void }): () => void {
  return wsClient().subscribe<T>(
    { query, variables },
    {
      next: (r) => (r.errors?.length ? on.error(new ApiError(r.errors as ApiErrorEntry[])) : on.next(r.data as T)),
      error: (e) => on.error(Array.isArray(e) ? new ApiError(e as ApiErrorEntry[]) : new ApiError([{ message: e instanceof Error ? e.message : 'The websocket closed' }])),
      complete: () => on.complete?.(),
    },
  );
}
