// Entry of dist/cli.js (the `go-trace-lens` bin).

import { processIO, runCli } from './main';

void runCli(process.argv.slice(2), processIO).then((code) => {
  process.exitCode = code;
});
