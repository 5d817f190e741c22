/** `maas sweep start|list|watch|cancel`. */
import { Command } from 'commander';
import { CliCancelSweepDocument, CliStartSweepDocument, CliSweepsDocument, type RunStatus, type StartSweepInput } from '../../generated/graphql';
import { contextOf, withPaging } from '../context';
import { CliError } from '../errors';
import { printJson, printPage, say } from '../output';
import { parseJson, readText } from '../read-json-file';
import { watchSweep } from '../watch-sweep';

/** The `sweep` command group. */
export function sweepsCommand(): Command {
  const sweep = new Command('sweep').description('start, list, watch and cancel hyperparameter sweeps');
  sweep
    .command('start')
    .description('start a sweep from a JSON file holding StartSweepInput (with --watch: show its leaderboard until it ends)')
    .requiredOption('--file <file>', 'a JSON file with the sweep (StartSweepInput: baseSpec, space, strategy, objective, budget, …)')
    .option('--dataset <id>', "the dataset to train on (overrides the file's datasetId)")
    .option('--target <column>', "the column to predict (overrides the file's targetColumn)")
    .option('--model <name>', "the model every trial adds a version to (overrides the file's modelName)")
    .option('--watch', 'follow the leaderboard live; Ctrl-C stops watching, not the sweep')
    .action(async (opts: { file: string; dataset?: string; target?: string; model?: string; watch?: boolean }, cmd: Command) => {
      const ctx = contextOf(cmd);
      const file = parseJson(readText(opts.file), `The sweep file '${opts.file}'`);
      if (!file || typeof file !== 'object' || Array.isArray(file)) throw new CliError('BAD_FILE', `The sweep file '${opts.file}' must hold one JSON object`);
      // The file goes to the server as written: the server validates it, naming the field.
      const input = {
        ...(file as StartSweepInput),
        ...(opts.dataset && { datasetId: opts.dataset }),
        ...(opts.target && { targetColumn: opts.target }),
        ...(opts.model && { modelName: opts.model }),
      };
      const started = (await ctx.api.request(CliStartSweepDocument, { input })).startSweep;
      if (ctx.json) say(JSON.stringify(started));
      else say(`Started sweep ${started.id} (${started.strategy}, ${started.maxTrials} trials)${opts.watch ? '' : `; 'maas sweep watch ${started.id}' follows it`}`);
      if (opts.watch) process.exitCode = await watchSweep(ctx.api, started.id, ctx.json);
    });
  withPaging(sweep.command('list').description("list your tenant's sweeps, newest first"))
    .option('--status <status>', 'only sweeps in this status (RUNNING, SUCCEEDED, FAILED, CANCELLED)')
    .action(async (opts: { first?: number; after?: string; status?: string }, cmd: Command) => {
      const ctx = contextOf(cmd);
      // An unknown status goes to the server as given, which refuses it with BAD_USER_INPUT naming it.
      const status = opts.status?.toUpperCase() as RunStatus | undefined;
      const data = await ctx.api.request(CliSweepsDocument, { first: opts.first, after: opts.after, status });
      printPage(data.sweeps, ctx.json, ['ID', 'STATUS', 'STRATEGY', 'MODEL', 'TRIALS', 'OBJECTIVE', 'BEST', 'CREATED'], (s) => [
        s.id,
        s.status,
        s.strategy,
        s.modelName,
        s.maxTrials,
        `${s.objective.direction.toLowerCase()} ${s.objective.metric.toLowerCase()}`,
        s.bestVersion ? `v${s.bestVersion.version}` : undefined,
        s.createdAt,
      ]);
    });
  sweep
    .command('watch')
    .description("follow a sweep's leaderboard until it ends (Ctrl-C stops watching, not the sweep)")
    .argument('<id>', 'the sweep id')
    .action(async (id: string, _opts: unknown, cmd: Command) => {
      const ctx = contextOf(cmd);
      process.exitCode = await watchSweep(ctx.api, id, ctx.json);
    });
  sweep
    .command('cancel')
    .description('cancel a running sweep (its queued and running trial runs are cancelled)')
    .argument('<id>', 'the sweep id')
    .action(async (id: string, _opts: unknown, cmd: Command) => {
      const ctx = contextOf(cmd);
      const data = await ctx.api.request(CliCancelSweepDocument, { id });
      if (ctx.json) return printJson(data.cancelSweep);
      say(`Sweep ${id} is ${data.cancelSweep.status}`);
    });
  return sweep;
}
