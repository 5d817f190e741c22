/** Sign in with an API key: checked with `viewer`, then kept in sessionStorage (session.ts). */
import { useState } from 'preact/hooks';
import { closeSocket, gql } from '../api';
import { ConsoleViewerDocument, type ConsoleViewerQuery } from '../generated/graphql';
import { signIn, signOut } from '../session';
import { ErrorBox } from '../ui';
import { useAction } from '../use-action';

/** Who the key belongs to (sign-in.graphql). */
export const VIEWER = ConsoleViewerDocument;

/** The signed-in tenant (from `viewer`). */
export type Viewer = ConsoleViewerQuery['viewer'];

/** The sign-in form; calls `onSignedIn` once the server accepted the key. */
export function SignIn({ onSignedIn }: { onSignedIn: (viewer: Viewer) => void }) {
  const [key, setKey] = useState('');
  const { busy, error, run } = useAction();
  const submit = (e: Event) => {
    e.preventDefault();
    signIn(key.trim());
    closeSocket();
    return run(async () => {
      try {
        onSignedIn((await gql(VIEWER)).viewer);
      } catch (err) {
        signOut();
        throw err;
      }
    });
  };
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
