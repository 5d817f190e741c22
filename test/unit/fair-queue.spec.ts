/**
 * The scoring shards' per-tenant fair queue (src/ml/serving/fair-queue.ts): calls of different
 * tenants are taken round-robin (a tenant's backlog never sits ahead of another tenant's call), each
 * tenant's calls are capped (QUOTA_EXCEEDED), and dropped or closed calls fail at once without running.
 */
import { AppError } from '../../src/lib/errors';
import { FairQueue, type CallTag } from '../../src/ml/serving/fair-queue';

const tag = (tenantId: string, versionId = `${tenantId}-v`, artifact = `${tenantId}-sha`): CallTag => ({ tenantId, versionId, artifact });

/** A call that runs until released, recording the order calls start in. */
function gate(started: string[], name: string) {
  let release!: (v: string) => void;
  const done = new Promise<string>((r) => (release = r));
  return { run: () => (started.push(name), done), release: () => release(name) };
}

const settled = <T>(p: Promise<T>) =>
  p.then(
    (v) => ({ ok: v }),
    (e: unknown) => ({ err: e }),
  );

it('takes calls round-robin across tenants: B’s call goes before A’s backlog, and A’s again before its next', async () => {
  const q = new FairQueue('lane', 1, 100);
  const started: string[] = [];
  const calls = ['a1', 'a2', 'a3', 'a4'].map((n) => gate(started, n));
  const b1 = gate(started, 'b1');
  const c1 = gate(started, 'c1');
  const out = calls.map((c) => q.submit(tag('A'), c.run));
  const outB = q.submit(tag('B'), b1.run);
  const outC = q.submit(tag('C'), c1.run);
  expect(started).toEqual(['a1']);
  expect(q.stats()).toEqual({ running: 1, waiting: 5, tenants: 3 });
  for (const g of [calls[0], b1, c1, calls[1], calls[2], calls[3]]) {
    g!.release();
    await new Promise((r) => setImmediate(r));
  }
  expect(await Promise.all([...out, outB, outC])).toEqual(['a1', 'a2', 'a3', 'a4', 'b1', 'c1']);
  expect(started).toEqual(['a1', 'b1', 'c1', 'a2', 'a3', 'a4']);
});

it('refuses a tenant’s call past its cap with QUOTA_EXCEEDED at once, and other tenants are not capped by it', async () => {
  const q = new FairQueue('scoring thread 0 (ONNX host)', 1, 2);
  const started: string[] = [];
  const a = [gate(started, 'a1'), gate(started, 'a2')];
  const held = a.map((g) => q.submit(tag('A'), g.run));
  const refused = await settled(q.submit(tag('A'), async () => 'never'));
  expect((refused as { err: AppError }).err).toBeInstanceOf(AppError);
  expect((refused as { err: AppError }).err).toMatchObject({
    code: 'QUOTA_EXCEEDED',
    message: 'Too many scoring calls of this tenant are waiting on scoring thread 0 (ONNX host): 2, the most is SCORING_MAX_QUEUED_PER_TENANT=2; retry in a second',
    details: { limit: 2, retryAfterSeconds: 1 },
  });
  const b = q.submit(tag('B'), async () => (started.push('b1'), 'b1'));
  a[0]!.release();
  expect(await b).toBe('b1');
  expect(started).toEqual(['a1', 'b1', 'a2']); // B's call before A's second
  a[1]!.release();
  expect(await Promise.all(held)).toEqual(['a1', 'a2']);
  expect(await q.submit(tag('A'), async () => 'again')).toBe('again'); // released: A may call again
});

it('drops the waiting calls of a version or file at once (they never run), keeping the running one and others', async () => {
  const q = new FairQueue('lane', 1, 100);
  const started: string[] = [];
  const first = gate(started, 'bad1');
  const running = q.submit(tag('A', 'bad'), first.run);
  const waiting = [q.submit(tag('A', 'bad'), async () => 'bad2'), q.submit(tag('A', 'copy', 'A-sha'), async () => 'copy'), q.submit(tag('A', 'good', 'other'), async () => 'good')];
  const other = q.submit(tag('B', 'b', 'A-sha'), async () => 'b'); // same bytes, another tenant: not dropped
  const dropped = q.drop(
    (t) => t.versionId === 'bad' || (t.tenantId === 'A' && t.artifact === 'A-sha'),
    (t) => new Error(`dropped ${t.versionId}`),
  );
  expect(dropped).toBe(2);
  expect(await settled(waiting[0]!)).toEqual({ err: new Error('dropped bad') });
  expect(await settled(waiting[1]!)).toEqual({ err: new Error('dropped copy') });
  first.release();
  expect(await Promise.all([running, waiting[2], other])).toEqual(['bad1', 'good', 'b']);
  expect(started).toEqual(['bad1']);
});

it('close() fails every waiting call and every later one with its error; the running call finishes', async () => {
  const q = new FairQueue('lane', 1, 100);
  const started: string[] = [];
  const first = gate(started, 'a1');
  const running = q.submit(tag('A'), first.run);
  const waiting = [q.submit(tag('A'), async () => 'a2'), q.submit(tag('B'), async () => 'b1')];
  const stopping = () => new AppError('MODEL_NOT_READY', 'The server is shutting down', { reason: 'SHUTTING_DOWN' });
  q.close(stopping);
  for (const w of waiting) expect(await settled(w)).toEqual({ err: stopping() });
  expect(await settled(q.submit(tag('C'), async () => 'c'))).toEqual({ err: stopping() });
  first.release();
  expect(await running).toBe('a1');
  expect(q.stats()).toEqual({ running: 0, waiting: 0, tenants: 0 });
});
