// One profiling run of `go test`, from the command line to a saved file: go test writes the profile (or
// trace) into a hidden temporary file in the captures folder and the test binary next to it; once it has
// exited, the file is checked by its head as a capture is (a pprof profile the decoder starts reading, an
// execution trace's header) and only then moved to its capture name (never replacing one), the binary
// beside it. A cancel, a crash before the file was written, an empty or unreadable file, or a run in which
// the test never ran leaves nothing behind, and the result says why. No vscode: the editor's side
// (progress, output channel, messages) is goTestController.ts; processes go through a ProcessRunner.

import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { captureFileName, findCaptureKind, formatBytes, partialFileName } from '../../../core/capture';
import { makeFolder, moveIntoPlace, readFileHead } from '../../../core/capture/index.node';
import { ProfileError } from '../../../core/profiles';
import { checkProfileHead } from '../../../core/profiles/index.node';
import { TraceError, readExecutionTraceHeader } from '../../../core/timeline';
import { binaryNameFor, describeTarget, formatCommandLine, goTestArgs, savedFileSubject, type TestProfileKind, type TestTarget } from './goTestArgs';
import { GoTestOutputReader, type GoTestVerdict } from './goTestOutcome';
import type { ProcessRunner } from './processRunner';

export interface GoTestRunRequest {
  /** The go command (absolute path, or a name on PATH). */
  readonly go: string;
  /** The package's folder: go test runs there, on `.`. */
  readonly packageDir: string;
  readonly target: TestTarget;
  readonly profile: TestProfileKind;
  /** Where the saved file goes (created when missing). */
  readonly captureFolder: string;
  readonly env: NodeJS.ProcessEnv;
  readonly signal?: AbortSignal;
  /** The time in the saved file's name (default: now). */
  readonly startedAt?: Date;
  /** The command line, just before go starts. */
  readonly onStart?: (commandLine: string) => void;
  /** go test's output as it arrives (stdout and stderr). */
  readonly onOutput?: (text: string) => void;
  /** `running` once the test binary writes its first line (the build is done). */
  readonly onPhase?: (phase: 'building' | 'running' | 'checking') => void;
}

export interface SavedTestFile {
  readonly path: string;
  readonly fileName: string;
  readonly bytes: number;
  /** The test binary kept next to it, when go test wrote one. */
  readonly binary?: string;
  /** Something the user should know about the file (a CPU profile without samples, a trace cut short). */
  readonly notice?: string;
}

export type GoTestRunResult =
  | { readonly status: 'cancelled'; readonly commandLine: string }
  /** go could not be started at all (the error's code, e.g. ENOENT, and message). */
  | { readonly status: 'not-started'; readonly commandLine: string; readonly code: string; readonly message: string }
  | {
      readonly status: 'finished';
      readonly commandLine: string;
      readonly verdict: GoTestVerdict;
      readonly exitCode: number | null;
      readonly elapsedMs: number;
      /** The saved profile or trace; absent when nothing was kept, and `unsaved` says why. */
      readonly saved?: SavedTestFile;
      readonly unsaved?: string;
    };

/** The head of a file checked before it is kept; a profile that fits is decoded whole. */
const HEAD_BYTES = 64 * 1024;
/** Largest decompressed profile the head check accepts (the profile feature applies its own limit when it loads the file). */
const MAX_DECOMPRESSED_BYTES = 1024 * 1024 * 1024;

/** Why go test wrote no file (or an empty one), from what the run came to. */
function whyNothingWritten(verdict: GoTestVerdict, profile: TestProfileKind, subject: string): string {
  const what = `the ${profile.noun}`;
  switch (verdict.status) {
    case 'build-failed':
      return `go test could not build the package (${verdict.error}), so ${subject} never ran`;
    case 'go-failed':
      return `go test failed before ${subject} ran: ${verdict.error}`;
    case 'crashed':
      return `the test binary ${verdict.why} before it wrote ${what} (go test writes it when the tests end)`;
    case 'nothing-ran':
      return verdict.why;
    default:
      return `go test wrote no ${profile.noun} (its output may say why)`;
  }
}

type Checked = { readonly keep: true; readonly notice?: string } | { readonly keep: false; readonly why: string };

