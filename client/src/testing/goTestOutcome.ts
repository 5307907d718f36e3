// What a `go test -v` run came to, read from its output as it streams (line by line, keeping only what the
// verdict needs) and its exit: it passed; a test failed (`--- FAIL: TestX`); the package did not build
// (`FAIL pkg [build failed]`, or only a parse error, with the first error's file and line); the test binary
// crashed (`panic: …`, `fatal error: …`, a signal), in which case go test never wrote the profiles it
// writes when the tests end; nothing ran (no test files, no test or benchmark of that name); or go itself
// refused (`go: go.mod file not found…`). Pure: no vscode, no Node.

import type { TestTarget } from './goTestArgs';

export type GoTestVerdict =
  | { readonly status: 'passed' }
  | { readonly status: 'failed'; readonly failedTests: readonly string[] }
  | { readonly status: 'build-failed'; readonly error: string }
  /** `why` completes "the test binary …": "panicked (boom)", "was ended by SIGKILL". */
  | { readonly status: 'crashed'; readonly why: string }
  | { readonly status: 'nothing-ran'; readonly why: string }
  | { readonly status: 'go-failed'; readonly error: string };

export interface GoTestExit {
  readonly exitCode: number | null;
  /** The signal that ended `go`, when one did. */
  readonly signal: string | null;
}

const BUILD_FAILED = /^FAIL\s+(\S+)\s+\[(?:build|setup) failed\]/;
const COMPILER_ERROR = /^(?:\S+\.go):\d+(?::\d+)?: /;
const PANIC = /^panic: (.*?)(?: \[recovered\])?$/;
const FATAL = /^fatal error: (.*)$/;
const FAILED_TEST = /^--- FAIL: (\S+)/;
const NO_TEST_FILES = /^\?\s+(\S+)\s+\[no test files\]/;
const NO_TESTS_TO_RUN = /^testing: warning: no tests to run/;
const GO_ERROR = /^go: (.*)$/;
/** A benchmark's result line, or its name alone (what -v prints before it runs); sub-benchmarks are `BenchmarkX/sub`. */
const BENCHMARK_LINE = /^(Benchmark\S*?)(?:-\d+)?(?:\s|$)/;

/** Reads a run's output; `push` it as it arrives, then ask for the verdict once the process has exited. */
export class GoTestOutputReader {
  private pending = '';
  private buildFailed: string | undefined;
  private compilerError: string | undefined;
  private crash: string | undefined;
  private readonly failedTests: string[] = [];
  private sawFail = false;
  private noTestFiles: string | undefined;
  private noTestsToRun = false;
  private goError: string | undefined;
  private readonly benchmarks = new Set<string>();

  constructor(private readonly target: TestTarget) {}

  push(text: string): void {
    const lines = (this.pending + text).split('\n');
    this.pending = lines.pop() ?? '';
    for (const line of lines) this.line(line.replace(/\r$/, ''));
  }

  private line(line: string): void {
    let match: RegExpExecArray | null;
    if ((match = BUILD_FAILED.exec(line))) this.buildFailed ??= match[1]!;
    else if (COMPILER_ERROR.test(line)) this.compilerError ??= line.trim();
    else if ((match = PANIC.exec(line))) this.crash ??= `panicked (${match[1]})`;
    else if ((match = FATAL.exec(line))) this.crash ??= `stopped with a fatal error (${match[1]})`;
    else if ((match = FAILED_TEST.exec(line))) {
      this.sawFail = true;
      if (!this.failedTests.includes(match[1]!)) this.failedTests.push(match[1]!);
    } else if (/^FAIL\b/.test(line)) this.sawFail = true;
    else if ((match = NO_TEST_FILES.exec(line))) this.noTestFiles ??= match[1]!;
    else if (NO_TESTS_TO_RUN.test(line)) this.noTestsToRun = true;
    else if ((match = GO_ERROR.exec(line))) this.goError ??= match[1]!;
    else if ((match = BENCHMARK_LINE.exec(line))) this.benchmarks.add(match[1]!.split('/')[0]!);
  }

  /** The run's verdict, once it has exited (what is left of the last line is read first). */
  verdict(exit: GoTestExit): GoTestVerdict {
    if (this.pending !== '') {
      this.line(this.pending);
      this.pending = '';
    }
    if (this.buildFailed !== undefined) return { status: 'build-failed', error: this.compilerError ?? `${this.buildFailed} did not build (the output says why)` };
    if (this.crash !== undefined) return { status: 'crashed', why: this.crash };
    if (exit.signal !== null) return { status: 'crashed', why: `was ended by ${exit.signal}` };
    if (exit.exitCode !== 0) {
      if (this.sawFail) return { status: 'failed', failedTests: this.failedTests };
      // A file that does not parse stops go before any build: the error alone, no FAIL line (Go 1.23).
      if (this.compilerError !== undefined) return { status: 'build-failed', error: this.compilerError };
      if (this.goError !== undefined) return { status: 'go-failed', error: this.goError };
      return { status: 'go-failed', error: `go test exited with status ${exit.exitCode ?? 'unknown'} (the output says why)` };
    }
    if (this.noTestFiles !== undefined) return { status: 'nothing-ran', why: `${this.noTestFiles} has no test files` };
    return this.nothingRan() ?? { status: 'passed' };
  }

  private nothingRan(): GoTestVerdict | undefined {
    const target = this.target;
    if (target.kind === 'test' && this.noTestsToRun) return { status: 'nothing-ran', why: `go test found no test named ${target.name} (is its file saved, and built with the default build tags?)` };
    if (target.kind === 'benchmark' && !this.benchmarks.has(target.name)) return { status: 'nothing-ran', why: `go test found no benchmark named ${target.name} (is its file saved, and built with the default build tags?)` };
    if (target.kind === 'package') {
      if (target.run === 'tests' && this.noTestsToRun) return { status: 'nothing-ran', why: 'the package has no tests' };
      if (target.run === 'benchmarks' && this.benchmarks.size === 0) return { status: 'nothing-ran', why: 'the package has no benchmarks' };
    }
    return undefined;
  }
}
