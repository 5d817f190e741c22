/**
 * The web console: sign in with an API key, then datasets, training runs, models and a prediction
 * playground, all through the public GraphQL API (api.ts). Bundled by scripts/build-console.mjs and
 * served at /console by src/graphql/console.ts.
 */
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { closeSocket, gql } from './api';
import './console.css';
import { DatasetPage } from './pages/dataset';
import { Datasets } from './pages/datasets';
import { Models } from './pages/models';
import { RunPage } from './pages/run';
import { Runs } from './pages/runs';
import { SignIn, VIEWER, type Viewer } from './pages/sign-in';
import { Train } from './pages/train';
import { VersionPage } from './pages/version';
import { href, useRoute } from './router';
import { apiKey, signOut } from './session';

const NAV: [string, string][] = [
  ['datasets', 'Datasets'],
  ['train', 'Train'],
  ['runs', 'Runs'],
  ['models', 'Models'],
];

function Page({ route }: { route: string[] }) {
  const [section, id] = route;
  if (section === 'datasets' && id) return <DatasetPage id={id} />;
  if (section === 'train') return <Train datasetId={id} />;
  if (section === 'runs' && id) return <RunPage id={id} />;
  if (section === 'runs') return <Runs />;
  if (section === 'models') return <Models />;
  if (section === 'versions' && id) return <VersionPage id={id} />;
  return <Datasets />;
}

function App() {
  const route = useRoute();
  const [viewer, setViewer] = useState<Viewer | null>(null);
  const [checking, setChecking] = useState(!!apiKey());
  useEffect(() => {
    if (!apiKey()) return;
    gql(VIEWER)
      .then((d) => setViewer(d.viewer))
      .catch(() => signOut())
      .finally(() => setChecking(false));
  }, []);
  useEffect(() => {
    document.getElementById('main')?.focus();
  }, [route.join('/')]);
  if (checking) return <p aria-busy="true">Loading…</p>;
  if (!viewer) return <SignIn onSignedIn={setViewer} />;
  const section = route[0] ?? 'datasets';
  return (
    <>
      <a class="skip" href="#main" onClick={(e) => (e.preventDefault(), document.getElementById('main')?.focus())}>
        Skip to content
      </a>
      <header>
        <span class="brand">MaaS console</span>
        <nav aria-label="Sections">
          {NAV.map(([path, label]) => (
            <a key={path} href={href(path)} aria-current={section === path || (section === 'versions' && path === 'models') ? 'page' : undefined}>
              {label}
            </a>
          ))}
          <a href="/graphql">GraphQL explorer</a>
        </nav>
        <span class="who">
          {viewer.tenantName}{' '}
          <button
            type="button"
            onClick={() => {
              signOut();
              closeSocket();
              setViewer(null);
            }}
          >
            Sign out
          </button>
        </span>
      </header>
      <main id="main" tabIndex={-1}>
        <Page route={route} />
      </main>
    </>
  );
}

const root = document.getElementById('app')!;
root.textContent = ''; // the "Loading…" placeholder of index.html
render(<App />, root);
