/**
 * The `maas` command line (commander): the commands, the global `--json`, and how failures end:
 * `error CODE: message` on stderr, exit status 1 (2 when the command line does not parse).
 */
import { Command, CommanderError } from 'commander';
import { aliasCommand } from './commands/alias';
import { batchCommand } from './commands/batch';
import { datasetsCommand } from './commands/datasets';
import { loginCommand } from './commands/login';
import { modelsCommand } from './commands/models';
import { predictCommand } from './commands/predict';
import { runsCommand } from './commands/runs';
import { sweepsCommand } from './commands/sweeps';
import { trainCommand } from './commands/train';
import { EXIT_USAGE, reportError } from './errors';

/** The program with every command; errors throw instead of exiting (see runCli). */
export function buildProgram(): Command {
  const program = new Command('maas')
    .description('Model-as-a-Service from the command line: datasets, training runs, sweeps, models, predictions')
    .option('--json', 'print JSON (one document, or one line per event) for scripts')
    .showHelpAfterError(false);
  for (const cmd of [loginCommand(), datasetsCommand(), trainCommand(), runsCommand(), sweepsCommand(), modelsCommand(), aliasCommand(), predictCommand(), batchCommand()])
    program.addCommand(cmd);
  const quiet = (cmd: Command) => {
    // Commander's own error line is replaced by `error USAGE: …` (runCli); its help still prints.
    cmd.exitOverride().configureOutput({ outputError: () => undefined });
    cmd.commands.forEach(quiet);
  };
  quiet(program);
  return program;
}

/** Runs the command line `argv` (as process.argv: node, script, args…) and resolves to the exit status. */
export async function runCli(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version') return 0;
      if (err.code === 'commander.help') return EXIT_USAGE; // no (sub)command given: commander printed the help to stderr
      if (err.code === 'commander.executeSubCommandAsync') return err.exitCode;
      process.stderr.write(`error USAGE: ${err.message.replace(/^error: /, '')}\n`);
      return EXIT_USAGE;
    }
    return reportError(err);
  }
}
