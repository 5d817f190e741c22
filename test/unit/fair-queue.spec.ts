/**
 * The scoring shards' per-tenant fair queue (src/ml/serving/fair-queue.ts): calls of different
 * tenants are taken by start-time fair queueing over the lane's time (round robin for calls of equal
 * length; a tenant's backlog never sits ahead of another tenant's call), each
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

it('shares the lane by time, not by calls: after a tenant’s long call, another tenant’s short calls all go before its next one', async () => {
  let clock = 0;
  const q = new FairQueue('scoring thread 0 (ONNX host)', 1, 100, () => clock);
  const started: string[] = [];
  const a = ['a1', 'a2', 'a3'].map((n) => gate(started, n));
  const b = ['b1', 'b2', 'b3', 'b4'].map((n) => gate(started, n));
  const outA = a.map((g) => q.submit(tag('A'), g.run));
  // A's first call takes 9 s (an ONNX model just under ONNX_INFER_TIMEOUT_MS); B's calls come meanwhile.
  const outB = b.map((g) => q.submit(tag('B'), g.run));
  const step = async (g: { release(): void }, ms: number) => {
    clock += ms;
    g.release();
    await new Promise((r) => setImmediate(r));
  };
  await step(a[0]!, 9_000); // a1 ends: B's first call is next (round robin would say so too)
  await step(b[0]!, 5); // b1 ends: A has used 9 s, B 5 ms: B again, not A (round robin would take a2)
  await step(b[1]!, 5);
  await step(b[2]!, 5);
  await step(b[3]!, 5);
  await step(a[1]!, 9_000);
  await step(a[2]!, 9_000);
  expect(await Promise.all([...outA, ...outB])).toEqual(['a1', 'a2', 'a3', 'b1', 'b2', 'b3', 'b4']);
  expect(started).toEqual(['a1', 'b1', 'b2', 'b3', 'b4', 'a2', 'a3']);
});

it('with calls of equal length it is round robin, and a tenant that held nothing starts level with the rest', async () => {
  let clock = 0;
  const q = new FairQueue('lane', 1, 100, () => clock);
  const started: string[] = [];
  const a = ['a1', 'a2', 'a3'].map((n) => gate(started, n));
  const b = ['b1', 'b2'].map((n) => gate(started, n));
  const outA = a.map((g) => q.submit(tag('A'), g.run));
  const outB = b.map((g) => q.submit(tag('B'), g.run));
  for (const g of [a[0], b[0], a[1], b[1], a[2]]) {
    clock += 10;
    g!.release();
    await new Promise((r) => setImmediate(r));
  }
  await Promise.all([...outA, ...outB]);
  expect(started).toEqual(['a1', 'b1', 'a2', 'b2', 'a3']);
  // A and B hold nothing now: their history is gone, and C, D start level (served in arrival order).
  const c = gate(started, 'c1');
  const d = gate(started, 'd1');
  const outs = [q.submit(tag('C'), c.run), q.submit(tag('D'), d.run)];
  c.release();
  await new Promise((r) => setImmediate(r));
  d.release();
  await Promise.all(outs);
  expect(started.slice(-2)).toEqual(['c1', 'd1']);
});

it('numbers the slots of a lane of several, and a tenant holds at most runningPerTenant of them: another tenant’s call runs beside its long one', async () => {
  const q = new FairQueue('scoring thread 0 (ONNX host)', 2, 100, undefined, 1);
  const started: string[] = [];
  const slots: Record<string, number> = {};
  const call = (name: string) => {
    const g = gate(started, name);
    return { ...g, run: (slot: number) => ((slots[name] = slot), g.run()) };
  };
  const a = ['a1', 'a2', 'a3'].map(call);
  const outA = a.map((g) => q.submit(tag('A'), g.run));
  expect(started).toEqual(['a1']); // one slot stays free of A
  expect(q.stats()).toEqual({ running: 1, waiting: 2, tenants: 1 });
  const b1 = call('b1');
  const outB = q.submit(tag('B'), b1.run);
  expect(started).toEqual(['a1', 'b1']); // at once, beside A's call: no wait for it
  expect(slots).toEqual({ a1: 0, b1: 1 });
  b1.release();
  expect(await outB).toBe('b1');
  expect(started).toEqual(['a1', 'b1']); // A's next waits for A's own call, not for the free slot
  a[0]!.release();
  await new Promise((r) => setImmediate(r));
  expect(started).toEqual(['a1', 'b1', 'a2']);
  expect(slots.a2).toBe(0); // the lowest free slot
  a[1]!.release();
  a[2]!.release();
  expect(await Promise.all(outA)).toEqual(['a1', 'a2', 'a3']);
  expect(q.stats()).toEqual({ running: 0, waiting: 0, tenants: 0 });
});

it('lets one tenant use every slot when runningPerTenant is the slots (the default)', async () => {
  const q = new FairQueue('lane', 2, 100);
  const started: string[] = [];
  const a = ['a1', 'a2', 'a3'].map((n) => gate(started, n));
  const out = a.map((g) => q.submit(tag('A'), g.run));
  expect(started).toEqual(['a1', 'a2']);
  for (const g of a) g.release();
  expect(await Promise.all(out)).toEqual(['a1', 'a2', 'a3']);
});
