/** A fault in Apollo's own request handling is logged at error with its stack (review 3: 500s with nothing in the log). */
import type { GraphQLRequestContext } from '@apollo/server';
import type { Logger } from '../../src/lib/logger';
import { observabilityPlugin } from '../../src/graphql/observability';

it('logs an unexpected error of request processing with the request and tenant', async () => {
  const lines: { obj: Record<string, unknown>; msg: string }[] = [];
  const log = { error: (obj: Record<string, unknown>, msg: string) => lines.push({ obj, msg }) } as unknown as Logger;
  const plugin = observabilityPlugin({} as never, log);
  const error = new RangeError('Invalid string length');
  await plugin.unexpectedErrorProcessingRequest!({
    requestContext: { contextValue: { requestId: 'r1', actor: { tenantId: 't1' } } } as unknown as GraphQLRequestContext<never>,
    error,
  });
  expect(lines).toEqual([
    { msg: 'unexpected error in GraphQL request handling', obj: { requestId: 'r1', tenantId: 't1', err: { message: 'Invalid string length', stack: error.stack } } },
  ]);
});
