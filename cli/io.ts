// What a CLI command gets to talk to the world: its output streams and working directory. Passing them
// in (rather than using process.* directly) lets the tests run commands in-process.

export interface CliIO {
  readonly cwd: string;
  out(text: string): void;
  err(text: string): void;
  /** Writes binary output (a profile) to stdout; absent where stdout takes text only. */
  outBytes?(bytes: Uint8Array): void;
  /** Whether stdout is a terminal, where binary output is refused. */
  readonly stdoutIsTTY?: boolean;
}

export interface CliCommand {
  readonly name: string;
  /** One line for `go-trace-lens --help`. */
  readonly summary: string;
  /** The command's own `--help` text. */
  readonly usage: string;
  /** Returns the exit code: 0 ok, 1 findings/failure the command reports, 2 usage or input error. */
  run(argv: readonly string[], io: CliIO): Promise<number>;
}
