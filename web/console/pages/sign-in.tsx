/** Sign in with an API key: checked with `viewer`, then kept in sessionStorage (session.ts). */
import { useState } from 'preact/hooks';
import { ApiError, closeSocket, gql } from '../api';
import { signIn, signOut } from '../session';
import { ErrorBox } from '../ui';

/** The signed-in tenant (from `viewer`). */
export interface Viewer {
  tenantName: string;
  scopes: string[];
}

/** The sign-in form; calls `onSignedIn` once the server accepted the key. */
export function SignIn({ onSignedIn }: { onSignedIn: (viewer: Viewer) => void }) {
  const [key, setKey] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  async function submit(e: Event) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    signIn(key.trim());
    closeSocket();
    try {
      const { viewer } = await gql<{ viewer: Viewer }>('query ConsoleViewer { viewer { tenantName scopes } }');
      onSignedIn(viewer);
    } catch (err) {
      signOut();
      setError(err as ApiError);
    } finally {
      setBusy(false);
    }
  }
  return (
    <main id="main" class="narrow">
      <h1>Sign in</h1>
      <p>Paste an API key of your tenant. It stays in this browser tab only (session storage) and is sent in the Authorization header.</p>
      <form onSubmit={submit}>
        <label for="api-key">API key</label>
        <input id="api-key" type="password" autoComplete="off" required value={key} onInput={(e) => setKey(e.currentTarget.value)} />
        <button type="submit" disabled={busy}>
          Sign in
        </button>
      </form>
      <ErrorBox error={error} />
    </main>
  );
}
