/** `maas alias set`: points a model's alias (e.g. 'production') at one of its versions. */
import { Command, InvalidArgumentError } from 'commander';
import { CliSetModelAliasDocument } from '../../generated/graphql';
import { contextOf } from '../context';
import { printJson, say } from '../output';

/** The `<version>` argument as commander's argParser reads it: a whole number from 1. */
function versionArgument(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`<version> must be a whole number from 1, not '${value}'`);
  return n;
}

/** The `alias` command group (setModelAlias; the key needs the MODELS_WRITE scope). */
export function aliasCommand(): Command {
  const alias = new Command('alias').description("name a model's versions (e.g. 'production') for predict --alias");
  alias
    .command('set')
    .description('point an alias at a version, creating it or moving it there')
    .argument('<model>', 'the model name')
    .argument('<alias>', "the alias, e.g. 'production'")
    .argument('<version>', 'the version number it names', versionArgument)
    .action(async (model: string, name: string, version: number, _opts: unknown, cmd: Command) => {
      const ctx = contextOf(cmd);
      const data = await ctx.api.request(CliSetModelAliasDocument, { model, alias: name, version });
      const set = data.setModelAlias;
      if (ctx.json) return printJson({ modelName: model, ...set });
      say(`Alias '${model}@${set.name}' now names version ${set.version}; 'maas predict --model ${model} --alias ${set.name}' uses it`);
    });
  return alias;
}