/** Whether the file go test wrote is what the kind says, by its head (nothing beyond it is read here). */
async function checkWritten(file: string, profile: TestProfileKind, verdict: GoTestVerdict, subject: string): Promise<Checked> {
  const read = await readFileHead(file, HEAD_BYTES).catch(() => undefined);
  if (!read || read.size === 0) return { keep: false, why: whyNothingWritten(verdict, profile, subject) };
  if (verdict.status === 'nothing-ran') return { keep: false, why: verdict.why };
  const { head, size } = read;
  if (findCaptureKind(profile.captureKind)?.validator === 'trace') {
    const cutShort = verdict.status === 'crashed' ? `The execution trace ends where the test binary ${verdict.why}.` : undefined;
    try {
      readExecutionTraceHeader(head);
      return { keep: true, ...(cutShort ? { notice: cutShort } : {}) };
    } catch (error) {
      if (!(error instanceof TraceError)) throw error;
      // A real trace in a format the timeline does not read is still what go test wrote: kept, with why it will not open.
      if (error.code === 'trace-too-old' || error.code === 'unsupported-trace-version') return { keep: true, notice: error.message };
      return { keep: false, why: `go test wrote an execution trace that cannot be read: ${error.message}` };
    }
  }
  try {
    const checked = await checkProfileHead(head, size <= head.length, { maxDecompressedBytes: MAX_DECOMPRESSED_BYTES });
    const noSamples =
      checked.sampleCount === 0 && profile.id === 'cpu'
        ? `The CPU profile has no samples: ${subject} ran for less than the profiler's 10 ms sampling period. Profile a benchmark, or a test that runs longer.`
        : undefined;
    return { keep: true, ...(noSamples ? { notice: noSamples } : {}) };
  } catch (error) {
    if (!(error instanceof ProfileError)) throw error;
    return { keep: false, why: `go test wrote a ${profile.noun} that cannot be read (${error.message})` };
  }
}

async function removeQuietly(...files: string[]): Promise<void> {
  await Promise.all(files.map((file) => fs.rm(file, { force: true }).catch(() => undefined)));
}

/** Runs go test for the request and keeps what it wrote, or nothing. */
export async function runGoTest(request: GoTestRunRequest, runner: ProcessRunner): Promise<GoTestRunResult> {
  const startedAt = request.startedAt ?? new Date();
  const packageName = path.basename(request.packageDir);
  const subject = describeTarget(request.target, packageName);
  const kind = findCaptureKind(request.profile.captureKind)!;
  const nameFor = (sequence: number) =>
    captureFileName({ endpointName: savedFileSubject(request.target, packageName), kind: kind.id, time: startedAt, sequence, extension: kind.extension });
  const unique = randomBytes(6).toString('hex');
  const partial = path.join(request.captureFolder, partialFileName(nameFor(1), unique));
  const binaryPartial = path.join(request.captureFolder, partialFileName(binaryNameFor(nameFor(1)), unique));
  const args = goTestArgs({ target: request.target, profile: request.profile, profileFile: partial, binaryFile: binaryPartial });
  const commandLine = formatCommandLine(request.go, args);

  let removeCreatedFolders: () => Promise<void>;
  try {
    removeCreatedFolders = await makeFolder(request.captureFolder);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown';
    return { status: 'not-started', commandLine, code, message: `cannot save in ${request.captureFolder} (${code}); choose a captures folder you can write to (goTraceLens.capture.folder)` };
  }
  const reader = new GoTestOutputReader(request.target);
  let running = false;
  const started = Date.now();
  let kept = false;
  try {
    request.onStart?.(commandLine);
    request.onPhase?.('building');
    let exit;
    try {
      exit = await runner.run({
        command: request.go,
        args,
        cwd: request.packageDir,
        env: request.env,
        ...(request.signal ? { signal: request.signal } : {}),
        onOutput: (text, stream) => {
          reader.push(text);
          request.onOutput?.(text);
          if (stream === 'stdout' && !running) {
            running = true;
            request.onPhase?.('running');
          }
        },
      });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'unknown';
      return { status: 'not-started', commandLine, code, message: error instanceof Error ? error.message : String(error) };
    }
    if (exit.cancelled) return { status: 'cancelled', commandLine };
    request.onPhase?.('checking');
    const verdict = reader.verdict({ exitCode: exit.exitCode, signal: exit.signal });
    const finished = { status: 'finished' as const, commandLine, verdict, exitCode: exit.exitCode, elapsedMs: Date.now() - started };
    const checked = await checkWritten(partial, request.profile, verdict, subject);
    if (!checked.keep) return { ...finished, unsaved: checked.why };
    const savedPath = await moveIntoPlace(partial, request.captureFolder, nameFor);
    kept = true;
    const fileName = path.basename(savedPath);
    let binary: string | undefined = path.join(request.captureFolder, binaryNameFor(fileName));
    try {
      await fs.rename(binaryPartial, binary);
    } catch {
      binary = undefined;
    }
    const { size } = await fs.stat(savedPath);
    return { ...finished, saved: { path: savedPath, fileName, bytes: size, ...(binary ? { binary } : {}), ...(checked.notice ? { notice: checked.notice } : {}) } };
  } finally {
    await removeQuietly(binaryPartial, ...(kept ? [] : [partial]));
    if (!kept) await removeCreatedFolders();
  }
}

/** One line for the log: "saved shop.BenchmarkX-cpu-….pb.gz (12.3 KB)". */
export function describeSaved(saved: SavedTestFile): string {
  return `saved ${saved.fileName} (${formatBytes(saved.bytes)})${saved.binary ? `, test binary ${path.basename(saved.binary)}` : ''}`;
}
