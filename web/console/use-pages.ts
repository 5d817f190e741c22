/**
 * A list page's Relay connection, a page at a time: the first page from the query, each next one
 * (`after` the last cursor) appended by `more()` (the "More" button, see ui.tsx `More`).
 */
import { useEffect, useState } from 'preact/hooks';
import { gql, type ApiError, type TypedDocument } from './api';
import { useAction } from './use-action';
import { useQuery, type QueryState } from './use-query';

/** What the list pages ask of a connection. */
export interface Connection<N> {
  totalCount: number;
  edges: { node: N }[];
  pageInfo: { hasNextPage: boolean; endCursor?: string | null };
}

export interface Pages<R, N> extends QueryState<R> {
  /** The nodes of the pages loaded so far, in order. */
  nodes: N[];
  totalCount: number;
  hasMore: boolean;
  /** Loads the next page. */
  more: () => Promise<void>;
  moreBusy: boolean;
  moreError: ApiError | null;
}

/**
 * Runs `document` (its first page), and its next pages on `more()`; `pick` finds the connection in
 * an answer; `variables` are the document's other variables (e.g. the tenant's id), sent with each page.
 */
export function usePages<R, V extends { after?: string | null }, N>(
  document: TypedDocument<R, V>,
  pick: (data: R) => Connection<N>,
  variables: Omit<V, 'after'> = {} as Omit<V, 'after'>,
): Pages<R, N> {
  const q = (useQuery as (d: TypedDocument<R, V>, v: V) => QueryState<R>)(document, variables as V);
  const [next, setNext] = useState<{ nodes: N[]; pageInfo: Connection<N>['pageInfo'] } | null>(null);
  useEffect(() => setNext(null), [q.data]); // a reload starts again from the first page
  const action = useAction();
  const first = q.data ? pick(q.data) : undefined;
  const pageInfo = next?.pageInfo ?? first?.pageInfo;
  const more = () =>
    action.run(async () => {
      const page = pick(await gql(document, ...([{ ...variables, after: pageInfo?.endCursor }] as unknown as [V])));
      setNext((n) => ({ nodes: [...(n?.nodes ?? []), ...page.edges.map((e) => e.node)], pageInfo: page.pageInfo }));
    });
  return {
    ...q,
    nodes: [...(first?.edges.map((e) => e.node) ?? []), ...(next?.nodes ?? [])],
    totalCount: first?.totalCount ?? 0,
    hasMore: !!pageInfo?.hasNextPage,
    more,
    moreBusy: action.busy,
    moreError: action.error,
  };
}
