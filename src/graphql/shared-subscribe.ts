/**
 * Subscriptions executed once per event and audience instead of once per subscriber (issue 15:
 * 1,000 websockets on one run's progress). graphql-js' `subscribe` executes the selection set for
 * every subscriber on every event; but the pub/sub hands every subscriber of a topic the same
 * event object (src/lib/pubsub.ts), and subscribers that sent the same operation with the same
 * variables as the same credential would get the same result. So each event's result is computed
 * once per (operation text, operation name, variables, actor: kind, id, tenant, scopes) and shared.
 *
 * Only what the result depends on is shared: the actor is part of the key (field resolvers check
 * scopes and tenant, e.g. `TrainingProgress.modelVersion`), and a subscriber without an actor, or
 * an event that is not an object (never shared), is executed for itself as before. Results are held
 * in a WeakMap on the event, so they go when the event does; nobody changes a result after
 * execution (graphql-ws serialises it; error results are copied by `onNext` before formatting).
 */
import { createSourceEventStream, execute, type ExecutionArgs, type ExecutionResult } from 'graphql';
import type { Context } from './context';

type Result = ExecutionResult | Promise<ExecutionResult>;

/** Who may see what: the parts of the actor a field resolver may look at. */
function audienceOf(context: unknown): string | undefined {
  const actor = (context as Partial<Context> | undefined)?.actor;
  return actor ? JSON.stringify([actor.kind, actor.id, actor.tenantId, [...actor.scopes].sort()]) : undefined;
}

/** Maps each event of `source` through `fn`; returning or throwing is passed on to `source`. */
function mapEvents(source: AsyncIterator<unknown>, fn: (event: unknown) => Result): AsyncIterableIterator<ExecutionResult, void> {
  const done = { value: undefined, done: true } as const;
  const generator: AsyncIterableIterator<ExecutionResult, void> = {
    async next() {
      const r = await source.next();
      return r.done ? done : { value: await fn(r.value), done: false };
    },
    async return() {
      await source.return?.();
      return done;
    },
    async throw(err: unknown) {
      if (source.throw) await source.throw(err);
      throw err;
    },
    [Symbol.asyncIterator]() {
      return generator;
    },
  };
  return generator;
}

/**
 * graphql-ws' `subscribe` (same results as graphql-js' own, see the module comment).
 * @returns the stream of results, or the errors of setting it up (as graphql-js).
 */
export function sharedSubscribe(): (args: ExecutionArgs) => Promise<AsyncIterableIterator<ExecutionResult, void> | ExecutionResult> {
  const results = new WeakMap<object, Map<string, Result>>();
  return async (args) => {
    const stream = await createSourceEventStream(args);
    if (!(Symbol.asyncIterator in stream)) return stream as ExecutionResult;
    const events = (stream as AsyncIterable<unknown>)[Symbol.asyncIterator]();
    const audience = audienceOf(args.contextValue);
    const text = args.document.loc?.source.body; // the operation as sent (absent if parsed without locations: not shared)
    const run = (event: unknown) => execute({ ...args, rootValue: event });
    if (!audience || text === undefined) return mapEvents(events, run);
    const key = JSON.stringify([text, args.operationName ?? null, args.variableValues ?? null, audience]);
    return mapEvents(events, (event) => {
      if (typeof event !== 'object' || event === null) return run(event);
      let byKey = results.get(event);
      if (!byKey) results.set(event, (byKey = new Map()));
      let result = byKey.get(key);
      if (!result) byKey.set(key, (result = run(event)));
      return result;
    });
  };
}
