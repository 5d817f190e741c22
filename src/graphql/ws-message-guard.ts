/**
 * What the API checks in a websocket message before graphql-ws reads it:
 * - bracket depth, from the raw bytes (src/lib/json-depth.ts), before JSON.parse spends seconds on
 *   it: a `subscribe` nested past MAX_BODY_DEPTH gets an `error` on its id (BAD_USER_INPUT, as HTTP
 *   answers the same body; its id and type read from the top level alone), any other such message
 *   closes the socket (4400);
 * - a `subscribe` whose id is usable but whose payload is malformed (`{}`, `query: 5`,
 *   `variables: [1]`, a persisted-query hash without the query) gets an `error` on that id, coded as
 *   HTTP codes the same body (BAD_REQUEST; PERSISTED_QUERY_NOT_FOUND, so an APQ client sends the full
 *   query next), instead of graphql-ws closing the whole socket and every subscription on it; the
 *   query's own refusals (not a string, empty or missing) carry Apollo's messages too (review F4:
 *   an empty query was GRAPHQL_PARSE_FAILED here, BAD_REQUEST over HTTP);
 * - a `subscribe` whose persisted-query extension HTTP refuses (a hash that does not match the
 *   query, an unsupported version, a malformed extension) gets the same code and message on its id;
 * - a message of a type only the server sends (`connection_ack`, `next`, `error`) closes the socket
 *   (4400), where graphql-ws would close it 4500 and print a stack (review F7);
 * - a `ping` longer than {@link MAX_ECHOED_PING} characters is answered with a `pong` without
 *   payload here (graphql-ws echoes the payload; review 6: 9 MB pings on sockets that never read);
 * - a `subscribe` whose id is longer than {@link MAX_OPERATION_ID} characters closes the socket
 *   (4400, as graphql-ws closes for any invalid message): an id is echoed in every `next`, `error`
 *   and `complete` of its operation, so an unbounded one (review F9: 1,000,000 characters) would be
 *   sent back with every event.
 */
import { depthExceededAt, MAX_BODY_DEPTH, topLevelStrings } from '../lib/json-depth';
import { persistedQueryProblem } from './persisted-query';

/** Apollo's refusal of an operation whose query is empty or missing, without a persisted-query extension. */
const NO_QUERY = 'GraphQL operations must contain a non-empty `query` or a `persistedQuery` extension.';
/** Apollo's refusal of a `query` that is neither a string nor falsy. */
const QUERY_NOT_STRING = 'GraphQL queries must be strings.';
/** Apollo's refusal of a `query` that is a parsed graphql-js document (`kind: "Document"`). */
const QUERY_AS_DOCUMENT =
  "GraphQL queries must be strings. It looks like you're sending the internal graphql-js representation of a parsed query in your request instead of a request in the GraphQL query language. You can convert an AST to a string using the `print` function from `graphql`, or use a client like `apollo-client` which converts the internal representation to a string for you.";

/** Longest operation id of a `subscribe`, characters (as V2 ids). */
export const MAX_OPERATION_ID = 256;

const ID_TOO_LONG = `Invalid message received: the subscribe id is longer than ${MAX_OPERATION_ID} characters`;

/**
 * Longest message, characters, whose `ping` payload is echoed in the `pong` (graphql-ws' own answer).
 * A longer ping is answered with a `pong` without payload (the protocol makes it optional): echoed,
 * 9 MB pings on sockets that never read grew the server by gigabytes (review 6).
 */
export const MAX_ECHOED_PING = 1024;
const PONG = JSON.stringify({ type: 'pong' });

/** Message types only a server sends (graphql-transport-ws): graphql-ws throws on them from a client. */
const SERVER_TYPES: readonly string[] = ['connection_ack', 'next', 'error'];

/** What to do with one message: pass it to graphql-ws, close the socket, or answer an error on its id. */
export type MessageVerdict = { pass: true } | { close: string } | { reply: string };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const optional = (v: unknown, check: (x: unknown) => boolean) => v === undefined || v === null || check(v);

