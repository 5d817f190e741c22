/**
 * Property tier (issue 10, "Proof"): for every root field of the built schema, with every argument
 * filled by hostile values generated from its type (test/support/hostile-values.ts), the answer is a
 * valid result or coded errors, never INTERNAL_SERVER_ERROR, and the next valid request still
 * works: over HTTP, and over one websocket on which a live subscription must survive every case.
 * Seeded, with a fixed number of runs, so a failure replays and the run time is bounded.
 */
import fc from 'fast-check';
import { getNamedType, isLeafType, isNonNullType, type GraphQLField, type GraphQLSchema } from 'graphql';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import type { App } from '../../src/app';
import { gql, gqlOk, type GqlResult } from '../../src/client/graphql-client';
import { createSchema } from '../../src/graphql/schema';
import { startTestApp } from '../support/app';
import { PIMA_CSV } from '../support/data';
import { createTenant, uploadCsv, type TenantBundle } from '../support/factories';
import { hostileNumberLiteral, hostileValue } from '../support/hostile-values';
import { PROGRESS, startRun } from '../support/training';

/** Fixed for CI; PROPERTY_SEED=n explores another sequence (a failure prints the seed and path to replay). */
const SEED = Number(process.env.PROPERTY_SEED ?? 20261205);
const HTTP_RUNS = 1000;
const WS_RUNS = 500;

let app: App;
let t: TenantBundle;
let schema: GraphQLSchema;
let ws: Client;
let closes = 0;
let runId: string;
const live: { events: GqlResult[]; ended?: string } = { events: [] };
let finalSeen!: () => void;
/** Resolves when the live subscription delivers its FINAL event (or ends). */
const final = new Promise<void>((resolve) => (finalSeen = resolve));

beforeAll(async () => {
  // No worker: the run stays QUEUED and its progress subscription stays open through the whole test.
  app = await startTestApp({ WORKER_ENABLED: 'false' });
  t = await createTenant(app, 'property');
  schema = await createSchema();
  const datasetId = await uploadCsv(t, PIMA_CSV, 'pima');
  runId = (await startRun(t, datasetId, 'live', { layers: [{ units: 1, activation: 'SIGMOID' }], loss: 'BINARY_CROSSENTROPY', epochs: 1 })).id;
  ws = createClient({
    url: t.wsUrl,
    webSocketImpl: WebSocket,
    connectionParams: { Authorization: `Bearer ${t.token}` },
    retryAttempts: 0,
    lazy: false,
    on: { closed: () => closes++ },
  });
  ws.subscribe(
    { query: PROGRESS, variables: { runId } },
    {
      next: (v) => {
        live.events.push(v as GqlResult);
        if ((v as GqlResult).data?.trainingProgress?.kind === 'FINAL') finalSeen();
      },
      error: (e) => {
        live.ended = `error ${JSON.stringify(e)}`;
        finalSeen();
      },
      complete: () => {
        live.ended = 'complete';
        finalSeen();
      },
    },
  );
});
afterAll(async () => {
  await ws?.dispose();
  await app?.stop();
});

interface Operation {
  query: string;
  variables: Record<string, unknown>;
}

/** One operation calling `field` with every argument as a variable of the argument's own type. */
function operation(kind: 'query' | 'mutation' | 'subscription', field: GraphQLField<unknown, unknown>): fc.Arbitrary<Operation> {
  const selection = isLeafType(getNamedType(field.type)) ? '' : ' { __typename }';
  const defs = field.args.map((a, i) => `$a${i}: ${String(a.type)}`).join(', ');
  const args = field.args.map((a, i) => `${a.name}: $a${i}`).join(', ');
  const query = `${kind}${defs ? `(${defs})` : ''} { ${field.name}${args ? `(${args})` : ''}${selection} }`;
  const values = Object.fromEntries(field.args.map((a, i) => [`a${i}`, hostileValue(a.type)]));
  return fc.record(values).map((variables) => ({ query, variables }));
}

