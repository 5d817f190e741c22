/** `maas models list`. */
import { Command } from 'commander';
import { contextOf, withPaging } from '../context';
import { printPage, type Page } from '../output';

interface ModelRow {
  id: string;
  name: string;
  createdAt: string;
  latestVersion: { version: number } | null;
  aliases: { name: string; version: number }[];
}

/** The `models` command group. */
export function modelsCommand(): Command {
  const models = new Command('models').description('list models');
  withPaging(models.command('list').description("list your tenant's models, newest first"))
    .option('--name <part>', 'only names containing this')
    .action(async (opts: { first?: number; after?: string; name?: string }, cmd: Command) => {
      const ctx = contextOf(cmd);
      const data = await ctx.api.request<{ modelsConnection: Page<ModelRow> }>(
        `query($first: Int, $after: String, $name: String) { modelsConnection(first: $first, after: $after, name: $name) {
          totalCount pageInfo { hasNextPage endCursor }
          edges { cursor node { id name createdAt latestVersion { version } aliases { name version } } } } }`,
        opts,
      );
      printPage(data.modelsConnection, ctx.json, ['ID', 'NAME', 'LATEST', 'ALIASES', 'CREATED'], (m) => [
        m.id,
        m.name,
        m.latestVersion?.version,
        m.aliases.map((a) => `${a.name}=v${a.version}`).join(',') || '-',
        m.createdAt,
      ]);
    });
  return models;
}
