/** The serving isolation settings (src/config.ts) and the fault injection's parse (src/ml/serving/fault-injection.ts). */
import { loadConfig } from '../../src/config';
import { parseFaultInjection } from '../../src/ml/serving/fault-injection';

const base = { DATABASE_URL: 'postgresql://x@127.0.0.1/db', NODE_ENV: 'test' };

it('defaults to scoring threads, one thread, 1024 MiB, 300 s of quarantine', () => {
  const c = loadConfig(base);
  expect([c.SERVING_ISOLATION, c.SERVING_THREADS, c.SERVING_THREAD_HEAP_MB, c.SERVING_QUARANTINE_SECONDS, c.SCORING_FAULT_INJECTION]).toEqual(['thread', 1, 1024, 300, undefined]);
});

it('refuses bad values, naming the variable and the value', () => {
  expect(() => loadConfig({ ...base, SERVING_ISOLATION: 'process' })).toThrow(/SERVING_ISOLATION="process"/);
  expect(() => loadConfig({ ...base, SERVING_THREADS: '0' })).toThrow(/SERVING_THREADS="0"/);
  expect(() => loadConfig({ ...base, SERVING_THREAD_HEAP_MB: '128' })).toThrow(/SERVING_THREAD_HEAP_MB="128"/);
  expect(() => loadConfig({ ...base, SERVING_QUARANTINE_SECONDS: '1.5' })).toThrow(/SERVING_QUARANTINE_SECONDS="1.5"/);
  expect(() => loadConfig({ ...base, SCORING_FAULT_INJECTION: 'abc:explode' })).toThrow(/SCORING_FAULT_INJECTION="abc:explode": expected <versionId>\[:<abort\|oom\|exit>\]/);
});

it('refuses fault injection in production', () => {
  const prod = { ...base, NODE_ENV: 'production', ADMIN_SECRET: 'a'.repeat(16), JWT_SECRET: 'j'.repeat(32) };
  expect(loadConfig(prod).SERVING_ISOLATION).toBe('thread');
  expect(() => loadConfig({ ...prod, SCORING_FAULT_INJECTION: 'abc' })).toThrow(
    'Invalid configuration: SCORING_FAULT_INJECTION makes models crash on purpose and is refused when NODE_ENV=production',
  );
});

it('parses one or several versions, abort by default', () => {
  expect(parseFaultInjection('v1')).toEqual([{ versionId: 'v1', mode: 'abort' }]);
  expect(parseFaultInjection('v1:oom,v2:exit')).toEqual([
    { versionId: 'v1', mode: 'oom' },
    { versionId: 'v2', mode: 'exit' },
  ]);
  expect(() => parseFaultInjection('v1:boom')).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT' }));
});

it('gives a worker at least two training slots, so one long run never holds all of them (review F2), and slices large scoring calls', () => {
  const c = loadConfig(base);
  expect(c.TRAINING_SLOTS).toBeGreaterThanOrEqual(2);
  expect([c.SCORING_SLICE_WORK, c.MAX_EXPLAIN_ROW_WORK, c.MAX_EXPLAIN_WORK]).toEqual([1e8, 5e8, 1e10]);
  expect(loadConfig({ ...base, TRAINING_SLOTS: '1' }).TRAINING_SLOTS).toBe(1);
});
