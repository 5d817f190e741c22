/**
 * Malformed automatic-persisted-query extensions over GET, POST and the websocket (issue #10; more
 * POST cases in hostile-input.spec.ts): every one gets a coded answer below 500, never
 * INTERNAL_SERVER_ERROR, and the websocket answers a payload with the code and message HTTP does,
 * as it does for a query that is empty, blank, missing or not a string.
 */
import crypto from 'node:crypto';
import WebSocket from 'ws';
import type { App } from '../../src/app';
import { codeOf, type GqlResult } from '../../src/client/graphql-client';
import { startTestApp } from '../support/app';
import { createTenant, type TenantBundle } from '../support/factories';

let app: App;
let t: TenantBundle;
const QUERY = '{ viewer { tenantName } }';
const sha = (s: string) => crypto.createHash('sha256').update(s).digest('hex');

beforeAll(async () => {
  app = await startTestApp({ WORKER_ENABLED: 'false' });
  t = await createTenant(app, 'apq');
});
afterAll(() => app.stop());

const get = async (params: Record<string, string>) => {
  const res = await fetch(`${t.url}?${new URLSearchParams(params)}`, { headers: { authorization: `Bearer ${t.token}`, 'apollo-require-preflight': '1' } });
  const text = await res.text();
  let body: GqlResult;
  try {
    body = JSON.parse(text) as GqlResult;
  } catch {
    throw new Error(`status ${res.status}: not JSON: ${text.slice(0, 200)}`);
  }
  return { status: res.status, body };
};

describe('over GET', () => {
  const cases: [string, string, number, string][] = [
    ['malformed JSON', '{"persistedQuery":', 400, 'BAD_REQUEST'],
    ['a JSON string', '"x"', 400, 'BAD_REQUEST'],
    ['persistedQuery a number', '{"persistedQuery":1}', 400, 'BAD_REQUEST'],
    ['version 2', `{"persistedQuery":{"version":2,"sha256Hash":"${sha(QUERY)}"}}`, 400, 'BAD_REQUEST'],
    ['version a string', `{"persistedQuery":{"version":"1","sha256Hash":"${sha(QUERY)}"}}`, 400, 'BAD_REQUEST'],
    ['a hash of the wrong length, with the query', '{"persistedQuery":{"version":1,"sha256Hash":"abc"}}', 400, 'BAD_REQUEST'],
  ];
  it.each(cases)('%s: a coded 4xx', async (_what, extensions, status, code) => {
    const r = await get({ query: QUERY, extensions });
    expect([r.status, codeOf(r.body)]).toEqual([status, code]);
    expect(r.body.errors?.[0]?.message).toBeTruthy();
  });

  it.each([
    ['a hash of the wrong length', '{"persistedQuery":{"version":1,"sha256Hash":"abc"}}'],
    ['a hash that is a number', '{"persistedQuery":{"version":1,"sha256Hash":7}}'],
    ['an unknown well-formed hash', `{"persistedQuery":{"version":1,"sha256Hash":"${sha('nothing')}"}}`],
    ['no version', `{"persistedQuery":{"sha256Hash":"${sha('nothing')}"}}`],
  ])('%s without a query: a coded answer below 500', async (_what, extensions) => {
    const r = await get({ extensions });
    expect(r.status).toBeLessThan(500);
    expect(codeOf(r.body)).toBeDefined();
    expect(codeOf(r.body)).not.toBe('INTERNAL_SERVER_ERROR');
  });

  it('registers a persisted query with its right hash and runs it by hash afterwards', async () => {
    const extensions = JSON.stringify({ persistedQuery: { version: 1, sha256Hash: sha(QUERY) } });
    expect((await get({ query: QUERY, extensions })).body.data?.viewer.tenantName).toBe(t.name);
    expect((await get({ extensions })).body.data?.viewer.tenantName).toBe(t.name);
  });
});

