// The `go test` command line that profiles one test, one benchmark or a package's tests or benchmarks,
// and what its output is called. A test runs alone (`-run '^TestX$'`), a benchmark alone and without the
// tests (`-run '^$' -bench '^BenchmarkX$'`); `-count=1` so nothing comes from the test cache; `-v` so the
// output says what ran; the profile flag writes the file when the tests end (`-blockprofile` and
// `-mutexprofile` set their rates to 1 themselves, see `go help testflag`); `-o` keeps the test binary
// next to the profile, for `go tool pprof`. Saved files are named as captures are, with the package and
// the function as the "endpoint" (`shop.BenchmarkPriceBasket-cpu-20250131T154501Z.pb.gz`), so the
// Captures view lists them with their kind and test. Pure: no vscode, no Node.

import type { CaptureKindId } from '../../../core/capture';
import type { TestFunctionKind } from '../../../common/testingProtocol';

export type TestProfileKindId = 'cpu' | 'memory' | 'block' | 'mutex' | 'trace';

export interface TestProfileKind {
  readonly id: TestProfileKindId;
  /** "CPU profile", "Execution trace" (a picker's row). */
  readonly label: string;
  /** "CPU profile", "execution trace" (inside a sentence). */
  readonly noun: string;
  readonly description: string;
  /** The `go test` flag that writes it. */
  readonly flag: '-cpuprofile' | '-memprofile' | '-blockprofile' | '-mutexprofile' | '-trace';
  /** The capture kind of the file it writes (the testing package writes the "allocs" profile for -memprofile). */
  readonly captureKind: CaptureKindId;
}

export const TEST_PROFILE_KINDS: readonly TestProfileKind[] = [
  { id: 'cpu', label: 'CPU profile', noun: 'CPU profile', description: 'where CPU time goes', flag: '-cpuprofile', captureKind: 'cpu' },
  { id: 'memory', label: 'Memory profile', noun: 'memory profile', description: 'allocations, by allocation site', flag: '-memprofile', captureKind: 'allocs' },
  { id: 'block', label: 'Block profile', noun: 'block profile', description: 'where goroutines blocked on synchronization', flag: '-blockprofile', captureKind: 'block' },
  { id: 'mutex', label: 'Mutex profile', noun: 'mutex profile', description: 'holders of contended mutexes', flag: '-mutexprofile', captureKind: 'mutex' },
  { id: 'trace', label: 'Execution trace', noun: 'execution trace', description: 'every scheduling, GC and syscall event', flag: '-trace', captureKind: 'trace' },
];

export function findTestProfileKind(id: string): TestProfileKind | undefined {
  return TEST_PROFILE_KINDS.find((kind) => kind.id === id);
}

/** What `go test` runs: one function, or all the tests or all the benchmarks of the package. */
export type TestTarget =
  | { readonly kind: TestFunctionKind; readonly name: string }
  | { readonly kind: 'package'; readonly run: 'tests' | 'benchmarks' };

/** Go's regexp.QuoteMeta: `s` as a pattern that matches exactly `s`. */
export function quoteMeta(s: string): string {
  return s.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&');
}

/** The `-run`/`-bench` flags that select the target. */
export function selectionFlags(target: TestTarget): string[] {
  switch (target.kind) {
    case 'test':
      return ['-run', `^${quoteMeta(target.name)}$`];
    case 'benchmark':
      return ['-run', '^$', '-bench', `^${quoteMeta(target.name)}$`];
    case 'package':
      return target.run === 'benchmarks' ? ['-run', '^$', '-bench', '.'] : [];
  }
}

export interface GoTestCommand {
  readonly target: TestTarget;
  readonly profile: TestProfileKind;
  /** Absolute path the profile (or trace) is written to. */
  readonly profileFile: string;
  /** Absolute path the test binary is written to. */
  readonly binaryFile: string;
}

/** The arguments of `go` (run in the package's folder) for one profiling run. */
export function goTestArgs(command: GoTestCommand): string[] {
  return ['test', '-count=1', '-v', ...selectionFlags(command.target), command.profile.flag, command.profileFile, '-o', command.binaryFile, '.'];
}

/** What the run is about, in a sentence: "BenchmarkPriceBasket", "the tests of shop". */
export function describeTarget(target: TestTarget, packageName: string): string {
  if (target.kind !== 'package') return target.name;
  return `the ${target.run} of ${packageName}`;
}

/** The "endpoint" part of the saved file's name: `shop.BenchmarkPriceBasket`, `shop.tests`. */
export function savedFileSubject(target: TestTarget, packageName: string): string {
  return `${packageName}.${target.kind === 'package' ? target.run : target.name}`;
}

/** The test binary kept next to a saved profile: `shop.TestX-cpu-….test` for `shop.TestX-cpu-….pb.gz`. */
export function binaryNameFor(savedFileName: string): string {
  return `${savedFileName.replace(/\.(?:pb\.gz|pb|trace)$/, '')}.test`;
}

/** The command line as a user would type it (for the output channel): arguments with spaces or metacharacters quoted. */
export function formatCommandLine(command: string, args: readonly string[]): string {
  return [command, ...args].map((arg) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`)).join(' ');
}
