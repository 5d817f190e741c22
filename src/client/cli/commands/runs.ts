/** `maas runs list|watch|cancel`. */
import { Command } from 'commander';
import { contextOf, withPaging } from '../context';
import { printJson, printPage, say, type Page } from '../output';
import { watchRun } from '../watch-progress';

interface RunRow {
  id: string;
  status: string;
  modelName: string;
  datasetId: string;
  createdAt: string;
  modelVersion: { version: number } | null;
  failureCode: string | null;
}

/** The `runs` command group. */
export function runsCommand(): Command {
  const runs = new Command('runs').description('list, watch and cancel training runs');
  withPaging(runs.command('list').description("list your tenant's training runs, newest first"))
    .option('--status <status>', 'only runs in this status (QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED)')
    .option('--model <part>', 'only runs whose model name contains this')
    .action(async (opts: { first?: number; after?: string; status?: string; model?: string }, cmd: Command) => {
      const ctx = contextOf(cmd);
      const data = await ctx.api.request<{ trainingRunsConnection: Page<RunRow> }>(
        `query($first: Int, $after: String, $status: RunStatus, $modelName: String) {
          trainingRunsConnection(first: $first, after: $after, status: $status, modelName: $modelName) {
            totalCount pageInfo { hasNextPage endCursor }
            edges { cursor node { id status modelName datasetId createdAt failureCode modelVersion { version } } } } }`,
        { first: opts.first, after: opts.after, status: opts.status?.toUpperCase(), modelName: opts.model },
      );
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
      const data = await ctx.api.request<{ cancelTrainingRun: { id: string; status: string } }>('mutation($id: ID!) { cancelTrainingRun(id: $id) { id status } }', { id });
      if (ctx.json) return printJson(data.cancelTrainingRun);
      say(`Run ${id} is ${data.cancelTrainingRun.status}`);
    });
  return runs;
}