/** The same field with its numeric arguments as literals JSON cannot carry (1e400, 400 digits, ...). */
function literalOperation(kind: 'query' | 'mutation', field: GraphQLField<unknown, unknown>): fc.Arbitrary<Operation> | undefined {
  const numeric = field.args.filter((a) => ['Int', 'Float'].includes(getNamedType(a.type).name));
  if (!numeric.length) return undefined;
  const selection = isLeafType(getNamedType(field.type)) ? '' : ' { __typename }';
  const others = field.args.filter((a) => !numeric.includes(a) && isNonNullType(a.type));
  return fc.array(hostileNumberLiteral, { minLength: numeric.length, maxLength: numeric.length }).map((literals) => {
    const args = [...numeric.map((a, i) => `${a.name}: ${literals[i]}`), ...others.map((a) => `${a.name}: "x"`)].join(', ');
    return { query: `${kind} { ${field.name}(${args})${selection} }`, variables: {} };
  });
}

function operations(transport: 'http' | 'ws'): fc.Arbitrary<Operation> {
  const roots = [
    ['query', schema.getQueryType()],
    ['mutation', schema.getMutationType()],
    ...(transport === 'ws' ? [['subscription', schema.getSubscriptionType()] as const] : []),
  ] as const;
  const all: fc.Arbitrary<Operation>[] = [];
  for (const [kind, type] of roots) {
    for (const field of Object.values(type?.getFields() ?? {})) {
      if ((field.name === 'uploadDataset' || field.name === 'uploadModelVersion') && transport === 'ws') continue; // multipart only over HTTP
      all.push(operation(kind, field));
      const literal = kind !== 'subscription' ? literalOperation(kind, field) : undefined;
      if (literal) all.push(literal);
    }
  }
  return fc.oneof(...all);
}

/** Every error is coded, and none is an internal one. */
function expectCoded(r: GqlResult, op: Operation) {
  for (const e of r.errors ?? []) {
    const code = e.extensions?.code;
    expect({ code: typeof code === 'string' ? code : 'no code', query: op.query }).not.toEqual({ code: 'INTERNAL_SERVER_ERROR', query: op.query });
    expect(typeof code).toBe('string');
  }
}

function wsRun(op: Operation): Promise<GqlResult> {
  return new Promise((resolve, reject) => {
    let result: GqlResult = {};
    const unsubscribe = ws.subscribe(op, {
      next: (v) => {
        result = v as GqlResult;
        // A subscription that answered with data is live: end it here. One that answered with errors
        // is ended by the server (unsubscribing too would release the socket's lock twice).
        if (op.query.startsWith('subscription') && !result.errors) {
          unsubscribe();
          resolve(result);
        }
      },
      error: (err) => (Array.isArray(err) ? resolve({ errors: err as GqlResult['errors'] }) : reject(err instanceof Error ? err : new Error(JSON.stringify(err)))),
      complete: () => resolve(result),
    });
  });
}

const VIEWER = '{ viewer { tenantName } }';

it(`answers ${HTTP_RUNS} hostile HTTP requests with coded errors, and serves the next one`, async () => {
  await fc.assert(
    fc.asyncProperty(operations('http'), async (op) => {
      expectCoded(await gql(t, op.query, op.variables), op);
      expect((await gqlOk(t, VIEWER)).viewer.tenantName).toBe(t.name);
    }),
    { seed: SEED, numRuns: HTTP_RUNS, endOnFailure: true },
  );
});

it(`answers ${WS_RUNS} hostile websocket operations on one socket, whose live subscription survives`, async () => {
  await fc.assert(
    fc.asyncProperty(operations('ws'), async (op) => {
      expectCoded(await wsRun(op), op);
      expect((await wsRun({ query: VIEWER, variables: {} })).data?.viewer.tenantName).toBe(t.name);
      expect([closes, live.ended]).toEqual([0, undefined]);
    }),
    { seed: SEED, numRuns: WS_RUNS, endOnFailure: true },
  );
  // The subscription is still live: cancelling the run delivers its FINAL event on it.
  await gqlOk(t, 'mutation($id: ID!) { cancelTrainingRun(id: $id) { status } }', { id: runId });
  await final;
  expect(live.events.at(-1)?.data?.trainingProgress).toMatchObject({ kind: 'FINAL', status: 'CANCELLED' });
});
