/** A query's state in a component: loading, its data or its error, and a reload. */
import { useCallback, useEffect, useState } from 'preact/hooks';
import { ApiError, gql, type TypedDocument, type VariablesArg } from './api';

export interface QueryState<T> {
  data?: T;
  error?: ApiError;
  loading: boolean;
  reload: () => void;
}

/** Runs `document` (generated/graphql.ts) with `variables` now and whenever the variables (as JSON) change. */
export function useQuery<T, V>(document: TypedDocument<T, V>, ...[variables]: VariablesArg<NoInfer<V>>): QueryState<T> {
  const key = JSON.stringify(variables ?? {});
  const [state, setState] = useState<{ data?: T; error?: ApiError; loading: boolean }>({ loading: true });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    gql(document, ...([JSON.parse(key)] as VariablesArg<V>))
      .then((data) => live && setState({ data, loading: false }))
      .catch((error: unknown) => live && setState({ error: error instanceof ApiError ? error : new ApiError([{ message: String(error) }]), loading: false }));
    return () => {
      live = false;
    };
  }, [document, key, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { ...state, reload };
}
