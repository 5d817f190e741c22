/**
 * The web console: sign in with an API key, then datasets, training runs, models and a prediction
 * playground; or, where the server offers it, with the admin secret, then the tenants, their keys
 * and limits. All through the public GraphQL API (api.ts). Bundled by scripts/build-console.mjs and
 * served at /console by src/graphql/console.ts.
 */
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { closeSocket, gql, onUnauthenticated, type ApiError } from './api';
import './console.css';
import { ArchivedDatasets } from './pages/archived-datasets';
import { DatasetPage } from './pages/dataset';
import { Datasets } from './pages/datasets';
import { Models } from './pages/models';
import { RunPage } from './pages/run';
import { Runs } from './pages/runs';
import { ADMIN_CHECK, SignIn, VIEWER, type Viewer } from './pages/sign-in';
import { SweepPage } from './pages/sweep';
import { SweepForm } from './pages/sweep-form';
import { Sweeps } from './pages/sweeps';
import { TenantPage } from './pages/tenant';
import { Tenants } from './pages/tenants';
import { Train } from './pages/train';
import { VersionPage } from './pages/version';
import { ConsoleSignInOptionsDocument } from './generated/graphql';
import { href, useRoute } from './router';
import { adminSecret, apiKey, signOut } from './session';
import { useQuery } from './use-query';

const ADMIN_NAV: [string, string][] = [['tenants', 'Tenants']];

const NAV: [string, string][] = [
  ['datasets', 'Datasets'],
  ['train', 'Train'],
  ['runs', 'Runs'],
  ['sweeps', 'Sweeps'],
  ['models', 'Models'],
];

/** Pages reached from a section's page, shown under that section in the navigation. */
const SUB_SECTIONS: Record<string, string> = { versions: 'models', archived: 'datasets' };

function Page({ route }: { route: string[] }) {
  const [section, id] = route;
  if (section === 'datasets' && id) return <DatasetPage id={id} />;
  if (section === 'archived') return <ArchivedDatasets />;
  if (section === 'train') return <Train datasetId={id} />;
  if (section === 'runs' && id) return <RunPage id={id} />;
  if (section === 'runs') return <Runs />;
  if (section === 'sweeps' && id === 'new') return <SweepForm />;
  if (section === 'sweeps' && id) return <SweepPage id={id} />;
  if (section === 'sweeps') return <Sweeps />;
  if (section === 'models') return <Models />;
  if (section === 'versions' && id) return <VersionPage id={id} />;
  return <Datasets />;
}

/** The operator's pages (admin secret). */
function AdminPage({ route }: { route: string[] }) {
  const [section, id, name] = route;
  if (section === 'tenants' && id) return <TenantPage id={id} name={name} />;
  return <Tenants />;
}

/** Who signed in: a tenant (API key) or the operator (admin secret). */
type SignedIn = { kind: 'tenant'; viewer: Viewer } | { kind: 'admin' };

function App() {
  const route = useRoute();
  const [who, setWho] = useState<SignedIn | null>(null);
  const [checking, setChecking] = useState(!!(apiKey() || adminSecret()));
  // Why the console went back to sign-in (the key was revoked or expired while a page was open).
  const [signedOut, setSignedOut] = useState<ApiError | null>(null);
  // Whether the server serves the GraphQL explorer: the header links to it only then.
  const options = useQuery(ConsoleSignInOptionsDocument);
  useEffect(() => {
    if (!apiKey() && !adminSecret()) return;
    const check = apiKey() ? gql(VIEWER).then((d): SignedIn => ({ kind: 'tenant', viewer: d.viewer })) : gql(ADMIN_CHECK).then((): SignedIn => ({ kind: 'admin' }));
    check
      .then(setWho)
      .catch((error: ApiError) => {
        signOut();
        if (error.code === 'UNAUTHENTICATED') setSignedOut(error);
      })
      .finally(() => setChecking(false));
  }, []);
  // Signed in, any UNAUTHENTICATED answer or socket closed for the credential ends the session: the
  // sign-in page says why, and the route stays, so signing in again returns to the same page.
  useEffect(() => {
    if (!who) return;
    return onUnauthenticated((error) => {
      signOut();
      closeSocket();
      setSignedOut(error);
      setWho(null);
    });
  }, [who]);
  useEffect(() => {
    document.getElementById('main')?.focus();
  }, [route.join('/')]);
  if (checking) return <p aria-busy="true">Loading…</p>;
  if (!who) {
    const signedIn = (w: SignedIn) => (setSignedOut(null), setWho(w));
    return <SignIn signedOut={signedOut} onSignedIn={(viewer) => signedIn({ kind: 'tenant', viewer })} onAdmin={() => signedIn({ kind: 'admin' })} />;
  }
  const admin = who.kind === 'admin';
  const section = route[0] ?? (admin ? 'tenants' : 'datasets');
  return (
    <>
      <a class="skip" href="#main" onClick={(e) => (e.preventDefault(), document.getElementById('main')?.focus())}>
        Skip to content
      </a>
      <header>
        <span class="brand">MaaS console</span>
        <nav aria-label="Sections">
          {(admin ? ADMIN_NAV : NAV).map(([path, label]) => (
            <a key={path} href={href(path)} aria-current={section === path || SUB_SECTIONS[section] === path ? 'page' : undefined}>
              {label}
            </a>
          ))}
          {options.data && options.data.serverInfo.graphqlExplorer !== 'off' ? <a href="/graphql">GraphQL explorer</a> : null}
        </nav>
        <span class="who">
          {admin ? 'Operator (admin secret)' : who.viewer.tenantName}{' '}
          <button
            type="button"
            onClick={() => {
              signOut();
              closeSocket();
              setWho(null);
            }}
          >
            Sign out
          </button>
        </span>
      </header>
      <main id="main" tabIndex={-1}>
        {admin ? <AdminPage route={route} /> : <Page route={route} />}
      </main>
    </>
  );
}

const root = document.getElementById('app')!;
root.textContent = ''; // the "Loading…" placeholder of index.html
render(<App />, root);
