/**
 * Sign in with an API key (checked with `viewer`) or, where the server offers it
 * (`serverInfo.consoleAdminSignIn`), with the admin secret (checked with `tenants`); either is then
 * kept in sessionStorage (session.ts), never in a URL.
 */
import { useState } from 'preact/hooks';
import { closeSocket, gql, type ApiError } from '../api';
import { ConsoleAdminCheckDocument, ConsoleSignInOptionsDocument, ConsoleViewerDocument, type ConsoleViewerQuery } from '../generated/graphql';
import { signIn, signInAdmin, signOut } from '../session';
import { ErrorBox } from '../ui';
import { useAction } from '../use-action';
import { useQuery } from '../use-query';

/** Who the key belongs to (sign-in.graphql). */
export const VIEWER = ConsoleViewerDocument;

/** Checks the admin secret kept in the session (sign-in.graphql). */
export const ADMIN_CHECK = ConsoleAdminCheckDocument;

/** The signed-in tenant (from `viewer`). */
export type Viewer = ConsoleViewerQuery['viewer'];

/** One credential's form: stores it, checks it with `check`, forgets it when refused. */
function CredentialForm({ id, label, button, remember, check }: { id: string; label: string; button: string; remember: (v: string) => void; check: () => Promise<void> }) {
  const [value, setValue] = useState('');
  const { busy, error, run } = useAction();
  const submit = (e: Event) => {
    e.preventDefault();
    remember(value.trim());
    closeSocket();
    return run(async () => {
      try {
        await check();
      } catch (err) {
        signOut();
        throw err;
      }
    });
  };
  return (
    <>
      <form onSubmit={submit}>
        <label for={id}>{label}</label>
        <input id={id} type="password" autoComplete="off" required value={value} onInput={(e) => setValue(e.currentTarget.value)} />
        <button type="submit" disabled={busy}>
          {button}
        </button>
      </form>
      <ErrorBox error={error} />
    </>
  );
}

/**
 * The sign-in page; calls `onSignedIn` once the server accepted the key, `onAdmin` once it accepted
 * the admin secret. `signedOut` is why the last session ended (UNAUTHENTICATED: revoked, expired).
 */
export function SignIn({ signedOut, onSignedIn, onAdmin }: { signedOut?: ApiError | null; onSignedIn: (viewer: Viewer) => void; onAdmin: () => void }) {
  const options = useQuery(ConsoleSignInOptionsDocument);
  return (
    <main id="main" class="narrow">
      <h1>Sign in</h1>
      {signedOut ? (
        <div role="alert" class="signed-out">
          <p class="error">
            Signed out: <strong>{signedOut.code}</strong>: {signedOut.message}
          </p>
          <p>Sign in with a key that is still valid to go back to the page you were on.</p>
        </div>
      ) : null}
      <p>Paste an API key of your tenant. It stays in this browser tab only (session storage) and is sent in the Authorization header.</p>
      <CredentialForm id="api-key" label="API key" button="Sign in" remember={signIn} check={async () => onSignedIn((await gql(VIEWER)).viewer)} />
      {options.data?.serverInfo.consoleAdminSignIn ? (
        <section aria-labelledby="admin-title">
          <h2 id="admin-title">Operator</h2>
          <p>With the server&apos;s admin secret (ADMIN_SECRET): tenants, their API keys and limits. It stays in this tab only and is sent in the X-Admin-Secret header.</p>
          <CredentialForm
            id="admin-secret"
            label="Admin secret"
            button="Sign in as admin"
            remember={signInAdmin}
            check={async () => {
              await gql(ADMIN_CHECK);
              onAdmin();
            }}
          />
        </section>
      ) : null}
    </main>
  );
}
