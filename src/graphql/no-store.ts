/**
 * `Cache-Control: no-store` on every GraphQL answer over HTTP: a tenant's data, never kept by a
 * browser or a shared cache. Apollo's cache-control plugin used to set it (it is disabled in
 * server.ts: its per-field hook cost the event loop a fifth of a bulk predict's time).
 */
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';

/** The plugin: sets the header as the answer is sent, whatever the answer. */
export function noStorePlugin<T extends BaseContext>(): ApolloServerPlugin<T> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response }) {
          response.http.headers.set('cache-control', 'no-store');
        },
      };
    },
  };
}
