/** Small shared pieces: an error box, a loading line, number and plural formatters, a table head, a "More" button. */
import type { ComponentChildren } from 'preact';
import type { ApiError } from './api';

/** A server error with its code, announced to screen readers. */
export function ErrorBox({ error }: { error?: ApiError | null }) {
  if (!error) return null;
  return (
    <p role="alert" class="error">
      <strong>{error.code}</strong>: {error.message}
    </p>
  );
}

/** The state of a query: its error, "Loading…", or the children. */
export function Loaded({ loading, error, children }: { loading: boolean; error?: ApiError; children: () => ComponentChildren }) {
  if (error) return <ErrorBox error={error} />;
  if (loading) return <p aria-busy="true">Loading…</p>;
  return <>{children()}</>;
}

/** A number with at most `digits` significant digits ("–" for null). */
export const num = (v: number | null | undefined, digits = 4): string => (v == null ? '–' : Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(digits))));

/** `n` and the word, plural unless n is 1: `plural(1, 'epoch')` → '1 epoch', `plural(3, 'epoch')` → '3 epochs'. */
export const plural = (n: number, word: string, many = `${word}s`): string => `${n} ${n === 1 ? word : many}`;

/** A table's header row: one column header per name. */
export function Head({ columns }: { columns: string[] }) {
  return (
    <thead>
      <tr>
        {columns.map((c) => (
          <th scope="col" key={c}>
            {c}
          </th>
        ))}
      </tr>
    </thead>
  );
}

/** Under a paged list: how many are shown, a "More" button while pages remain, and its error. */
export function More({
  shown,
  totalCount,
  hasMore,
  more,
  moreBusy,
  moreError,
}: {
  shown: number;
  totalCount: number;
  hasMore: boolean;
  more: () => void;
  moreBusy: boolean;
  moreError: ApiError | null;
}) {
  return (
    <div class="more">
      <p class="muted">
        Showing {shown} of {totalCount}.
      </p>
      {hasMore ? (
        <button type="button" onClick={more} disabled={moreBusy}>
          {moreBusy ? 'Loading…' : 'More'}
        </button>
      ) : null}
      <ErrorBox error={moreError} />
    </div>
  );
}
