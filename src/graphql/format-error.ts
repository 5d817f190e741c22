/**
 * One place that turns thrown errors into GraphQL errors: AppError -> its code in
 * `extensions.code`; GraphQL's own validation and coercion errors keep theirs; anything else
 * becomes INTERNAL_SERVER_ERROR with a generic message (logged with the request id elsewhere).
 */
import type { GraphQLFormattedError } from 'graphql';
import { GraphQLError } from 'graphql';
import { AppError, FieldError, MAX_ERROR_MESSAGE, fromDatabaseError, notFiniteMessage, truncate } from '../lib/errors';

const PASS_THROUGH = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
  'BAD_REQUEST',
]);

/**
 * How graphql-js prints a multipart file (graphql-upload's `Upload`) where a variable of another type
 * expects a value: its internals, named in messages as "a file upload" instead.
 */
const UPLOAD_INSPECTED = /\{ resolve: \[function\], reject: \[function\], promise: \{\}(?:, file: \{[^{}]*\})? \}/g;

/**
 * The variable path graphql-js names when a scalar refuses a variable's value: `after` for
 * `Variable "$after" got invalid value …; <reason>`, `input.expiresAt` for `… at "input.expiresAt"; <reason>`.
 * @param reason the scalar's message, which graphql-js appends after "; " (or `; Expected type "X". `).
 */
export function variablePath(message: string, reason: string): string | undefined {
  const end = message.lastIndexOf(reason);
  // Inside a list or input object graphql-js writes `; Expected type "X". <reason>`.
  const head = (end < 0 ? message : message.slice(0, end)).replace(/; (?:Expected type "[_A-Za-z][_0-9A-Za-z]*"\. ?)?$/, '');
  const variable = /^Variable "\$([_A-Za-z][_0-9A-Za-z]*)" got invalid value /.exec(head);
  if (!variable) return undefined;
  return / at "([_A-Za-z][_0-9A-Za-z]*(?:\.[_A-Za-z][_0-9A-Za-z]*|\[\d+\])*)"$/.exec(head)?.[1] ?? variable[1];
}

/** A FieldError's message with the variable's path in front, when graphql-js named one. */
function fieldMessage(raw: GraphQLFormattedError, original: FieldError): { message: string; field?: string } {
  const path = variablePath(raw.message, original.message);
  return path ? { message: original.at(path), field: `${path}${original.subPath}` } : { message: original.message };
}

function originalOf(error: unknown): unknown {
  let e = error;
  while (e instanceof GraphQLError && e.originalError) e = e.originalError;
  return e;
}

/** graphql-armor's limit refusals, which it words as syntax errors, and the setting behind each. */
const ARMOR_LIMITS: [RegExp, string][] = [
  [/^Syntax Error: (Query depth limit of \d+ exceeded, found \d+\.?)/, 'GRAPHQL_MAX_DEPTH'],
  [/^Syntax Error: (Aliases limit of \d+ exceeded, found \d+\.?)/, 'GRAPHQL_MAX_ALIASES'],
  [/^Syntax Error: (Directives limit of \d+ exceeded, found \d+\.?)/, 'at most 20 directives'],
];

/** A limit's refusal without the "Syntax Error:" graphql-armor puts before it (the query parsed), naming its setting. */
function limitMessage(message: string): string {
  for (const [pattern, setting] of ARMOR_LIMITS) {
    const m = pattern.exec(message);
    if (m) return `The query is refused: ${m[1].replace(/\.$/, '')} (${setting}).${message.slice(m[0].length)}`;
  }
  return message;
}

/**
 * @param options.suggestions keep graphql-js' "Did you mean …?" hints (GRAPHQL_FIELD_SUGGESTIONS);
 *   when false they are cut from every message, validation and variable coercion alike, on both
 *   transports (they name schema fields and enum values).
 */
export function makeFormatError(options: { suggestions: boolean } = { suggestions: true }) {
  return (raw: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    // graphql-js' own messages quote the input (e.g. a 400-digit Int literal): cut them too.
    // Apollo's hideSchemaDetailsFromClientErrors leaves "[Suggestion hidden]" where a hint was: cut
    // it too, or its presence tells whether a field of a similar name exists.
    const message = options.suggestions ? raw.message : raw.message.replace(/ ?Did you mean [^?]*\?/g, '').replace(/ ?\[Suggestion hidden\]\??/g, '');
    const formatted = { ...raw, message: truncate(limitMessage(message).replaceAll(UPLOAD_INSPECTED, 'a file upload'), MAX_ERROR_MESSAGE) };
    // graphql-js' Int and Float refusing a variable's Infinity (JSON's 1e400): the one message for it.
    const nonFinite = /; (?:Float|Int) cannot represent non[- ](?:numeric|integer) value: (-?Infinity|NaN)$/.exec(raw.message);
    const nonFinitePath = nonFinite && variablePath(raw.message, raw.message.slice(nonFinite.index + 2));
    if (nonFinite && nonFinitePath) {
      return { ...formatted, message: notFiniteMessage(nonFinitePath, Number(nonFinite[1])), extensions: { code: 'BAD_USER_INPUT', field: nonFinitePath } };
    }
    const original = originalOf(error);
    const translated = original instanceof AppError ? undefined : fromDatabaseError(original);
    if (translated) return { ...formatted, message: translated.message, extensions: { ...translated.details, code: translated.code } };
    if (original instanceof FieldError) {
      const { message, field } = fieldMessage(raw, original);
      return { ...formatted, message, extensions: { ...original.details, ...(field && { field }), code: original.code } };
    }
    if (original instanceof AppError) {
      return { ...formatted, message: original.message, extensions: { ...original.details, code: original.code } };
    }
    const code = formatted.extensions?.code;
    // Apollo's refusals of a malformed request (e.g. bad persisted-query extensions) carry an HTTP 4xx.
    const status = error instanceof GraphQLError ? (error.extensions?.http as { status?: number } | undefined)?.status : undefined;
    if (status && status >= 400 && status < 500) return { ...formatted, extensions: { code: typeof code === 'string' && PASS_THROUGH.has(code) ? code : 'BAD_REQUEST' } };
    if (typeof code === 'string' && PASS_THROUGH.has(code)) return { ...formatted, extensions: { code } };
    // graphql-js' own request-level refusals (no path: not raised by a resolver), e.g. "Too many
    // errors processing variables", which Apollo labels INTERNAL_SERVER_ERROR before this runs.
    // Argument coercion in execution (e.g. `null` in a variable for `k: Int! = 10`) is graphql-js'
    // own refusal too, but located at the field, so it carries a path.
    const argumentRefusal = /^Argument "[^"]+" /.test(raw.message);
    const graphqlOwn = original instanceof GraphQLError && !original.originalError && (!formatted.path || argumentRefusal);
    if (error instanceof GraphQLError && graphqlOwn && code === 'INTERNAL_SERVER_ERROR') return { ...formatted, extensions: { code: 'BAD_USER_INPUT' } };
    if (error instanceof GraphQLError && (original instanceof GraphQLError || !(original instanceof Error)) && !code) {
      // A GraphQLError raised by graphql-js itself (variable coercion, a built-in scalar refusing a
      // value, over the websocket where Apollo does not label them): the input was wrong.
      return { ...formatted, extensions: { code: 'BAD_USER_INPUT' } };
    }
    // Logged with the request id by the observability plugin (HTTP) or the websocket hooks.
    return { message: 'Internal server error', locations: formatted.locations, path: formatted.path, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
  };
}
