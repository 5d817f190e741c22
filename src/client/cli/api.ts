/**
 * The CLI's calls to the API: GraphQL over HTTP with the key as a bearer credential, answers with
 * errors turned into CliError (the first error's `extensions.code`), and the websocket URL.
 */
import { gql, uploadFile, wsClient, type TypedDocument, type VariablesArg } from '../graphql-client';
import type { UploadDatasetMutation } from '../generated/graphql';
import type { Client } from 'graphql-ws';
import type { Credentials } from './credentials';
import { CliError } from './errors';

/** An authenticated connection to one API. */
export class Api {
  constructor(readonly creds: Credentials) {}

  private get caller() {
    return { url: this.creds.url, token: this.creds.apiKey };
  }

  /**
   * Runs a query or mutation (a generated document of `src/client/generated/graphql.ts`) and
   * returns its data, typed by the document.
   * @throws CliError with the API's code, or NETWORK_ERROR when the server cannot be reached.
   */
  async request<R, V>(document: TypedDocument<R, V>, ...variables: VariablesArg<NoInfer<V>>): Promise<R> {
    return unwrap(await this.reach(() => gql(this.caller, document, ...variables)));
  }

  /** Uploads a CSV file as a dataset and returns uploadDataset's answer. */
  async upload(name: string, filename: string, content: Buffer): Promise<UploadDatasetMutation['uploadDataset']> {
    return unwrap(await this.reach(() => uploadFile(this.caller, name, filename, content))).uploadDataset;
  }

  /** GETs a path of the same server (e.g. a batch result's downloadPath) with the key. */
  async download(pathOnServer: string): Promise<Response> {
    const res = await this.reach(() => fetch(new URL(pathOnServer, this.creds.url), { headers: { authorization: `Bearer ${this.creds.apiKey}` } }));
    if (!res.ok) {
      const body = (await res.json().catch(() => null)) as { errors?: { message: string; extensions?: { code?: string } }[] } | null;
      const first = body?.errors?.[0];
      throw new CliError(first?.extensions?.code ?? `HTTP_${res.status}`, first?.message ?? `GET ${pathOnServer} answered ${res.status}`);
    }
    return res;
  }

  /** A graphql-ws client on the same server (ws:// for http://, wss:// for https://). */
  subscriptions(): Client {
    return wsClient(this.creds.url.replace(/^http/, 'ws'), this.creds.apiKey);
  }

  private async reach<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (err) {
      const cause = err instanceof Error && err.cause instanceof Error ? `: ${err.cause.message}` : '';
      throw new CliError('NETWORK_ERROR', `Cannot reach ${this.creds.url} (${err instanceof Error ? err.message : String(err)}${cause})`);
    }
  }
}

/** The data of a GraphQL answer, or the first error as a CliError. */
export function unwrap<T>(result: { data?: T | null; errors?: { message: string; extensions?: { code?: string } }[] }): T {
  const first = result.errors?.[0];
  if (first) throw new CliError(first.extensions?.code ?? 'INTERNAL_SERVER_ERROR', first.message);
  return result.data as T;
}
