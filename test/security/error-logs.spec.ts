/**
 * Client errors (parse, validation, coercion, coded refusals) are logged at `info` with their code
 * and no stack, on both transports; the REST download route codes bad ids instead of a 500.
 */
import type { App } from '../../src/app';
import { codeOf, gql } from '../../src/client/graphql-client';
import { startTestAppWithLogs } from '../support/app';
import { createTenant, type TenantBundle } from '../support/factories';

let lines: Record<string, any>[] = [];
let app: App;
let t: TenantBundle;

beforeAll(async () => {
  ({ app, lines } = await startTestAppWithLogs({ WORKER_ENABLED: 'false' }));
  t = await createTenant(app, 'logs');
});
afterAll(() => app.stop());

it.each([
  ['a syntax error', '{ viewer { ', undefined, 'GRAPHQL_PARSE_FAILED'],
  ['an unknown field', '{ viewer { nope } }', undefined, 'GRAPHQL_VALIDATION_FAILED'],
  ['a bad variable', 'query($n: String!) { model(name: $n) { id } }', { n: 5 }, 'BAD_USER_INPUT'],
  [
    'a deep JSON value',
    'query($r: [JSONObject!]!) { predict(model: "m", rows: $r) { version } }',
    { r: [{ a: JSON.parse('['.repeat(40) + ']'.repeat(40)) as unknown }] },
    'BAD_USER_INPUT',
  ],
  ['an unknown model', '{ model(name: "nope") { id } }', undefined, 'NOT_FOUND'],
])('logs %s at info with its code and no stack', async (_what, query, variables, code) => {
  const before = lines.length;
  const r = await gql(t, query, variables);
  expect(codeOf(r)).toBe(code);
  const logged = lines.slice(before).filter((l) => l.msg === 'client error' || l.msg === 'unexpected error');
  expect(logged.map((l) => [l.level, l.msg, l.code, 'stack' in l || 'err' in l])).toEqual([[30, 'client error', code, false]]);
});

it.each(['%00', 'x'.repeat(5000), '..%2F..%2Fetc'])('answers the CSV download of id %s with a coded 4xx', async (id) => {
  const res = await fetch(`${t.url.replace('/graphql', '')}/batch-predictions/${id.slice(0, 5000)}.csv`, { headers: { authorization: `Bearer ${t.token}` } });
  const body = (await res.json()) as { errors: { message: string; extensions: { code: string } }[] };
  expect(res.status).toBeGreaterThanOrEqual(400);
  expect(res.status).toBeLessThan(500);
  expect(body.errors[0].extensions.code).not.toBe('INTERNAL_SERVER_ERROR');
  expect(body.errors[0].message.length).toBeLessThan(1000);
});
