/** The error the console's API calls throw (no DOM here, so unit tests can build one). */

/** A GraphQL error as the server sends it: a message and `extensions.code` (and maybe `field`). */
export interface ApiErrorEntry {
  message: string;
  /** Where in the answer the error happened (GraphQL's `path`): root field first. */
  path?: (string | number)[];
  extensions?: { code?: string; field?: string; [k: string]: unknown };
}

/** Thrown for a response with errors (the first one's message and code) or a failed request. */
export class ApiError extends Error {
  constructor(
    readonly errors: ApiErrorEntry[],
    readonly code = errors[0]?.extensions?.code ?? 'NETWORK_ERROR',
  ) {
    super(errors.map((e) => e.message).join('; '));
  }
}
