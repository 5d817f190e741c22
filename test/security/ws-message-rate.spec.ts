/**
 * A tenant's websocket messages are read at most at WS_TENANT_MESSAGES_PER_SECOND per API process
 * (issue 10, review F1: one tenant's burst of subscribes held the event loop for seconds). Tenant A
 * sends 45 queries on one socket in one write; its first WS_TENANT_MESSAGE_BURST are read at once,
 * the rest wait and are read at the rate, none refused or lost. Tenant B's query,
 * sent while A's wait, is answered before A's last. /metrics counts the messages that waited.
 * The time assertion is a lower bound the limit itself implies (A's last answer cannot come sooner).
 */
import type { App } from '../../src/app';
import { startTestApp } from '../support/app';
import { createTenant } from '../support/factories';
import { rawSocket as socketOf, until } from '../support/raw-ws';

const RATE = 20;
const BURST = 5;
const SENT = 45;
const QUERY = '{ viewer { tenantId } }';

let app: App;
beforeAll(async () => (app = await startTestApp({ WS_TENANT_MESSAGES_PER_SECOND: String(RATE), WS_TENANT_MESSAGE_BURST: String(BURST), WORKER_ENABLED: 'false' })));
afterAll(() => app.stop());

const delayedCount = async () => Number(/^maas_ws_messages_delayed_total (\S+)$/m.exec(await (await fetch(app.server.url.replace(/\/graphql$/, '/metrics'))).text())?.[1] ?? 0);

it("reads A's burst at its message rate, none refused or lost; B's query is answered meanwhile", async () => {
  const a = await createTenant(app, 'rate-a');
  const b = await createTenant(app, 'rate-b');
  const wa = await socketOf(a.wsUrl, a.apiKey);
  const wb = await socketOf(b.wsUrl, b.apiKey);
  const delayedBefore = await delayedCount();

  const ids = Array.from({ length: SENT }, (_, i) => `a${i}`);
  const started = performance.now();
  // Sent in one turn: the frames arrive together, as a client's burst does.
  for (const id of ids) wa.socket.send(JSON.stringify({ id, type: 'subscribe', payload: { query: QUERY } }));
  await until('A has its first answers', () => wa.messages.some((m) => m.type === 'complete'));
  wb.socket.send(JSON.stringify({ id: 'b0', type: 'subscribe', payload: { query: QUERY } }));

  await until('every query of A completed', () => wa.messages.filter((m) => m.type === 'complete').length === SENT);
  await until("B's query completed", () => wb.messages.some((m) => m.id === 'b0' && m.type === 'complete'));
  const elapsedS = (performance.now() - started) / 1000;

  // Every query answered with its own tenant's data, no error (answers may finish out of the order
  // read: queries run concurrently; the unit spec ws-message-rate checks the reading order).
  const answers = wa.messages.filter((m) => m.type === 'next');
  expect(answers.map((m) => m.id).sort()).toEqual([...ids].sort());
  expect(answers.every((m) => m.payload.data?.viewer.tenantId === a.tenantId && !m.payload.errors)).toBe(true);
  expect(wa.messages.filter((m) => m.type === 'error')).toEqual([]);
  // The waiting ones were read at the rate: the last cannot come before (SENT - BURST) / RATE seconds.
  expect(elapsedS).toBeGreaterThanOrEqual(((SENT - BURST) / RATE) * 0.95);
  // B did not wait behind A's queue.
  const bAnswer = wb.messages.find((m) => m.id === 'b0' && m.type === 'next')!;
  expect(bAnswer.payload.data.viewer.tenantId).toBe(b.tenantId);
  expect(bAnswer.at).toBeLessThan(answers.at(-1)!.at);
  expect((await delayedCount()) - delayedBefore).toBeGreaterThanOrEqual(SENT - BURST - 1);
  wa.socket.close();
  wb.socket.close();
}, 60_000);
