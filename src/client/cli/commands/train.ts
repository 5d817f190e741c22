/** `maas train`: starts a training run, and with `--watch` follows it to the end. */
import { Command } from 'commander';
import { CliStartTrainingRunDocument, type ModelSpecInput } from '../../generated/graphql';
import { contextOf } from '../context';
import { CliError } from '../errors';
import { say } from '../output';
import { parseJson, readText } from '../read-json-file';
import { watchRun } from '../watch-progress';

/** The `train` command. */
export function trainCommand(): Command {
  return new Command('train')
    .description('start a training run (with --watch: show its progress until it ends)')
    .requiredOption('--dataset <id>', 'the dataset to train on')
    .requiredOption('--target <column>', 'the column to predict')
    .requiredOption('--model <name>', 'the model name the new version is registered under')
    .option(
      '--spec <file>',
      "a JSON file with the model spec (ModelSpecInput; Default: {}, which the server fills with a small network for the target's task: Dense(8, relu), the task's output layer and loss, 10 epochs)",
    )
    .option('--watch', 'follow the progress live; Ctrl-C stops watching, not the run')
    .action(async (opts: { dataset: string; target: string; model: string; spec?: string; watch?: boolean }, cmd: Command) => {
      const ctx = contextOf(cmd);
      const spec = opts.spec ? parseJson(readText(opts.spec), `The spec file '${opts.spec}'`) : {};
      if (!spec || typeof spec !== 'object' || Array.isArray(spec)) throw new CliError('BAD_FILE', `The spec file '${opts.spec}' must hold one JSON object`);
      // The file's JSON goes to the server unchecked here: the server validates it, naming the field.
      const input = { datasetId: opts.dataset, targetColumn: opts.target, modelName: opts.model, spec: spec as ModelSpecInput };
      const data = await ctx.api.request(CliStartTrainingRunDocument, { input });
      const run = data.startTrainingRun;
      if (ctx.json) say(JSON.stringify(run));
      else say(`Started run ${run.id} (${run.status})${opts.watch ? '' : `; 'maas runs watch ${run.id}' follows it`}`);
      if (opts.watch) process.exitCode = await watchRun(ctx.api, run.id, ctx.json);
    });
}
