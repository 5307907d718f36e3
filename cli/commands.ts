// Every CLI command, in the order `go-trace-lens --help` lists them.

import { captureCommand } from './captureCommand';
import { checkCommand } from './checkCommand';
import type { CliCommand } from './io';
import { pprofCommand } from './pprofCommand';
import { traceCommand } from './traceCommand';

export const CLI_COMMANDS: readonly CliCommand[] = [checkCommand, captureCommand, pprofCommand, traceCommand];
