/**
 * Issue 10, items 3-4: a date PostgreSQL cannot store, a number that is not finite, or an id
 * holding a NUL character is BAD_USER_INPUT naming the argument (or variable) and the value, on
 * every field that takes one, literal or variable alike, over HTTP and the websocket, before any
 * statement; never an internal error. The next valid request still works.
 */
import { readFileSync } from 'node:fs';
import { buildSchema, getNamedType, isInputObjectType, isInterfaceType, isObjectType } from 'graphql';
import type { App } from '../../src/app';
import { collect, codeOf, gql, gqlOk, wsClient, type GqlResult } from '../../src/client/graphql-client';
import { startTestApp } from '../support/app';
import { createTenant, type TenantBundle } from '../support/factories';

let app: App;
let t: TenantBundle;

beforeAll(async () => {
  app = await startTestApp();
  t = await createTenant(app);
});
afterAll(() => app.stop());

afterEach(async () => {
  const r = await gqlOk(t, '{ datasetsConnection(createdAfter: "0001-01-01T00:00:00Z", createdBefore: "9999-12-31T23:59:59.999Z") { totalCount } }');
  expect(r.datasetsConnection.totalCount).toBe(0);
});

/** A POST with a raw JSON body (JSON's 1e400 reads as Infinity, which JSON.stringify cannot write). */
async function raw(query: string, variables: string): Promise<GqlResult> {
  const body = `{"query":${JSON.stringify(query)},"variables":${variables}}`;
  const res = await fetch(t.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${t.token}` }, body });
  return (await res.json()) as GqlResult;
}

const RANGE = 'is outside the dates this server can store: 0001-01-01T00:00:00Z to 9999-12-31T23:59:59.999Z';

describe('dates outside what PostgreSQL stores', () => {
  const CONNECTIONS = ['apiKeysConnection', 'auditLogConnection', 'batchPredictionsConnection', 'datasetsConnection', 'modelsConnection', 'trainingRunsConnection'];
  /** Connections whose range has other names or that take other arguments: [field, its other arguments, the range's two arguments]. */
  const OTHER_RANGES: [string, string, string, string][] = [
    ['archivedDatasetsConnection', '', 'archivedAfter', 'archivedBefore'],
    ['tenantApiKeysConnection', 'tenantId: "00000000-0000-0000-0000-000000000000", ', 'createdAfter', 'createdBefore'],
  ];
  const RANGES = [...CONNECTIONS.map((c): [string, string, string, string] => [c, '', 'createdAfter', 'createdBefore']), ...OTHER_RANGES];

  it.each(RANGES)('%s refuses year 0000 and year 10000 (by offset), literal and variable', async (field, args, after, before) => {
    const literal = await gql(t, `{ ${field}(${args}${after}: "0000-01-01T00:00:00Z") { totalCount } }`);
    expect(codeOf(literal)).toBe('BAD_USER_INPUT');
    expect(literal.errors![0].message).toBe(`${after} '0000-01-01T00:00:00Z' ${RANGE}`);
    expect(literal.errors).toHaveLength(1); // not again by graphql-js' own rule, without the argument's name
    const variable = await gql(t, `query($d: DateTimeISO) { ${field}(${args}${before}: $d) { totalCount } }`, { d: '9999-12-31T23:59:59-01:00' });
    expect(codeOf(variable)).toBe('BAD_USER_INPUT');
    expect(variable.errors![0].message).toBe(`d '9999-12-31T23:59:59-01:00' ${RANGE}`);
    expect(variable.errors![0].extensions?.field).toBe('d');
  });

  it('createApiKey refuses an expiry in year 0000, literal and variable (input.expiresAt)', async () => {
    const literal = await gql(t, 'mutation { createApiKey(input: {name: "k", scopes: [PREDICT], expiresAt: "0000-06-01T00:00:00Z"}) { apiKey { id } } }');
    expect(codeOf(literal)).toBe('BAD_USER_INPUT');
    expect(literal.errors![0].message).toBe(`input.expiresAt '0000-06-01T00:00:00Z' ${RANGE}`);
    const variable = await gql(t, 'mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { apiKey { id } } }', {
      input: { name: 'k', scopes: ['PREDICT'], expiresAt: '0000-06-01T00:00:00+00:00' },
    });
    expect(codeOf(variable)).toBe('BAD_USER_INPUT');
    expect(variable.errors![0].message).toBe(`input.expiresAt '0000-06-01T00:00:00+00:00' ${RANGE}`);
    expect(await app.db.prisma.apiKey.count({ where: { tenantId: t.tenantId, name: 'k' } })).toBe(0);
  });

  it('every DateTimeISO argument and input field of the schema is one of those tested here', () => {
    const schema = buildSchema(readFileSync('schema.graphql', 'utf8'));
    const sent: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (type.name.startsWith('__')) continue;
      if (isObjectType(type) || isInterfaceType(type)) {
        for (const f of Object.values(type.getFields())) for (const a of f.args) if (getNamedType(a.type).name === 'DateTimeISO') sent.push(`${type.name}.${f.name}(${a.name})`);
      }
      if (isInputObjectType(type)) for (const f of Object.values(type.getFields())) if (getNamedType(f.type).name === 'DateTimeISO') sent.push(`${type.name}.${f.name}`);
    }
    expect(sent.sort()).toEqual(['CreateApiKeyInput.expiresAt', ...RANGES.flatMap(([c, , after, before]) => [`Query.${c}(${after})`, `Query.${c}(${before})`])].sort());
  });
});

describe('numbers that are not finite: "<field> Infinity is not a finite number"', () => {
  const START = 'mutation($input: StartTrainingRunInput!) { startTrainingRun(input: $input) { id } }';
  const PREDICT = 'query($rows: [JSONObject!]!) { predict(model: "m", rows: $rows) { version } }';

  it.each([
    [
      'a Float variable (learningRate 1e400)',
      () => raw(START, '{"input":{"datasetId":"d","targetColumn":"y","modelName":"m","spec":{"optimizer":{"name":"ADAM","learningRate":1e400}}}}'),
      'input.spec.optimizer.learningRate Infinity',
    ],
    [
      'a Float literal',
      () => gql(t, 'mutation { startTrainingRun(input: {datasetId: "d", targetColumn: "y", modelName: "m", spec: {optimizer: {name: ADAM, learningRate: 1e400}}}) { id } }'),
      'input.spec.optimizer.learningRate Infinity',
    ],
    [
      'a negative Float variable (validationSplit)',
      () => raw(START, '{"input":{"datasetId":"d","targetColumn":"y","modelName":"m","spec":{"validationSplit":-1e400}}}'),
      'input.spec.validationSplit -Infinity',
    ],
    ['an Int literal', () => gql(t, 'mutation { deleteModelVersion(model: "m", version: 1e400) }'), 'version Infinity'],
    ['an Int variable', () => raw('mutation($v: Int!) { deleteModelVersion(model: "m", version: $v) }', '{"v":1e400}'), 'v Infinity'],
    ['a predict row (JSON variable)', () => raw(PREDICT, '{"rows":[{"a":1},{"x":1e400}]}'), 'rows[1].x Infinity'],
    ['a predict row (JSON literal)', () => gql(t, '{ predict(model: "m", rows: [{a: 1}, {x: [2, -1e400]}]) { version } }'), 'rows[1].x[1] -Infinity'],
    ['a variable default', () => gql(t, 'query($v: Float = 1e999) { serverInfo { version } }'), '$v Infinity'],
  ])('%s', async (_what, send, expected) => {
    const r = await send();
    expect(codeOf(r)).toBe('BAD_USER_INPUT');
    expect(r.errors![0].message).toBe(`${expected} is not a finite number`);
  });
});

describe('ids holding a NUL character: "<field> \'a\\u0000b\' holds a NUL character"', () => {
  const NUL = "'a\\u0000b' holds a NUL character (\\u0000), which no id holds";
  const schema = buildSchema(readFileSync('schema.graphql', 'utf8'));
  /** Every root field with an ID argument (or list of IDs), as [operation, field, argument, is list]. */
  const fields: [string, string, string, boolean][] = [];
  for (const [op, type] of [
    ['query', schema.getQueryType()],
    ['mutation', schema.getMutationType()],
  ] as const) {
    for (const f of Object.values(type!.getFields())) {
      for (const a of f.args) if (getNamedType(a.type).name === 'ID') fields.push([op, f.name, a.name, String(a.type).replace(/!/g, '').startsWith('[')]);
    }
  }

  it('the schema has such arguments to try (generated from schema.graphql)', () => {
    expect(fields.length).toBeGreaterThan(20);
  });

  it.each(fields)('%s %s(%s: ...) refuses it as a literal, naming the argument, before any resolver runs', async (op, field, arg, list) => {
    const value = list ? '["ok", "a\\u0000b"]' : '"a\\u0000b"';
    const r = await gql(t, `${op} { ${field}(${arg}: ${value}) { __typename } }`);
    const ours = r.errors!.filter((e) => e.message.includes('NUL'));
    const path = `${arg}${list ? '[1]' : ''}`;
    expect(ours).toEqual([expect.objectContaining({ message: `${path} ${NUL}`, extensions: { code: 'BAD_USER_INPUT', field: path } })]);
    expect(r.errors!.map((e) => e.extensions?.code)).not.toContain('INTERNAL_SERVER_ERROR');
  });

  it('a variable, also inside an input object, over HTTP and the websocket, names its path', async () => {
    const query = 'mutation($input: StartTrainingRunInput!) { startTrainingRun(input: $input) { id } }';
    const variables = { input: { datasetId: 'a\u0000b', targetColumn: 'y', modelName: 'm', spec: {} } };
    const expected = { message: `input.datasetId ${NUL}`, extensions: { field: 'input.datasetId', code: 'BAD_USER_INPUT' } };
    expect((await gql(t, query, variables)).errors).toEqual([expect.objectContaining(expected)]);
    const client = wsClient(t.wsUrl, t.token);
    try {
      const [answer] = await collect(client, query, variables).done;
      expect(answer.errors).toEqual([expect.objectContaining(expected)]);
    } finally {
      await client.dispose();
    }
    expect(await app.db.prisma.trainingRun.count({ where: { tenantId: t.tenantId } })).toBe(0);
  });
});
