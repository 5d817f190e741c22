/**
 * One tenant in the operator's console (admin secret): its API keys, newest first, 50 at a time
 * (create with chosen scopes, the key shown once; revoke after confirming; an expired key shows as
 * expired) and its limits (`setTenantLimits`: a blank field is the global
 * default).
 */
import { useEffect, useState } from 'preact/hooks';
import { gql } from '../api';
import {
  ConsoleCreateTenantKeyDocument,
  ConsoleRevokeTenantKeyDocument,
  ConsoleSetTenantLimitsDocument,
  ConsoleTenantDocument,
  ConsoleTenantKeysDocument,
  type ConsoleLimitsFragment,
  type ConsoleTenantKeysQuery,
  type CreateApiKeyInput,
  type TenantLimitsInput,
} from '../generated/graphql';
import { ConfirmButton } from '../confirm-dialog';
import { href } from '../router';
import { ErrorBox, Head, Loaded, More, num } from '../ui';
import { useAction } from '../use-action';
import { usePages } from '../use-pages';
import { useQuery } from '../use-query';
import { ScrollBox } from '../scroll-box';
import { ShownOnce } from './tenants';

type Scope = CreateApiKeyInput['scopes'][number];
type TenantKey = ConsoleTenantKeysQuery['tenantApiKeysConnection']['edges'][number]['node'];
const SCOPES: Scope[] = ['DATASETS_READ', 'DATASETS_WRITE', 'TRAINING_READ', 'TRAINING_RUN', 'MODELS_READ', 'MODELS_WRITE', 'PREDICT', 'ADMIN'] as Scope[];

/** The limits the form edits, with their labels. */
const LIMITS: [keyof TenantLimitsInput, string][] = [
  ['maxConcurrentRuns', 'Queued or running runs'],
  ['maxRunningRuns', 'Running runs'],
  ['maxConcurrentBatches', 'Batch predictions at once'],
  ['maxDatasetBytes', 'Stored bytes'],
  ['predictionsPerMinute', 'Predictions per minute'],
  ['trainingMaxParameters', 'Parameters per model'],
  ['trainingMaxActivations', 'Activations per example'],
  ['trainingMaxMemoryBytes', 'Training memory, bytes'],
  ['trainingMaxWork', 'Training work'],
  ['trainingMaxRunSeconds', 'Seconds per run'],
  ['inferMaxOutputValues', 'Values per infer answer'],
  ['maxRequestsInFlight', 'HTTP requests in progress per server'],
];

function CreateKey({ tenantId, created }: { tenantId: string; created: () => void }) {
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<Scope[]>([]);
  const [key, setKey] = useState<{ name: string; key: string } | null>(null);
  const { busy, error, run } = useAction();
  const toggle = (s: Scope, on: boolean) => setScopes((all) => (on ? [...all, s] : all.filter((x) => x !== s)));
  const submit = (e: Event) => {
    e.preventDefault();
    return run(async () => {
      const r = (await gql(ConsoleCreateTenantKeyDocument, { tenantId, input: { name, scopes } })).createTenantApiKey;
      setKey({ name: r.apiKey.name, key: r.key });
      setName('');
      created();
    });
  };
  return (
    <form onSubmit={submit} aria-labelledby="create-key">
      <h2 id="create-key">Create an API key</h2>
      <label for="key-name">Key name</label>
      <input id="key-name" required value={name} onInput={(e) => setName(e.currentTarget.value)} />
      <fieldset>
        <legend>Scopes</legend>
        {SCOPES.map((s) => (
          <label key={s} class="check">
            <input type="checkbox" checked={scopes.includes(s)} onChange={(e) => toggle(s, e.currentTarget.checked)} /> {s.toLowerCase().replace('_', ':')}
          </label>
        ))}
      </fieldset>
      <button type="submit" disabled={busy}>
        {busy ? 'Creating…' : 'Create key'}
      </button>
      <ErrorBox error={error} />
      {key ? <ShownOnce id="new-key" label={`API key ${key.name}`} value={key.key} /> : null}
    </form>
  );
}