/**
 * The coded problem of a subscribe payload graphql-ws would refuse by closing, or that HTTP refuses
 * (a persisted-query extension, persisted-query.ts), or undefined when it is well formed. Checked in
 * the order Apollo checks a POST body (`@apollo/server` runHttpQuery, then requestPipeline): the
 * query's type, the body's shape, the persisted query, then a query that is empty or missing.
 */
function payloadProblem(p: unknown): { code: string; message: string } | undefined {
  if (!isObject(p)) return { code: 'BAD_REQUEST', message: 'payload must be an object with a query' };
  // As Apollo's ensureQueryIsStringOrMissing: a falsy query (0, false, null) counts as missing.
  if (p.query && typeof p.query !== 'string') return { code: 'BAD_REQUEST', message: isObject(p.query) && p.query.kind === 'Document' ? QUERY_AS_DOCUMENT : QUERY_NOT_STRING };
  if (!optional(p.variables, isObject)) return { code: 'BAD_REQUEST', message: 'payload.variables must be an object' };
  if (!optional(p.operationName, (x) => typeof x === 'string')) return { code: 'BAD_REQUEST', message: 'payload.operationName must be a string' };
  if (!optional(p.extensions, isObject)) return { code: 'BAD_REQUEST', message: 'payload.extensions must be an object' };
  const query = typeof p.query === 'string' ? p.query : undefined;
  const extensions = p.extensions as Record<string, unknown> | undefined;
  const persisted = persistedQueryProblem(query, extensions);
  if (persisted) return persisted;
  // Past a persisted-query extension judged above, "" with its matching hash is parsed, as over HTTP.
  if (!query && !extensions?.persistedQuery) return { code: 'BAD_REQUEST', message: NO_QUERY };
  return undefined;
}

/** Judges one raw websocket message (text or bytes). */
export function judgeMessage(raw: Buffer | string): MessageVerdict {
  const deep = depthExceededAt(raw, MAX_BODY_DEPTH);
  if (deep >= 0) {
    const { id, type } = topLevelStrings(raw, ['id', 'type']);
    if (type !== 'subscribe' || !id) return { close: `Invalid message received: nested deeper than ${MAX_BODY_DEPTH} levels` };
    if (id.length > MAX_OPERATION_ID) return { close: ID_TOO_LONG };
    const message = `The request could not be read: the JSON body is nested deeper than ${MAX_BODY_DEPTH} levels (at byte ${deep})`;
    return { reply: JSON.stringify({ id, type: 'error', payload: [{ message, extensions: { code: 'BAD_USER_INPUT' } }] }) };
  }
  const text = typeof raw === 'string' ? raw : raw.toString('utf8');
  // Only a `subscribe`, a server's message sent by a client, and a long `ping` are judged: their type
  // is spelled out in the text, unless escaped (`"subscrib\u0065"`, which graphql-ws reads as
  // `subscribe` all the same). The text is parsed once, as graphql-ws reads it (the last of repeated keys).
  const longPing = text.length > MAX_ECHOED_PING && text.includes('ping');
  if (!longPing && !text.includes('"subscribe"') && !text.includes('\\u') && !SERVER_TYPES.some((t) => text.includes(`"${t}"`))) return { pass: true };
  let message: unknown;
  try {
    message = JSON.parse(text);
  } catch {
    return { pass: true }; // graphql-ws answers unreadable messages itself
  }
  if (text.length > MAX_ECHOED_PING && isObject(message) && message.type === 'ping') return { reply: PONG };
  // graphql-ws reads these from a client as well formed, then throws: a 4500 close (its code for an
  // internal error) and a stack on stdout per message (review F7). A protocol breach closes 4400.
  if (isObject(message) && SERVER_TYPES.includes(message.type as string)) return { close: `Invalid message received: a client does not send '${String(message.type)}'` };
  if (!isObject(message) || message.type !== 'subscribe' || typeof message.id !== 'string' || message.id === '') return { pass: true };
  if (message.id.length > MAX_OPERATION_ID) return { close: ID_TOO_LONG };
  const problem = payloadProblem(message.payload);
  if (!problem) return { pass: true };
  return { reply: JSON.stringify({ id: message.id, type: 'error', payload: [{ message: problem.message, extensions: { code: problem.code } }] }) };
}
