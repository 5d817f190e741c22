/**
 * Client errors (parse, validation, coercion, coded refusals) are logged at `info` with their code
 * and no stack, on both transports; the REST download route codes bad ids instead of a 500.
 */
import { Writable } from 'node:stream';
import pino from 'pino';
import { startApp, type App } from '../../src/app';
import { codeOf, gql } from '../../src/client/graphql-client';
import { loadConfig } from '../../src/config';
import { migrate } from '../../src/lib/migrate';
import { truncateAll, workerDatabaseUrl } from '../support/database';
import { createTenant, type TenantBundle } from '../support/factories';
import { ADMIN_SECRET, JWT_SECRET } from '../support/secrets';

const lines: Record<string, any>[] = [];
let app: App;
let t: TenantBundle;

beforeAll(async () => {
  const url = workerDatabaseUrl();
  await migrate(url);
  await truncateAll(url);
  const config = loadConfig({ DATABASE_URL: url, PORT: '0', HOST: '127.0.0.1', ADMIN_SECRET, JWT_SECRET, NODE_ENV: 'test', WORKER_ENABLED: 'false' });
  const sink = new Writable({
    write(chunk, _enc, done) {
      for (const l of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(l) as Record<string, any>);
      done();
    },
  });
  app = await startApp(config, pino({ level: 'info' }, sink));
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
