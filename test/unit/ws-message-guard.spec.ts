/** The websocket message guard (src/graphql/ws-message-guard.ts) on pings: what is echoed and what is not. */
import { judgeMessage, MAX_ECHOED_PING } from '../../src/graphql/ws-message-guard';
it('answers a ping longer than MAX_ECHOED_PING with a pong without payload, as graphql-ws reads its type; shorter ones pass (echoed)', () => {
  const blob = 'x'.repeat(MAX_ECHOED_PING);
  expect(judgeMessage(JSON.stringify({ type: 'ping', payload: { blob } }))).toEqual({ reply: '{"type":"pong"}' });
  expect(judgeMessage(Buffer.from(JSON.stringify({ type: 'ping', payload: { blob } })))).toEqual({ reply: '{"type":"pong"}' });
  // Spelled with an escape, or repeated (JSON.parse keeps the last): still a ping.
  expect(judgeMessage(`{"type":"\\u0070ing","payload":{"blob":"${blob}"}}`)).toEqual({ reply: '{"type":"pong"}' });
  expect(judgeMessage(`{"type":"pong","payload":{"blob":"${blob}"},"type":"ping"}`)).toEqual({ reply: '{"type":"pong"}' });
  expect(judgeMessage(JSON.stringify({ type: 'ping', payload: { n: 1 } }))).toEqual({ pass: true });
  expect(judgeMessage(JSON.stringify({ type: 'pong', payload: { blob } }))).toEqual({ pass: true });
});