/** A key's state: revoked or expired (when), or active (its expiry, if any) with its Revoke button behind a confirmation. */
function KeyState({ tenantId, k, done }: { tenantId: string; k: TenantKey; done: () => void }) {
  const when = (iso: string) => new Date(iso).toLocaleString();
  if (k.revokedAt) return <>revoked {when(k.revokedAt)}</>;
  if (k.expiresAt && new Date(k.expiresAt).getTime() <= Date.now()) return <>expired {when(k.expiresAt)}</>;
  return (
    <>
      {k.expiresAt ? <span class="muted">expires {when(k.expiresAt)} </span> : null}
      <ConfirmButton
        id={`revoke-${k.id}`}
        title={`Revoke API key ${k.name}?`}
        text="Requests with it are refused (UNAUTHENTICATED) from now on and its open subscriptions end. This cannot be undone."
        verb="Revoke"
        busyVerb="Revoking…"
        act={() => gql(ConsoleRevokeTenantKeyDocument, { tenantId, id: k.id })}
        done={done}
      >
        Revoke<span class="visually-hidden"> {k.name}</span>
      </ConfirmButton>
    </>
  );
}

/** The overrides as typed: the value for a set limit, blank for a default one. */
const typed = (l: ConsoleLimitsFragment): Record<string, string> => Object.fromEntries(LIMITS.map(([k]) => [k, l.defaults.includes(k) ? '' : String(l[k])]));

function Limits({ tenantId, limits }: { tenantId: string; limits: ConsoleLimitsFragment }) {
  const [current, setCurrent] = useState(limits);
  const [values, setValues] = useState(() => typed(limits));
  useEffect(() => (setCurrent(limits), setValues(typed(limits))), [limits]);
  const { busy, error, run } = useAction();
  const [saved, setSaved] = useState(false);
  const submit = (e: Event) => {
    e.preventDefault();
    setSaved(false);
    const input = Object.fromEntries(LIMITS.map(([k]) => [k, values[k].trim() === '' ? null : Number(values[k])])) as TenantLimitsInput;
    return run(async () => {
      const next = (await gql(ConsoleSetTenantLimitsDocument, { tenantId, limits: input })).setTenantLimits;
      setCurrent(next);
      setValues(typed(next));
      setSaved(true);
    });
  };
  return (
    <form onSubmit={submit} aria-labelledby="limits-title">
      <h2 id="limits-title">Limits</h2>
      <p class="muted">A blank field uses the global default (shown as the effective value).</p>
      <ScrollBox label="Limits table">
        <table>
          <Head columns={['Limit', 'Effective', 'Override']} />
          <tbody>
            {LIMITS.map(([k, label]) => (
              <tr key={k}>
                <th scope="row">
                  <label for={`limit-${k}`}>{label}</label>
                </th>
                <td>
                  {num(current[k])}
                  {current.defaults.includes(k) ? <span class="muted"> (default)</span> : null}
                </td>
                <td>
                  <input id={`limit-${k}`} inputMode="numeric" value={values[k]} onInput={(e) => setValues({ ...values, [k]: e.currentTarget.value })} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollBox>
      <button type="submit" disabled={busy}>
        {busy ? 'Saving…' : 'Save limits'}
      </button>
      {saved ? <p role="status">Saved.</p> : null}
      <ErrorBox error={error} />
    </form>
  );
}

/** The tenant page. */
export function TenantPage({ id, name }: { id: string; name?: string }) {
  const q = useQuery(ConsoleTenantDocument, { tenantId: id });
  const keys = usePages(ConsoleTenantKeysDocument, (d) => d.tenantApiKeysConnection, { tenantId: id });
  return (
    <>
      <p>
        <a href={href('tenants')}>← Tenants</a>
      </p>
      <h1>Tenant {name ?? id}</h1>
      <div class="columns">
        <section aria-labelledby="keys-title">
          <h2 id="keys-title">API keys</h2>
          <Loaded {...keys}>
            {() => (
              <>
                <ScrollBox label="API keys table">
                  <table>
                    <Head columns={['Name', 'Prefix', 'Scopes', 'Created', 'State']} />
                    <tbody>
                      {keys.nodes.map((k) => (
                        <tr key={k.id}>
                          <td>{k.name}</td>
                          <td>
                            <code>{k.prefix}</code>
                          </td>
                          <td>{k.scopes.map((s) => s.toLowerCase().replace('_', ':')).join(', ')}</td>
                          <td>{new Date(k.createdAt).toLocaleString()}</td>
                          <td>
                            <KeyState tenantId={id} k={k} done={keys.reload} />
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </ScrollBox>
                <More shown={keys.nodes.length} {...keys} />
              </>
            )}
          </Loaded>
        </section>
        {/* Outside <Loaded>: the reload after a creation must not unmount the key shown once. */}
        <CreateKey tenantId={id} created={keys.reload} />
      </div>
      {q.data ? <Limits tenantId={id} limits={q.data.tenantLimits} /> : null}
    </>
  );
}
