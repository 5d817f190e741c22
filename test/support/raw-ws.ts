/** Polling waits, and raw graphql-ws sockets whose every message and close the test reads (specs of the websocket's limits). */
import WebSocket from 'ws';

/** A graphql-ws message as received. */
export interface WsMessage {
  id?: string;
  type: string;
  payload?: any;
  /** performance.now() when it arrived (not enumerable). */
  at: number;
}

/** Waits (polling every 5 ms) until `check` holds; fails naming `what` after `ms` (default 30 s). */
export async function until(what: string, check: () => boolean | Promise<boolean>, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`never: ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** A raw graphql-ws socket of `token`, acknowledged; every message it receives is kept in order, and how it closed. */
export async function rawSocket(wsUrl: string, token: string) {
  const socket = new WebSocket(wsUrl, 'graphql-transport-ws');
  const messages: WsMessage[] = [];
  let closed: { code: number; reason: string } | undefined;
  // `at` is not enumerable: a spec compares messages with toEqual as the server sent them.
  socket.on('message', (data) => messages.push(Object.defineProperty(JSON.parse(String(data)) as WsMessage, 'at', { value: performance.now() })));
  socket.on('close', (code, reason) => (closed = { code, reason: String(reason) }));
  await new Promise((r) => socket.once('open', r));
  socket.send(JSON.stringify({ type: 'connection_init', payload: { Authorization: `Bearer ${token}` } }));
  await until('connection_ack', () => messages.some((m) => m.type === 'connection_ack'));
  return { socket, messages, closed: () => closed };
}
