/** `maas datasets upload|list`. */
import fs from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { CliDatasetsDocument } from '../../generated/graphql';
import { contextOf, withPaging } from '../context';
import { CliError } from '../errors';
import { printJson, printPage, say } from '../output';

/** The `datasets` command group. */
export function datasetsCommand(): Command {
  const datasets = new Command('datasets').description('upload and list datasets');
  datasets
    .command('upload')
    .description('upload a CSV file as a dataset')
    .argument('<file>', 'a CSV file')
    .option('--name <name>', 'the dataset name (Default: the file name without extension)')
    .action(async (file: string, opts: { name?: string }, cmd: Command) => {
      const ctx = contextOf(cmd);
      let content: Buffer;
      try {
        content = fs.readFileSync(file);
      } catch (err) {
        throw new CliError('BAD_FILE', `Cannot read '${file}': ${(err as Error).message}`);
      }
      const name = opts.name ?? path.basename(file, path.extname(file));
      const d = await ctx.api.upload(name, path.basename(file), content);
      if (ctx.json) return printJson(d);
      say(`Uploaded dataset ${d.id} '${d.name}': ${d.rowCount} rows, columns ${d.columns.map((c) => c.name).join(', ')}`);
    });
  withPaging(datasets.command('list').description("list your tenant's datasets, newest first"))
    .option('--name <part>', 'only names containing this')
    .action(async (opts: { first?: number; after?: string; name?: string }, cmd: Command) => {
      const ctx = contextOf(cmd);
      const data = await ctx.api.request(CliDatasetsDocument, opts);
      printPage(data.datasetsConnection, ctx.json, ['ID', 'NAME', 'ROWS', 'COLUMNS', 'CREATED'], (d) => [d.id, d.name, d.rowCount, d.columns.length, d.createdAt]);
    });
  return datasets;
}
