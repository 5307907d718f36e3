// Every CLI command, in the order `go-trace-lens --help` lists them.

import { checkCommand } from './checkCommand';
import type { CliCommand } from './io';
import { pprofCommand } from './pprofCommand';

export const CLI_COMMANDS: readonly CliCommand[] = [checkCommand, pprofCommand];
