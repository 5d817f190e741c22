/**
 * Bounds on the two JSON fields of a GraphQL multipart request (the upload spec), judged from their
 * raw text before graphql-upload parses and walks them, as a JSON body is (src/lib/json-depth.ts):
 * - `operations` and `map` nested past MAX_BODY_DEPTH levels are refused before `JSON.parse`
 *   spends time on them (100,000 levels held the request ≈1 s);
 * - a `map` path (`variables.a.b…`) of more than MAX_BODY_DEPTH segments is refused before
 *   graphql-upload's object-path recurses once per segment and builds objects that deep into the
 *   operation's variables.
 * Their size is bounded by graphql-upload's `maxFieldSize` (MAX_REQUEST_BYTES, 413 past it).
 * A refusal is a 400 with the message of the JSON-body path, answered as BAD_USER_INPUT by the
 * server's body-error handler ("The request could not be read: …").
 *
 * A body busboy cannot read at all — a content-type without a boundary or with a malformed one
 * ("Multipart: Boundary not found", "Malformed content type"), a form cut short ("Unexpected end
 * of form"), a malformed part header — is the client's too: graphql-upload passes busboy's errors
 * on without a status (express answered them 500 with an HTML page and a stack, review F2), so they
 * get status 400 here and the same BAD_USER_INPUT answer.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Writable } from 'node:stream';
import defaultProcessRequest, { type ProcessRequestOptions } from 'graphql-upload/processRequest.mjs';
import { depthExceededAt, MAX_BODY_DEPTH } from '../lib/json-depth';

/** A 400 the way graphql-upload's own refusals look (`status`, `expose`), for graphqlUploadExpress. */
const refusal = (message: string) => Object.assign(new Error(message), { status: 400, expose: true, type: 'entity.too.deep' });

/** busboy's error (no `status`) as the client's: a 400 with busboy's message, e.g. "Unexpected end of form". */
function asMalformed(error: unknown): unknown {
  if (!(error instanceof Error) || 'status' in error) return error;
  return Object.assign(error, { status: 400, expose: true, type: 'multipart.malformed' });
}

/** The longest path in a parsed `map` (`{ "0": ["variables.file"] }`), in segments; 0 when it has none. */
function longestPath(map: unknown): number {
  if (typeof map !== 'object' || map === null) return 0;
  let longest = 0;
  for (const paths of Object.values(map as Record<string, unknown>)) {
    if (!Array.isArray(paths)) continue;
    for (const path of paths) if (typeof path === 'string') longest = Math.max(longest, path.split('.').length);
  }
  return longest;
}

/**
 * Why a multipart field's raw value is refused, or undefined when graphql-upload may read it.
 * @param name the field's name (`operations`, `map`; others are graphql-upload's to refuse).
 * @param value the field's text, at most `maxFieldSize` bytes.
 */
export function multipartFieldProblem(name: string, value: string): string | undefined {
  if (name !== 'operations' && name !== 'map') return undefined;
  const at = depthExceededAt(value, MAX_BODY_DEPTH);
  if (at >= 0) return `the ‘${name}’ multipart field is nested deeper than ${MAX_BODY_DEPTH} levels (at byte ${at})`;
  if (name !== 'map') return undefined;
  let map: unknown;
  try {
    map = JSON.parse(value);
  } catch {
    return undefined; // graphql-upload answers invalid JSON itself
  }
  const segments = longestPath(map);
  if (segments > MAX_BODY_DEPTH) return `a path in the ‘map’ multipart field has ${segments} segments, more than ${MAX_BODY_DEPTH}`;
  return undefined;
}

/**
 * graphql-upload's `processRequest` with {@link multipartFieldProblem} judging each field first:
 * the request's `pipe` into graphql-upload's busboy parser is wrapped so that a refused field
 * becomes an `error` of the parser (graphql-upload stops reading and rejects with it, a 400) and is
 * never parsed. Pass as `graphqlUploadExpress({ processRequest: boundedProcessRequest, … })`.
 */
export function boundedProcessRequest(request: IncomingMessage, response: ServerResponse, options?: ProcessRequestOptions) {
  const pipe = request.pipe.bind(request);
  let piped = false;
  request.pipe = <T extends NodeJS.WritableStream>(destination: T, opts?: { end?: boolean }): T => {
    request.pipe = pipe; // graphql-upload pipes once, into its parser
    piped = true;
    const parser = destination as unknown as Writable;
    const emit = parser.emit.bind(parser);
    parser.emit = (event: string | symbol, ...args: unknown[]) => {
      if (event === 'error') return emit(event, asMalformed(args[0]));
      // A value cut at maxFieldSize is left to graphql-upload, which answers 413.
      const truncated = (args[2] as { valueTruncated?: boolean } | undefined)?.valueTruncated;
      if (event === 'field' && typeof args[0] === 'string' && typeof args[1] === 'string' && !truncated) {
        const problem = multipartFieldProblem(args[0], args[1]);
        if (problem) return emit('error', refusal(problem));
      }
      return emit(event, ...args);
    };
    return pipe(destination, opts);
  };
  // Before the pipe, only busboy's constructor can fail: the content-type was unusable. The body
  // was never read then: drained, or graphql-upload (which sends only once the request finished) never answers.
  return defaultProcessRequest(request, response, options).catch((error: unknown) => {
    if (piped) throw error;
    request.resume();
    throw asMalformed(error);
  });
}
