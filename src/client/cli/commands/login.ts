/** `maas login`: checks a URL and key against the API (viewer) and stores them for later commands. */
import { Command } from 'commander';
import { CliViewerDocument } from '../../generated/graphql';
import { Api } from '../api';
import { graphqlUrl, saveCredentials } from '../credentials';
import { usageError } from '../errors';
import { printJson, say } from '../output';

/** A scope as `viewer` answers it (`models:read`) written as createApiKey's Scope enum takes it (`MODELS_READ`). */
const scopeName = (scope: string) => scope.toUpperCase().replace(':', '_');

/** The `login` command. Never prints the key. */
export function loginCommand(): Command {
  return new Command('login')
    .description('check an API URL and key, and store them (0600) for the other commands')
    .option('--url <url>', 'the GraphQL endpoint, e.g. http://localhost:4000/graphql (Default: $MAAS_URL)')
    .option('--key <key>', 'an API key (Default: $MAAS_API_KEY)')
    .action(async (opts: { url?: string; key?: string }, cmd: Command) => {
      const given = opts.url ?? process.env.MAAS_URL;
      const apiKey = opts.key ?? process.env.MAAS_API_KEY;
      if (!given || !apiKey) throw usageError('login needs --url and --key (or MAAS_URL and MAAS_API_KEY)');
      const url = graphqlUrl(given);
      const data = await new Api({ url, apiKey }).request(CliViewerDocument);
      const file = saveCredentials({ url, apiKey });
      const { viewer } = data;
      if (cmd.optsWithGlobals<{ json?: boolean }>().json) return printJson({ url, tenantName: viewer.tenantName, scopes: viewer.scopes, credentialsFile: file });
      say(`Logged in to ${url} as tenant '${viewer.tenantName}' (${viewer.kind}; scopes ${viewer.scopes.map(scopeName).join(', ')}); credentials saved in ${file}`);
    });
}
