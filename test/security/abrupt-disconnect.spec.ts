/**
 * A client that resets its connection right after sending a request (TCP RST, as a closed browser
 * tab or a killed process does) must not take the server down. Found by stop CI (2026-12-07): a
 * websocket upgrade read after its peer had reset has no remote address (getpeername fails with
 * ENOTCONN, so `socket.remoteAddress` is undefined), and counting it under its address threw an
 * uncaught TypeError in the upgrade handler. The same held for an anonymous HTTP request with a body
 * (counted per address by the in-flight cap). Each kind is sent many times, reset at once; then the
 * server must still answer, over HTTP and websocket.
 */
import net from 'node:net';
import type { App } from '../../src/app';
import { startTestApp } from '../support/app';
import { createTenant } from '../support/factories';
import { gqlOk } from '../../src/client/graphql-client';
import { rawSocket } from '../support/raw-ws';

let app: App;
beforeAll(async () => (app = await startTestApp({ WORKER_ENABLED: 'false' })));
afterAll(() => app.stop());

const TRIES = 200;

/** Sends `request` on a connection of its own and resets it at once (RST), without reading. */
function sendAndReset(request: string): Promise<void> {
  const url = new URL(app.server.url);
  return new Promise((resolve) => {
    const socket = net.connect({ host: url.hostname, port: Number(url.port) }, () => {
      socket.write(request, () => {
        socket.resetAndDestroy();
        resolve();
      });
    });
    socket.on('error', () => resolve());
  });
}

const host = () => new URL(app.server.url).host;
const upgrade = () =>
  `GET /graphql HTTP/1.1\r\nHost: ${host()}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: graphql-transport-ws\r\n\r\n`;
const post = (path: string, authorization?: string) => {
  const body = JSON.stringify({ query: '{ serverInfo { version } }' });
  const auth = authorization ? `Authorization: ${authorization}\r\n` : '';
  return `POST ${path} HTTP/1.1\r\nHost: ${host()}\r\n${auth}Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
};

/** The server still answers: a query over HTTP and an acknowledged websocket. */
async function stillServes(): Promise<void> {
  const t = await createTenant(app);
  expect((await gqlOk(t, '{ models { name } }')).models).toEqual([]);
  const ws = await rawSocket(app.server.url.replace(/^http/, 'ws'), t.apiKey);
  ws.socket.close();
}

test.each([
  ['a websocket upgrade', upgrade],
  ['an anonymous POST /graphql with a body', () => post('/graphql')],
  ['an anonymous V2 infer with a body', () => post('/v2/models/m/infer')],
  ['a POST /graphql with a credential that fails (counted per address)', () => post('/graphql', 'Bearer maas_nope')],
  ['a V2 infer with a credential that fails', () => post('/v2/models/m/infer', 'Bearer maas_nope')],
  ['a V2 model read with a credential that fails', () => `GET /v2/models/m HTTP/1.1\r\nHost: ${host()}\r\nAuthorization: Bearer maas_nope\r\n\r\n`],
])('%s reset right after it is sent, %#: the server keeps serving', async (_kind, request) => {
  for (let i = 0; i < TRIES; i += 20) await Promise.all(Array.from({ length: 20 }, () => sendAndReset(request())));
  await stillServes();
});

it('holds one close listener per connection however many requests are pipelined on it (review 6: MaxListenersExceededWarning at will)', async () => {
  const t = await createTenant(app);
  const body = JSON.stringify({ query: '{ models { name } }' });
  const one = `POST /graphql HTTP/1.1\r\nHost: ${host()}\r\nAuthorization: Bearer ${t.apiKey}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
  // 'close' listeners added to sockets (the server's and this client's) while 30 pipelined requests are answered on one connection.
  const added = jest.spyOn(net.Socket.prototype, 'once');
  try {
    const url = new URL(app.server.url);
    const answers = await new Promise<number>((resolve, reject) => {
      let text = '';
      const socket = net.connect({ host: url.hostname, port: Number(url.port) }, () => socket.write(one.repeat(30)));
      socket.on('data', (d) => {
        text += String(d);
        const n = text.split('HTTP/1.1 200').length - 1;
        if (n === 30) {
          socket.destroy();
          resolve(n);
        }
      });
      socket.on('error', reject);
    });
    expect(answers).toBe(30);
    expect(added.mock.calls.filter(([event]) => (event as string) === 'close').length).toBeLessThan(5);
  } finally {
    added.mockRestore();
  }
  await sendAndReset(one.repeat(30));
  await stillServes();
});
