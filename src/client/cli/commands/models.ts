/** `maas models list`. */
import { Command } from 'commander';
import { CliModelsDocument } from '../../generated/graphql';
import { contextOf, withPaging } from '../context';
import { printPage } from '../output';

/** The `models` command group. */
export function modelsCommand(): Command {
  const models = new Command('models').description('list models');
  withPaging(models.command('list').description("list your tenant's models, newest first"))
    .option('--name <part>', 'only names containing this')
    .action(async (opts: { first?: number; after?: string; name?: string }, cmd: Command) => {
      const ctx = contextOf(cmd);
      const data = await ctx.api.request(CliModelsDocument, opts);
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
