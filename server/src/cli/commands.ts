// Every CLI command, in the order `go-trace-lens --help` lists them.

import { checkCommand } from './checkCommand';
import type { CliCommand } from './io';

export const CLI_COMMANDS: readonly CliCommand[] = [checkCommand];
