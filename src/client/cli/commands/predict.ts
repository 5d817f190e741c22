/** `maas predict`: predictions for rows from a file or the command line, with a version, an alias or the latest. */
import { Command, InvalidArgumentError } from 'commander';
import { CliPredictDocument } from '../../generated/graphql';
import { contextOf } from '../context';
import { usageError } from '../errors';
import { printJson, say, table } from '../output';
import { readRows } from '../read-rows';

/** A version number as commander's argParser reads it (also for `batch start`). */
export function versionNumber(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`--version must be a whole number from 1, not '${value}'`);
  return n;
}

/** The `predict` command. */
export function predictCommand(): Command {
  return new Command('predict')
    .description('predict rows with a model version (Default: the latest)')
    .requiredOption('--model <name>', 'the model name')
    .option('--version <n>', 'a version number', versionNumber)
    .option('--alias <alias>', "an alias, e.g. 'production'")
    .option('--file <file>', 'rows as CSV with a header (.csv) or JSON (.json: an array of objects)')
    .option('--row <json>', 'one row as JSON, e.g. \'{"Glucose":148,"BMI":33.6}\'')
    .action(async (opts: { model: string; version?: number; alias?: string; file?: string; row?: string }, cmd: Command) => {
      if (opts.version !== undefined && opts.alias) throw usageError('give --version or --alias, not both');
      const rows = readRows(opts);
      const ctx = contextOf(cmd);
      const data = await ctx.api.request(CliPredictDocument, { model: opts.model, version: opts.version, alias: opts.alias, rows });
      const result = data.predict;
      if (ctx.json) return printJson(result);
      const fields = (['label', 'probability', 'value'] as const).filter((f) => result.predictions.some((p) => p[f] !== null));
      say(`Model '${result.modelName}' version ${result.version}`);
      say(
        table(
          ['ROW', ...fields.map((f) => f.toUpperCase())],
          result.predictions.map((p, i) => [i + 1, ...fields.map((f) => p[f])]),
        ),
      );
    });
}
