/** A query's state in a component: loading, its data or its error, and a reload. */
import { useCallback, useEffect, useState } from 'preact/hooks';
import { ApiError, gql } from './api';

export interface QueryState<T> {
  data?: T;
  error?: ApiError;
  loading: boolean;
  reload: () => void;
}

/** Runs `query` with `variables` now and whenever the variables (as JSON) change. */
export function useQuery<T>(query: string, variables: Record<string, unknown> = {}): QueryState<T> {
  const key = JSON.stringify(variables);
  const [state, setState] = useState<{ data?: T; error?: ApiError; loading: boolean }>({ loading: true });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    gql<T>(query, JSON.parse(key))
      .then((data) => live && setState({ data, loading: false }))
      .catch((error: unknown) => live && setState({ error: error instanceof ApiError ? error : new ApiError([{ message: String(error) }]), loading: false }));
    return () => {
      live = false;
    };
  }, [query, key, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { ...state, reload };
}
