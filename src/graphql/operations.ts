/**
 * Which operation of a document runs, the same on both transports (issue 10: the same request gets
 * the same code over HTTP and the websocket):
 * - {@link operationRefusal}: graphql-ws answers a document whose operation cannot be picked with its
 *   own "Unable to identify operation" (coded BAD_USER_INPUT by the formatter); Apollo answers
 *   graphql-js' messages with OPERATION_RESOLUTION_FAILURE. The websocket now answers as Apollo does.
 * - {@link httpSubscriptionRefusal}: a subscription sent over HTTP was executed as a query, whose
 *   subscription resolvers expect an event and failed (INTERNAL_SERVER_ERROR). It is refused
 *   (BAD_REQUEST, HTTP 400) and pointed at the websocket.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, getOperationAST, Kind, type DocumentNode } from 'graphql';

/**
 * @returns graphql-js' refusal (OPERATION_RESOLUTION_FAILURE) when `document` has no operation named
 *   `operationName`, or several and no name; undefined when one is picked.
 */
export function operationRefusal(document: DocumentNode, operationName: string | null | undefined): GraphQLError | undefined {
  if (getOperationAST(document, operationName)) return undefined;
  const operations = document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION).length;
  const message = operationName
    ? `Unknown operation named "${operationName.slice(0, 100)}".`
    : operations > 1
      ? 'Must provide operation name if query contains multiple operations.'
      : 'Must provide an operation.';
  return new GraphQLError(message, { extensions: { code: 'OPERATION_RESOLUTION_FAILURE' } });
}

/** Refuses subscription operations over HTTP (BAD_REQUEST, 400): they are served over the websocket. */
export function httpSubscriptionRefusal<T extends object>(): ApolloServerPlugin<T> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation }) {
          if (operation?.operation !== 'subscription') return;
          throw new GraphQLError('Subscriptions are served over the websocket (graphql-ws, subprotocol graphql-transport-ws) on /graphql, not over HTTP', {
            extensions: { code: 'BAD_REQUEST', http: { status: 400 } },
          });
        },
      };
    },
  };
}
