/**
 * The CLI's failures: every one carries a code (the API's `extensions.code` where the API answered,
 * else one of the CLI's own: USAGE, NETWORK_ERROR, BAD_FILE, NOT_LOGGED_IN) and an exit status.
 */

/** Exit status of a failed command (1) and of a command line that does not parse (2). */
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/** A failure printed as `error CODE: message` on stderr. */
export class CliError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly exitCode: number = EXIT_FAILURE,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** A command line that does not make sense (exit status 2). */
export function usageError(message: string): CliError {
  return new CliError('USAGE', message, EXIT_USAGE);
}

/** Prints `error CODE: message` to stderr and returns the exit status to use. Unknown errors print as INTERNAL_ERROR. */
export function reportError(err: unknown, write: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): number {
  if (err instanceof CliError) {
    write(`error ${err.code}: ${err.message}`);
    return err.exitCode;
  }
  write(`error INTERNAL_ERROR: ${err instanceof Error ? err.message : String(err)}`);
  return EXIT_FAILURE;
}
