/**
 * A shared `next` message (src/graphql/shared-frames.ts) is byte for byte what graphql-ws sends
 * for the same id and result: graphql-ws' own `stringifyMessage` of `{id, type: next, payload}`,
 * for ids and values that JSON escapes, and each socket gets its own id.
 */
import { MessageType, stringifyMessage } from 'graphql-ws';
import type { ExecutionResult } from 'graphql';
import type { WebSocket } from 'ws';
import { SharedFrames } from '../../src/graphql/shared-frames';

/** A socket that records what is sent on it. */
function fakeSocket() {
  const sent: unknown[] = [];
  const socket = { send: (data: unknown) => void sent.push(data) } as unknown as WebSocket;
  return { socket, sent };
}

/** What graphql-ws does with `onNext`'s answer: the message of that payload, or of the result when there is none. */
function graphqlWsSends(socket: WebSocket, id: string, result: ExecutionResult, frames: SharedFrames): void {
  const payload = frames.placeholder(socket, id, result) ?? { ...result };
  socket.send(stringifyMessage({ id, type: MessageType.Next, payload } as Parameters<typeof stringifyMessage>[0]));
}

const RESULTS: ExecutionResult[] = [
  { data: { trainingProgress: { kind: 'EPOCH', epoch: 3, loss: 0.6931471805599453, accuracy: null, emittedAt: 1_733_550_000_123 } } },
  { data: { text: 'quote " backslash \\ newline \n tab \t nul \u0000 line separator \u2028 emoji 🎉 lone surrogate \ud800' } },
  { data: { nested: [[1, -0, 1e21, 5e-324], { a: [] }, [null, true, false]] }, extensions: { cost: 3 } },
  { data: null },
];
const IDS = ['1', 'a "quoted" id', 'back\\slash', '\u2028', '0f9e7c3a-6f1b-4c2e-9a8d-2b5f1e7d9c01'];

it("writes each message as graphql-ws' stringifyMessage does, for every id and result", () => {
  for (const result of RESULTS) {
    for (const id of IDS) {
      const frames = new SharedFrames();
      const shared = fakeSocket();
      frames.attach(shared.socket);
      graphqlWsSends(shared.socket, id, result, frames);
      expect(shared.sent).toEqual([stringifyMessage({ id, type: MessageType.Next, payload: { ...result } } as Parameters<typeof stringifyMessage>[0])]);
    }
  }
});

it('gives every socket its own id from one serialisation, and leaves other messages alone', () => {
  const frames = new SharedFrames();
  const sockets = Array.from({ length: 3 }, fakeSocket);
  for (const s of sockets) frames.attach(s.socket);
  const stringify = jest.spyOn(JSON, 'stringify');
  try {
    sockets.forEach((s, i) => graphqlWsSends(s.socket, `sub-${i}`, RESULTS[0]!, frames));
    // Once for the payload; per socket only the id and graphql-ws' placeholder message.
    expect(stringify.mock.calls.filter(([v]) => v === RESULTS[0]).length).toBe(1);
  } finally {
    stringify.mockRestore();
  }
  sockets.forEach((s, i) => expect(JSON.parse(s.sent[0] as string)).toEqual({ id: `sub-${i}`, type: 'next', payload: RESULTS[0] }));
  sockets[0]!.socket.send('{"id":"sub-0","type":"complete"}');
  expect(sockets[0]!.sent[1]).toBe('{"id":"sub-0","type":"complete"}');
  // A socket not attached: graphql-ws serialises the result itself.
  const loose = fakeSocket();
  expect(frames.placeholder(loose.socket, '1', RESULTS[0]!)).toBeUndefined();
});
