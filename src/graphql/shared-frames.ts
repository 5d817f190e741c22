/**
 * graphql-ws `next` messages written from one serialisation per result (issue 15: 1,000 websockets
 * on one run's progress). shared-subscribe.ts already executes an event once per operation and
 * actor, so the subscribers of one (operation, actor) get the same result object; graphql-ws would
 * still build `{id, type: "next", payload}` and `JSON.stringify` it for each socket. Here the
 * payload's JSON is made once per result object, and each socket's message is that text with the
 * subscription's id spliced in: byte for byte what graphql-ws sends (`JSON.stringify` of
 * `{id, type, payload}` in that order; test/unit/shared-frames.spec.ts compares with graphql-ws'
 * own `stringifyMessage`).
 *
 * How, without forking graphql-ws: its `onNext` hook may return the payload to send. For a result
 * without errors it returns a small placeholder payload, and the socket's `send` (wrapped by
 * {@link SharedFrames.attach}) swaps graphql-ws' placeholder message, which it recognises by its
 * exact text (id included), for the real one. A result with errors is formatted per subscriber
 * (websocket.ts) and sent by graphql-ws as before.
 */
import type { ExecutionResult } from 'graphql';
import type { WebSocket } from 'ws';

/** The payload graphql-ws is handed instead of a shared result: an object (as its message check wants), small, with no `data`. */
const PLACEHOLDER = Object.freeze({ sharedFrame: true });
const PLACEHOLDER_JSON = JSON.stringify(PLACEHOLDER);

/** Shared `next` messages for the sockets of one websocket server. */
export class SharedFrames {
  /** Each result's payload JSON, made once, gone with the result (results are held per event by shared-subscribe.ts). */
  private readonly payloads = new WeakMap<ExecutionResult, string>();
  /** Per socket: the placeholder message graphql-ws is about to send → the message to send instead. */
  private readonly pending = new WeakMap<WebSocket, Map<string, string>>();

  /** Wraps `socket.send` so that a placeholder message is sent as its shared message (anything else as it is). */
  attach(socket: WebSocket): void {
    const frames = new Map<string, string>();
    this.pending.set(socket, frames);
    const send = socket.send.bind(socket) as (data: unknown, ...rest: unknown[]) => void;
    socket.send = ((data: unknown, ...rest: unknown[]) => {
      const frame = typeof data === 'string' && frames.size > 0 ? frames.get(data) : undefined;
      if (frame === undefined) return send(data, ...rest);
      frames.delete(data as string);
      return send(frame, ...rest);
    }) as WebSocket['send'];
  }

  /**
   * graphql-ws' `onNext` for a result without errors.
   * @param id the subscription's id on `socket`.
   * @returns the placeholder payload for graphql-ws to send, or undefined (graphql-ws serialises
   *   `result` itself) for a socket not attached.
   */
  placeholder(socket: WebSocket, id: string, result: ExecutionResult): object | undefined {
    const frames = this.pending.get(socket);
    if (!frames) return undefined;
    let payload = this.payloads.get(result);
    if (payload === undefined) this.payloads.set(result, (payload = JSON.stringify(result)));
    const idJson = JSON.stringify(id);
    // graphql-ws sends one message at a time per subscription (it awaits each send), so one entry per id at most.
    frames.set(`{"id":${idJson},"type":"next","payload":${PLACEHOLDER_JSON}}`, `{"id":${idJson},"type":"next","payload":${payload}}`);
    return PLACEHOLDER;
  }
}
