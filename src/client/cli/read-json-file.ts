/** Reading a user's input file, failures as BAD_FILE. */
import fs from 'node:fs';
import { CliError } from './errors';

/** The file's text. @throws CliError BAD_FILE when it cannot be read. */
export function readText(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new CliError('BAD_FILE', `Cannot read '${file}': ${(err as Error).message}`);
  }
}

/** JSON text parsed. @throws CliError BAD_FILE (naming `what`) when it is not JSON. */
export function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new CliError('BAD_FILE', `${what} is not JSON: ${(err as Error).message}`);
  }
}
