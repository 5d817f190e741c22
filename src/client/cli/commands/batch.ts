/** `maas batch start|download`: batch predictions over a stored dataset, and their CSV results. */
import fs from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Command } from 'commander';
import { CliBatchPredictionDocument, CliStartBatchPredictionDocument } from '../../generated/graphql';
import { contextOf } from '../context';
import { CliError } from '../errors';
import { printJson, say } from '../output';
import { versionNumber } from './predict';

/** The `batch` command group. */
export function batchCommand(): Command {
  const batch = new Command('batch').description('batch predictions over a dataset');
  batch
    .command('start')
    .description('predict every row of a dataset with a model version, as a job')
    .requiredOption('--dataset <id>', 'the dataset')
    .requiredOption('--model <name>', 'the model name')
    .option('--version <n>', 'a version number (Default: the latest)', versionNumber)
    .option('--alias <alias>', 'an alias instead of a version')
    .action(async (opts: { dataset: string; model: string; version?: number; alias?: string }, cmd: Command) => {
      const ctx = contextOf(cmd);
      const data = await ctx.api.request(CliStartBatchPredictionDocument, { datasetId: opts.dataset, model: opts.model, version: opts.version, alias: opts.alias });
      const b = data.startBatchPrediction;
      if (ctx.json) return printJson(b);
      say(`Started batch prediction ${b.id} (${b.status}, ${b.rowCount} rows); 'maas batch download ${b.id}' fetches the result once it SUCCEEDED`);
    });
  batch
    .command('download')
    .description("download a finished batch prediction's CSV")
    .argument('<id>', 'the batch prediction id')
    .option('-o, --output <file>', 'write to this file (Default: stdout)')
    .action(async (id: string, opts: { output?: string }, cmd: Command) => {
      const ctx = contextOf(cmd);
      const data = await ctx.api.request(CliBatchPredictionDocument, { id });
      const { status, downloadPath } = data.batchPrediction;
      if (!downloadPath) throw new CliError('INVALID_STATE', `Batch prediction ${id} is ${status}; its result can be downloaded once it SUCCEEDED`);
      const res = await ctx.api.download(downloadPath);
      const body = Readable.fromWeb(res.body as import('node:stream/web').ReadableStream);
      if (!opts.output) return pipeline(body, process.stdout, { end: false });
      await pipeline(body, fs.createWriteStream(opts.output));
      if (!ctx.json) process.stderr.write(`Saved batch prediction ${id} to ${opts.output}\n`);
      else printJson({ id, output: opts.output });
    });
  return batch;
}
