/**
 * The per-tenant back-off after ONNX host faults on its own (src/ml/serving/tenant-fault-backoff.ts),
 * on a clock of the test's: the sliding window, the refusal's code and message, the doubling up to
 * a day and its reset, and its settings in src/config.ts. The served behaviour (real host crashes)
 * is test/onnx-tenant-backoff.spec.ts.
 */
import { loadConfig } from '../../src/config';
import { AppError } from '../../src/lib/errors';
import type { Logger } from '../../src/lib/logger';
import { MAX_BACKOFF_SECONDS, TenantFaultBackoff } from '../../src/ml/serving/tenant-fault-backoff';

const S = 1000;
let now = 0;
let warned: unknown[][] = [];
const log = { warn: (...args: unknown[]) => warned.push(args) } as unknown as Logger;
const backoff = (maxFaults = 3, windowSeconds = 600, backoffSeconds = 600) => new TenantFaultBackoff({ maxFaults, windowSeconds, backoffSeconds }, { now: () => now, log });

beforeEach(() => {
  now = 1_000_000 * S;
  warned = [];
});

it('counts faults in a sliding window: the third within 600 s starts a 600 s back-off of that tenant only', () => {
  const b = backoff();
  const t0 = now;
  expect(b.record('a')).toBeUndefined();
  now = t0 + 300 * S;
  expect(b.record('a')).toBeUndefined();
  now = t0 + 600 * S; // the first fault has left the window
  expect(b.record('a')).toBeUndefined();
  expect(b.record('b')).toBeUndefined(); // another tenant's fault counts for it alone
  expect(b.check('a')).toBeUndefined();
  now = t0 + 650 * S;
  expect(warned).toEqual([]);
  expect(b.record('a')).toEqual({ tenantId: 'a', faults: 3, seconds: 600, repeat: 1 });
  expect(warned).toEqual([[{ tenantId: 'a', faults: 3, seconds: 600, repeat: 1, windowSeconds: 600 }, expect.stringContaining('SERVING_TENANT_MAX_FAULTS')]]);
  expect(b.check('b')).toBeUndefined();
  expect(b.size()).toBe(1);

  now += 0.5 * S;
  const err = b.check('a')!;
  expect(err).toBeInstanceOf(AppError);
  expect(err.code).toBe('QUOTA_EXCEEDED');
  expect(err.details).toEqual({ reason: 'HOST_FAULT_BACKOFF', retryAfterSeconds: 600, limit: 3, windowSeconds: 600 });
  expect(err.message).toBe(
    "This tenant's ONNX models crashed the shared ONNX runtime 3 times within 600 seconds (SERVING_TENANT_MAX_FAULTS=3, SERVING_TENANT_FAULT_WINDOW_SECONDS=600): its ONNX scoring calls are refused for 600 more seconds",
  );
  now += 100 * S;
  expect(b.check('a')!.details).toMatchObject({ retryAfterSeconds: 500 });
  expect(() => b.refuse('a')).toThrow(/refused for 500 more seconds$/);
  expect(b.record('a')).toBeUndefined(); // a fault while backed off (a call already in the host) starts nothing

  now += 500 * S; // the back-off is over
  expect(b.check('a')).toBeUndefined();
  expect(() => b.refuse('a')).not.toThrow();
  expect(b.size()).toBe(0);
});

it('each back-off takes new faults and lasts twice the last, up to a day; a day after the last one ends it starts at 600 s again', () => {
  const b = backoff(2, 600, 600);
  const lengths: number[] = [];
  for (let i = 0; i < 10; i++) {
    expect(b.record('a')).toBeUndefined(); // the window was emptied when the last back-off started
    const started = b.record('a')!;
    expect(started.repeat).toBe(i + 1);
    lengths.push(started.seconds);
    expect(b.check('a')!.details).toMatchObject({ retryAfterSeconds: started.seconds });
    now += started.seconds * S;
    expect(b.check('a')).toBeUndefined();
  }
  expect(lengths).toEqual([600, 1200, 2400, 4800, 9600, 19_200, 38_400, 76_800, MAX_BACKOFF_SECONDS, MAX_BACKOFF_SECONDS]);

  now += (MAX_BACKOFF_SECONDS - 1) * S; // not quite a day since the last one ended: still repeating
  b.record('a');
  expect(b.record('a')).toMatchObject({ seconds: MAX_BACKOFF_SECONDS, repeat: 11 });
  now += 2 * MAX_BACKOFF_SECONDS * S; // a day after it ended
  b.record('a');
  expect(b.record('a')).toEqual({ tenantId: 'a', faults: 2, seconds: 600, repeat: 1 });
});

it('reads SERVING_TENANT_* from the environment (defaults 3 faults in 600 s, 600 s), naming a bad value', () => {
  const base = { DATABASE_URL: 'postgresql://x@127.0.0.1/db', NODE_ENV: 'test' };
  const c = loadConfig(base);
  expect([c.SERVING_TENANT_MAX_FAULTS, c.SERVING_TENANT_FAULT_WINDOW_SECONDS, c.SERVING_TENANT_BACKOFF_SECONDS]).toEqual([3, 600, 600]);
  const set = loadConfig({ ...base, SERVING_TENANT_MAX_FAULTS: '5', SERVING_TENANT_FAULT_WINDOW_SECONDS: '60', SERVING_TENANT_BACKOFF_SECONDS: '2' });
  expect([set.SERVING_TENANT_MAX_FAULTS, set.SERVING_TENANT_FAULT_WINDOW_SECONDS, set.SERVING_TENANT_BACKOFF_SECONDS]).toEqual([5, 60, 2]);
  expect(() => loadConfig({ ...base, SERVING_TENANT_MAX_FAULTS: '0' })).toThrow(/SERVING_TENANT_MAX_FAULTS="0"/);
  expect(() => loadConfig({ ...base, SERVING_TENANT_BACKOFF_SECONDS: '86401' })).toThrow(/SERVING_TENANT_BACKOFF_SECONDS="86401"/);
});
