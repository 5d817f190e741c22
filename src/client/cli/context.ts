/** What every command's action starts from: the connection to the API and the global `--json` flag. */
import { InvalidArgumentError, type Command } from 'commander';
import { Api } from './api';
import { loadCredentials } from './credentials';

/** The API (from the environment or the credentials file) and whether to print JSON. */
export interface CommandContext {
  api: Api;
  json: boolean;
}

/**
 * The context of a command being run.
 * @throws CliError NOT_LOGGED_IN when there are no credentials.
 */
export function contextOf(cmd: Command): CommandContext {
  const { json } = cmd.optsWithGlobals<{ json?: boolean }>();
  return { api: new Api(loadCredentials()), json: Boolean(json) };
}

/** `--first` as a whole number in 0..100 (the connections' bounds), for commander's argParser. */
export function pageSize(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 100) throw new InvalidArgumentError(`--first must be a whole number from 0 to 100, not '${value}'`);
  return n;
}

/** Adds `--first N` and `--after CURSOR` to a list command. */
export function withPaging(cmd: Command): Command {
  return cmd.option('--first <n>', 'rows per page, 0 to 100 (Default: 20)', pageSize).option('--after <cursor>', 'the next-page cursor a previous page printed');
}
