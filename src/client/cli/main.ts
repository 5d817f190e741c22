#!/usr/bin/env node
/** The `maas` executable (package.json `bin`): runs the command line and exits with its status. */
import { runCli } from './program';

void runCli(process.argv).then((code) => {
  process.exitCode = code;
});
