/** A form's submit in a component: busy while it runs, and the server's error when it fails. */
import { useState } from 'preact/hooks';
import { ApiError } from './api';

export interface Action {
  busy: boolean;
  error: ApiError | null;
  /** Runs `work`, clearing the last error first; a thrown error is kept in `error`. */
  run: (work: () => Promise<unknown>) => Promise<void>;
  /** Forgets the last error (the form's own check refused the input before anything was sent). */
  clear: () => void;
}

/** The state of one action (a form's submit). */
export function useAction(): Action {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  async function run(work: () => Promise<unknown>) {
    setBusy(true);
    setError(null);
    try {
      await work();
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError([{ message: String(err) }]));
    } finally {
      setBusy(false);
    }
  }
  return { busy, error, run, clear: () => setError(null) };
}