describe('over the websocket', () => {
  /** Sends raw graphql-ws messages; returns what the server sent back for id 1, and the close code if it closed. */
  async function raw(payload: unknown, { escapeType = false } = {}): Promise<{ messages: any[]; closed?: number }> {
    const socket = new WebSocket(t.wsUrl, 'graphql-transport-ws');
    const messages: any[] = [];
    const subscribe = JSON.stringify({ id: '1', type: 'subscribe', payload });
    return new Promise((resolve) => {
      socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: { Authorization: `Bearer ${t.token}` } })));
      socket.on('message', (data) => {
        const m = JSON.parse(String(data));
        // `"subscrib\u0065"`: the same message to JSON.parse and graphql-ws, not to a text search.
        if (m.type === 'connection_ack') socket.send(escapeType ? subscribe.replace('"subscribe"', '"subscrib\\u0065"') : subscribe);
        else if (m.id === '1') {
          messages.push(m);
          if (m.type === 'complete' || m.type === 'error') {
            socket.close();
            resolve({ messages });
          }
        }
      });
      socket.on('close', (code) => resolve({ messages, closed: code }));
    });
  }

  const post = async (body: Record<string, unknown>) => {
    const res = await fetch(t.url, { method: 'POST', headers: { authorization: `Bearer ${t.token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: res.status, body: (await res.json()) as GqlResult };
  };

  // The same payload over HTTP POST and over the websocket: the same code and the same message
  // (src/graphql/persisted-query.ts mirrors Apollo's checks for the websocket, which has no store).
  it.each([
    ['a hash that does not match the query', { version: 1, sha256Hash: sha('{ __typename }') }, 'BAD_REQUEST', 'provided sha does not match query'],
    ['the right hash in upper case', { version: 1, sha256Hash: sha(QUERY).toUpperCase() }, 'BAD_REQUEST', 'provided sha does not match query'],
    ['a hash that is a number', { version: 1, sha256Hash: 7 }, 'BAD_REQUEST', 'provided sha does not match query'],
    ['no hash', { version: 1 }, 'BAD_REQUEST', 'provided sha does not match query'],
    ['version 2', { version: 2, sha256Hash: sha(QUERY) }, 'BAD_REQUEST', 'Unsupported persisted query version'],
    ['version "1"', { version: '1', sha256Hash: sha(QUERY) }, 'BAD_REQUEST', 'Unsupported persisted query version'],
    ['no version', { sha256Hash: sha(QUERY) }, 'BAD_REQUEST', 'Unsupported persisted query version'],
    ['persistedQuery a number', 1, 'BAD_REQUEST', 'Unsupported persisted query version'],
    ['persistedQuery a string', 'x', 'BAD_REQUEST', 'Unsupported persisted query version'],
    ['persistedQuery an array', [], 'BAD_REQUEST', 'Unsupported persisted query version'],
    ['persistedQuery {}', {}, 'BAD_REQUEST', 'Unsupported persisted query version'],
  ])('beside a query, %s: HTTP 400 and the websocket answer the same code and message', async (_what, persistedQuery, code, message) => {
    const payload = { query: QUERY, extensions: { persistedQuery } };
    const [http, socket] = [await post(payload), await raw(payload)];
    expect([http.status, codeOf(http.body), http.body.errors?.[0]?.message]).toEqual([400, code, message]);
    expect(socket.closed).toBeUndefined();
    expect(socket.messages).toEqual([{ id: '1', type: 'error', payload: [{ message, extensions: { code } }] }]);
  });

  it.each([
    ['version 2', { version: 2, sha256Hash: sha(QUERY) }, 'BAD_REQUEST', 'Unsupported persisted query version'],
    ['a well-formed hash', { version: 1, sha256Hash: sha('{ nothing }') }, 'PERSISTED_QUERY_NOT_FOUND', 'PersistedQueryNotFound'],
  ])('without a query, %s: the same code and message on both transports', async (_what, persistedQuery, code, message) => {
    const payload = { extensions: { persistedQuery } };
    const [http, socket] = [await post(payload), await raw(payload)];
    expect([codeOf(http.body), http.body.errors?.[0]?.message]).toEqual([code, message]);
    expect(socket.messages).toEqual([{ id: '1', type: 'error', payload: [{ message, extensions: { code } }] }]);
  });

  it.each([
    ['the right hash', { persistedQuery: { version: 1, sha256Hash: sha(QUERY) } }],
    ['persistedQuery null', { persistedQuery: null }],
    ['persistedQuery false', { persistedQuery: false }],
    ['other extensions only', { tracing: true }],
  ])('beside a query, %s: the query runs on both transports', async (_what, extensions) => {
    const payload = { query: QUERY, extensions };
    const [http, socket] = [await post(payload), await raw(payload)];
    expect(http.body.data?.viewer.tenantName).toBe(t.name);
    expect(socket.messages[0]).toMatchObject({ type: 'next', payload: { data: { viewer: { tenantName: t.name } } } });
  });

  // Review F4: an empty query was BAD_REQUEST over HTTP and GRAPHQL_PARSE_FAILED over the websocket.
  // Every error the websocket answers is the one HTTP answers, locations included.
  const NO_QUERY = 'GraphQL operations must contain a non-empty `query` or a `persistedQuery` extension.';
  const EOF = 'Syntax Error: Unexpected <EOF>.';
  it.each([
    ['an empty query', { query: '' }, 400, 'BAD_REQUEST', NO_QUERY],
    ['an empty query with variables', { query: '', variables: {} }, 400, 'BAD_REQUEST', NO_QUERY],
    ['an empty query with extensions but no persisted query', { query: '', extensions: { persistedQuery: null } }, 400, 'BAD_REQUEST', NO_QUERY],
    ['a query of spaces', { query: '   ' }, 400, 'GRAPHQL_PARSE_FAILED', EOF],
    ['a query of a newline and a tab', { query: '\n\t ' }, 400, 'GRAPHQL_PARSE_FAILED', EOF],
    ['a query that is only a comment', { query: '# nothing' }, 400, 'GRAPHQL_PARSE_FAILED', EOF],
    ['no query, only variables', { variables: {} }, 400, 'BAD_REQUEST', NO_QUERY],
    ['no query, only an operation name', { operationName: 'A' }, 400, 'BAD_REQUEST', NO_QUERY],
    ['no query, extensions without a persisted query', { extensions: { tracing: true } }, 400, 'BAD_REQUEST', NO_QUERY],
    ['a null query', { query: null }, 400, 'BAD_REQUEST', NO_QUERY],
    ['a query false', { query: false }, 400, 'BAD_REQUEST', NO_QUERY],
    ['a query 0', { query: 0 }, 400, 'BAD_REQUEST', NO_QUERY],
    ['a query 7', { query: 7 }, 400, 'BAD_REQUEST', 'GraphQL queries must be strings.'],
    ['a query true', { query: true }, 400, 'BAD_REQUEST', 'GraphQL queries must be strings.'],
    ['a query that is a list of strings', { query: [QUERY] }, 400, 'BAD_REQUEST', 'GraphQL queries must be strings.'],
    ['a query {}', { query: {} }, 400, 'BAD_REQUEST', 'GraphQL queries must be strings.'],
    [
      'a query that is a parsed document',
      { query: { kind: 'Document', definitions: [] } },
      400,
      'BAD_REQUEST',
      expect.stringMatching(/^GraphQL queries must be strings\. It looks like you're sending the internal graphql-js representation/),
    ],
    [
      'a query 0 beside a persisted-query hash',
      { query: 0, extensions: { persistedQuery: { version: 1, sha256Hash: sha('{ nothing }') } } },
      200,
      'PERSISTED_QUERY_NOT_FOUND',
      'PersistedQueryNotFound',
    ],
    ['an empty query beside its own hash', { query: '', extensions: { persistedQuery: { version: 1, sha256Hash: sha('') } } }, 400, 'GRAPHQL_PARSE_FAILED', EOF],
    [
      'an empty query beside another hash',
      { query: '', extensions: { persistedQuery: { version: 1, sha256Hash: sha(QUERY) } } },
      400,
      'BAD_REQUEST',
      'provided sha does not match query',
    ],
  ])('%s: HTTP and the websocket answer the same error, the socket stays open', async (_what, payload, status, code, message) => {
    const [http, socket] = [await post(payload), await raw(payload)];
    expect([http.status, codeOf(http.body), http.body.errors?.[0]?.message]).toEqual([status, code, message]);
    expect(socket.closed).toBeUndefined();
    expect(socket.messages).toEqual([{ id: '1', type: 'error', payload: http.body.errors }]);
  });

  it('an empty payload: BAD_REQUEST on both transports (HTTP names its empty POST body)', async () => {
    const [http, socket] = [await post({}), await raw({})];
    expect([http.status, codeOf(http.body), http.body.errors?.[0]?.message]).toEqual([400, 'BAD_REQUEST', 'POST body missing, invalid Content-Type, or JSON object has no keys.']);
    expect(socket.messages).toEqual([{ id: '1', type: 'error', payload: [{ message: NO_QUERY, extensions: { code: 'BAD_REQUEST' } }] }]);
  });

  // The guard found a subscribe by its spelling in the text: an escaped type reached graphql-ws
  // unjudged (an empty query was parsed, a query 7 closed the socket with 4400).
  it.each([
    ['an empty query', { query: '' }, NO_QUERY],
    ['a query 7', { query: 7 }, 'GraphQL queries must be strings.'],
  ])('a subscribe whose type is escaped, with %s: the same error on its id, the socket stays open', async (_what, payload, message) => {
    const socket = await raw(payload, { escapeType: true });
    expect(socket.closed).toBeUndefined();
    expect(socket.messages).toEqual([{ id: '1', type: 'error', payload: [{ message, extensions: { code: 'BAD_REQUEST' } }] }]);
  });

  it('a subscribe whose type is escaped, with a good query, runs', async () => {
    const socket = await raw({ query: QUERY }, { escapeType: true });
    expect(socket.messages[0]).toMatchObject({ type: 'next', payload: { data: { viewer: { tenantName: t.name } } } });
  });

  // graphql-ws would close the whole socket (4400); the API answers an error on that id instead
  // (src/graphql/ws-message-guard.ts), coded as HTTP codes the same body.
  it.each([
    ['a hash without a query', { extensions: { persistedQuery: { version: 1, sha256Hash: sha(QUERY) } } }, 'PERSISTED_QUERY_NOT_FOUND'],
    ['a query that is not a string', { query: 7 }, 'BAD_REQUEST'],
    ['extensions that are not an object', { query: QUERY, extensions: 'x' }, 'BAD_REQUEST'],
  ])('%s: a coded error on its id, the socket stays open, no INTERNAL_SERVER_ERROR', async (_what, payload, code) => {
    const r = await raw(payload);
    expect(r.closed).toBeUndefined(); // answered on its id before any close
    expect(r.messages).toEqual([{ id: '1', type: 'error', payload: [{ message: expect.any(String), extensions: { code } }] }]);
  });
});
