// What a profiling run tells the user and the output channel: one line closing the run in the channel,
// and the message that says plainly how it went (a failing test, a build error, a crash, no profile and
// why). A run that passed and saved its file needs no popup: the file opens and the status bar says so.
// Pure: no vscode, no Node.

import { formatBytes } from '../../../core/capture';
import type { GoTestVerdict } from './goTestOutcome';
import type { GoTestRunResult } from './goTestRun';

export interface RunReport {
  /** Closes the run in the output channel. */
  readonly logLine: string;
  /** The popup, if the run needs one (with "Show Output"). */
  readonly popup?: { readonly severity: 'warning' | 'error'; readonly message: string };
  /** The status bar message, for a run that needs no popup. */
  readonly status?: string;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

function headline(verdict: GoTestVerdict, subject: string): string {
  switch (verdict.status) {
    case 'passed':
      return `${subject} passed`;
    case 'failed':
      return `${verdict.failedTests.length > 0 ? verdict.failedTests.join(', ') : subject} failed`;
    case 'build-failed':
      return `go test could not build the package: ${verdict.error}`;
    case 'crashed':
      return `the test binary ${verdict.why}`;
    case 'nothing-ran':
      return verdict.why;
    case 'go-failed':
      return `go test failed: ${verdict.error}`;
  }
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The report of a run that writes a `noun` ("CPU profile") for `subject` ("BenchmarkX", "the tests of shop"). */
export function reportRun(result: GoTestRunResult, subject: string, noun: string): RunReport {
  switch (result.status) {
    case 'cancelled':
      return { logLine: 'Cancelled: go test was stopped and nothing was saved.', status: `$(circle-slash) Profiling ${subject} cancelled; nothing was saved.` };
    case 'not-started':
      return {
        logLine: `go could not be started: ${result.message}`,
        popup: { severity: 'error', message: `Go Trace Lens could not run go test (${result.code}): ${result.message}` },
      };
    case 'finished':
      break;
  }
  const ended = `go test ended with exit status ${result.exitCode ?? 'none'} after ${seconds(result.elapsedMs)}: ${headline(result.verdict, subject)}.`;
  if (!result.saved) {
    return {
      logLine: `${ended} No ${noun} was saved: ${result.unsaved ?? 'go test wrote none'}.`,
      popup: { severity: result.verdict.status === 'nothing-ran' ? 'warning' : 'error', message: `No ${noun} of ${subject}: ${result.unsaved ?? 'go test wrote none'}.` },
    };
  }
  const saved = `Saved ${result.saved.fileName} (${formatBytes(result.saved.bytes)})${result.saved.binary ? ' with its test binary' : ''}.`;
  const logLine = `${ended} ${saved}${result.saved.notice ? ` ${result.saved.notice}` : ''}`;
  if (result.verdict.status === 'passed') {
    const status = `$(check) ${subject}: ${noun} saved (${formatBytes(result.saved.bytes)})`;
    return result.saved.notice ? { logLine, status, popup: { severity: 'warning', message: result.saved.notice } } : { logLine, status };
  }
  const message = `${capitalize(headline(result.verdict, subject))}; its ${noun} was saved anyway.${result.saved.notice ? ` ${result.saved.notice}` : ''}`;
  return { logLine, popup: { severity: 'warning', message } };
}
