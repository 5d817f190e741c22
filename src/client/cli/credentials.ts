/**
 * Where the CLI finds the API and the key: MAAS_URL / MAAS_API_KEY in the environment win; else the
 * file `maas login` wrote, `<config dir>/maas/credentials.json` (config dir: $XDG_CONFIG_HOME, else
 * %APPDATA% on Windows, else ~/.config), created with mode 0600 so only its owner can read the key.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CliError, usageError } from './errors';

/** The GraphQL endpoint (http(s)://host:port/graphql) and the API key sent as `Authorization: Bearer`. */
export interface Credentials {
  url: string;
  apiKey: string;
}

/** The user's config directory for this CLI. */
export function configDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CONFIG_HOME || (process.platform === 'win32' && env.APPDATA) || path.join(os.homedir(), '.config');
  return path.join(base, 'maas');
}

/** The credentials file's path. */
export function credentialsPath(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(configDir(env), 'credentials.json');
}

/**
 * The GraphQL endpoint for a URL as given: trailing slashes dropped, `/graphql` added when missing
 * (so `http://localhost:4000` works, as for `npm run demo`'s MAAS_URL).
 * @throws CliError USAGE when it is not an http(s) URL.
 */
export function graphqlUrl(given: string): string {
  const trimmed = given.trim().replace(/\/+$/, '');
  if (!/^https?:\/\/[^/]/.test(trimmed) || !URL.canParse(trimmed)) throw usageError(`The API URL must be http(s)://host[:port][/graphql], not '${given}'`);
  return trimmed.endsWith('/graphql') ? trimmed : `${trimmed}/graphql`;
}

/** Writes the credentials file (directory 0700, file 0600, also when it already existed). */
export function saveCredentials(creds: Credentials, env: NodeJS.ProcessEnv = process.env): string {
  const file = credentialsPath(env);
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  // Narrow an existing file before the key goes in (the mode option applies only to new files).
  if (fs.existsSync(file)) fs.chmodSync(file, 0o600);
  fs.writeFileSync(file, `${JSON.stringify(creds, null, 2)}\n`, { mode: 0o600 });
  return file;
}

/**
 * The credentials to call the API with: the environment's, else the file's.
 * @throws CliError NOT_LOGGED_IN when neither gives both a URL and a key.
 */
export function loadCredentials(env: NodeJS.ProcessEnv = process.env): Credentials {
  let stored: Partial<Credentials> = {};
  const file = credentialsPath(env);
  if (fs.existsSync(file)) {
    try {
      stored = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<Credentials>;
    } catch {
      throw new CliError('BAD_FILE', `The credentials file ${file} is not JSON; run 'maas login' again`);
    }
  }
  const url = env.MAAS_URL || stored.url;
  const apiKey = env.MAAS_API_KEY || stored.apiKey;
  if (!url || !apiKey) throw new CliError('NOT_LOGGED_IN', "No API URL and key: run 'maas login --url <graphql url> --key <api key>' or set MAAS_URL and MAAS_API_KEY");
  return { url: graphqlUrl(url), apiKey };
}
