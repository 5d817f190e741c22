/** `maas runs list|watch|cancel`. */
import { Command } from 'commander';
import { CliCancelRunDocument, CliRunsDocument, type RunStatus } from '../../generated/graphql';
import { contextOf, withPaging } from '../context';
import { printJson, printPage, say } from '../output';
import { watchRun } from '../watch-progress';

/** The `runs` command group. */
export function runsCommand(): Command {
  const runs = new Command('runs').description('list, watch and cancel training runs');
  withPaging(runs.command('list').description("list your tenant's training runs, newest first"))
    .option('--status <status>', 'only runs in this status (QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED)')
    .option('--model <part>', 'only runs whose model name contains this')
    .action(async (opts: { first?: number; after?: string; status?: string; model?: string }, cmd: Command) => {
      const ctx = contextOf(cmd);
      // An unknown status goes to the server as given, which refuses it with BAD_USER_INPUT naming it.
      const status = opts.status?.toUpperCase() as RunStatus | undefined;
      const data = await ctx.api.request(CliRunsDocument, { first: opts.first, after: opts.after, status, modelName: opts.model });
      printPage(data.trainingRunsConnection, ctx.json, ['ID', 'STATUS', 'MODEL', 'VERSION', 'DATASET', 'CREATED'], (r) => [
        r.id,
        r.failureCode ? `${r.status} (${r.failureCode})` : r.status,
        r.modelName,
        r.modelVersion?.version,
        r.datasetId,
        r.createdAt,
      ]);
    });
  runs
    .command('watch')
    .description("follow a run's progress until it ends (Ctrl-C stops watching, not the run)")
    .argument('<id>', 'the training run id')
    .action(async (id: string, _opts: unknown, cmd: Command) => {
      const ctx = contextOf(cmd);
      process.exitCode = await watchRun(ctx.api, id, ctx.json);
    });
  runs
    .command('cancel')
    .description('cancel a queued or running run')
    .argument('<id>', 'the training run id')
    .action(async (id: string, _opts: unknown, cmd: Command) => {
      const ctx = contextOf(cmd);
      const data = await ctx.api.request(CliCancelRunDocument, { id });
      if (ctx.json) return printJson(data.cancelTrainingRun);
      say(`Run ${id} is ${data.cancelTrainingRun.status}`);
    });
  return runs;
}
