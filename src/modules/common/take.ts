/** The `take` argument of the list queries (datasets, trainingRuns, auditLog). */
import { createParameterDecorator, Int } from 'type-graphql';

/**
 * Declares `take: Int = defaultValue` on a list query and hands the resolver the value clamped to
 * [1, max], so a caller cannot ask for an empty or an unbounded page.
 * @param defaultValue rows returned when `take` is left out.
 * @param max the most rows one call returns; larger values are read as `max`.
 */
export function Take(defaultValue: number, max: number) {
  return createParameterDecorator(({ args }) => Math.min(Math.max(Number(args.take), 1), max), {
    arg: { name: 'take', typeFunc: () => Int, options: { defaultValue, description: `How many, at most (1 to ${max}; larger values read as ${max}).` } },
  });
}
