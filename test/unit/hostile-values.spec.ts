/** Pure checks behind issue 10's hardening: production defaults, bounded messages, bounded JSON. */
import { loadConfig } from '../../src/config';
import { AppError, MAX_ERROR_MESSAGE, closest, notFound, quote } from '../../src/lib/errors';
import { requireFiniteOutputs } from '../../src/ml/predict';
import { MAX_JSON_DEPTH, checkJsonValue } from '../../src/modules/common/json.scalar';

const SECRETS = { ADMIN_SECRET: 'a'.repeat(16), JWT_SECRET: 'j'.repeat(32) };

describe('production defaults', () => {
  it('close the explorer, introspection and suggestions in production', () => {
    const c = loadConfig({ NODE_ENV: 'production', ...SECRETS });
    expect([c.GRAPHQL_EXPLORER, c.GRAPHQL_INTROSPECTION, c.GRAPHQL_FIELD_SUGGESTIONS]).toEqual(['off', false, false]);
  });
  it('open them in development', () => {
    const c = loadConfig({ NODE_ENV: 'development' });
    expect([c.GRAPHQL_EXPLORER, c.GRAPHQL_INTROSPECTION, c.GRAPHQL_FIELD_SUGGESTIONS]).toEqual(['graphiql', true, true]);
  });
  it('open each on purpose in production', () => {
    const c = loadConfig({ NODE_ENV: 'production', ...SECRETS, GRAPHQL_INTROSPECTION: 'true', GRAPHQL_FIELD_SUGGESTIONS: '1' });
    expect([c.GRAPHQL_EXPLORER, c.GRAPHQL_INTROSPECTION, c.GRAPHQL_FIELD_SUGGESTIONS]).toEqual(['off', true, true]);
    expect(loadConfig({ NODE_ENV: 'production', ...SECRETS, GRAPHQL_EXPLORER: 'graphiql' }).GRAPHQL_INTROSPECTION).toBe(true);
  });
  it('read the deprecated GRAPHQL_SANDBOX as GRAPHQL_EXPLORER=sandbox|off, GRAPHQL_EXPLORER first', () => {
    const explorer = (env: Record<string, string>) => loadConfig({ NODE_ENV: 'production', ...SECRETS, ...env }).GRAPHQL_EXPLORER;
    expect([explorer({ GRAPHQL_SANDBOX: 'yes' }), explorer({ GRAPHQL_SANDBOX: 'false' }), explorer({ GRAPHQL_SANDBOX: 'true', GRAPHQL_EXPLORER: 'graphiql' })]).toEqual([
      'sandbox',
      'off',
      'graphiql',
    ]);
    expect(loadConfig({ NODE_ENV: 'development', GRAPHQL_SANDBOX: 'false' }).GRAPHQL_EXPLORER).toBe('off');
    expect(() => loadConfig({ GRAPHQL_EXPLORER: 'graphql' })).toThrow(/GRAPHQL_EXPLORER="graphql"/);
  });
});

describe('messages', () => {
  const huge = 'n'.repeat(9 * 1024 * 1024);
  it('cut every AppError message and string detail', () => {
    const e = new AppError('BAD_USER_INPUT', `name '${huge}' is bad`, { feature: huge, row: 3 });
    expect(e.message.length).toBeLessThanOrEqual(MAX_ERROR_MESSAGE);
    expect(e.message).toMatch(/\.\.\. \(9437198 characters\)$/);
    expect((e.details!.feature as string).length).toBeLessThanOrEqual(200);
    expect(e.details!.row).toBe(3);
  });
  it('quote ids in NOT_FOUND and survive cycles and BigInts', () => {
    expect(notFound('Dataset', huge).message).toBe(`Dataset '${'n'.repeat(57)}...' not found`);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(quote(cyclic)).toBe("'[object Object]'");
    expect(quote(10n)).toBe("'10'");
  });
  it('give no "did you mean" for names too long to compare cheaply', () => {
    expect(closest('a'.repeat(201), ['a'])).toBeUndefined();
    expect(closest('Glucoze', ['Glucose', 'Age'])).toBe('Glucose');
  });
});

describe('JSON values', () => {
  const nested = (depth: number) => {
    let v: unknown = 1;
    for (let i = 0; i < depth; i++) v = [v];
    return v;
  };
  it(`accept ${MAX_JSON_DEPTH} levels and refuse one more, even 1,000,000 deep, without recursion`, () => {
    expect(() => checkJsonValue(nested(MAX_JSON_DEPTH), 'x')).not.toThrow();
    // The refusal names where: the first list past the limit, 32 levels down.
    const deepest = `x${'[0]'.repeat(MAX_JSON_DEPTH)} is nested deeper than 32 levels (limit)`;
    expect(() => checkJsonValue(nested(MAX_JSON_DEPTH + 1), 'x')).toThrow(deepest);
    expect(() => checkJsonValue(nested(1_000_000), 'x')).toThrow(deepest);
  });
  it.each([Infinity, -Infinity, NaN])('refuse %s anywhere', (n) => {
    expect(() => checkJsonValue({ a: [1, { b: n }] }, 'rows')).toThrow(`rows.a[1].b ${n} is not a finite number`);
  });
});

describe('model outputs', () => {
  it.each([NaN, Infinity, -Infinity])('refuse %s with NON_FINITE_OUTPUT naming the row', (v) => {
    const error = (() => {
      try {
        requireFiniteOutputs(Float32Array.from([0.1, 0.9, 0.2, v]), 2);
      } catch (e) {
        return e as AppError;
      }
    })();
    expect([error?.code, error?.message]).toEqual(['NON_FINITE_OUTPUT', `The model's output for rows[1] is ${v}, not a finite number; no prediction is given`]);
  });
});

it('names a bad secret in the configuration error without printing it (a near miss is usually the real one)', () => {
  let message = '';
  try {
    loadConfig({ NODE_ENV: 'production', ADMIN_SECRET: 'RealSecret12345', JWT_SECRET: 'AlsoReal' });
  } catch (err) {
    message = (err as Error).message;
  }
  expect(message).toMatch(/ADMIN_SECRET=\(hidden\)/);
  expect(message).not.toMatch(/RealSecret12345|AlsoReal/);
});
