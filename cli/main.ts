// The `go-trace-lens` command: dispatches to a subcommand over the same cores the extension uses.

import { CLI_COMMANDS } from './commands';
import { UsageError } from './args';
import type { CliIO } from './io';

declare const GO_TRACE_LENS_VERSION: string | undefined;

function version(): string {
  return typeof GO_TRACE_LENS_VERSION === 'string' ? GO_TRACE_LENS_VERSION : 'dev';
}

export function helpText(): string {
  const width = Math.max(...CLI_COMMANDS.map((c) => c.name.length));
  return [
    'go-trace-lens: trace-aware Go debugging from the terminal',
    '',
    'usage: go-trace-lens <command> [options] [arguments]',
    '',
    'commands:',
    ...CLI_COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Run "go-trace-lens <command> --help" for a command\'s options.',
    '',
  ].join('\n');
}

/** Runs the CLI and returns its exit code; never throws. */
export async function runCli(argv: readonly string[], io: CliIO): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.out(helpText());
    return name ? 0 : 2;
  }
  if (name === '--version') {
    io.out(`go-trace-lens ${version()}\n`);
    return 0;
  }
  const command = CLI_COMMANDS.find((c) => c.name === name);
  if (!command) {
    io.err(`go-trace-lens: unknown command "${name}".\n\n${helpText()}`);
    return 2;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`go-trace-lens ${name}: ${error.message}\n`);
      return 2;
    }
    io.err(`go-trace-lens ${name}: internal error: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
    return 2;
  }
}

export const processIO: CliIO = {
  cwd: process.cwd(),
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  outBytes: (bytes) => process.stdout.write(bytes),
  stdoutIsTTY: process.stdout.isTTY === true,
};
