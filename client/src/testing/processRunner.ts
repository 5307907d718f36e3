// Runs a command to its end, streaming what it writes, and stops it with everything it started when
// asked: the one place the testing feature touches processes, behind a small interface so the rest can
// run with a fake. The command leads a process group of its own (`go test` starts the test binary as its
// child), so a cancel reaches the whole group: SIGTERM, then SIGKILL if it is still there after a grace
// period (on Windows, `taskkill /T /F` ends the tree). A cancelled run resolves only once no process of
// the group is left, so the caller can remove what it was writing.

import { spawn, type ChildProcess } from 'node:child_process';

export interface ProcessRequest {
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  /** Aborting it stops the process and everything it started. */
  readonly signal?: AbortSignal;
  /** Output as it arrives, decoded as UTF-8 (a character split across chunks is kept whole). */
  readonly onOutput: (text: string, stream: 'stdout' | 'stderr') => void;
}

export interface ProcessResult {
  readonly exitCode: number | null;
  /** The signal that ended the command, if one did. */
  readonly signal: NodeJS.Signals | null;
  /** The run was stopped because `signal` was aborted. */
  readonly cancelled: boolean;
}

export interface ProcessRunner {
  /** Resolves when the command has ended; rejects when it could not be started (e.g. ENOENT). */
  run(request: ProcessRequest): Promise<ProcessResult>;
}

/** Time the group has after SIGTERM before SIGKILL. */
const TERMINATE_GRACE_MS = 3000;
/** Time output may still arrive after the command exited (from a process it left running), before it is no longer waited for. */
const OUTPUT_GRACE_MS = 5000;
/** How often, and how long at most, a cancelled run checks that its process group is gone. */
const GROUP_POLL_MS = 50;
const GROUP_WAIT_MS = 10000;

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  if (process.platform === 'win32') {
    spawn('taskkill', ['/pid', String(child.pid), '/T', '/F'], { stdio: 'ignore', windowsHide: true }).on('error', () => undefined);
    return;
  }
  try {
    process.kill(-child.pid, signal);
  } catch {
    // The group is gone already.
  }
}

/** Whether a process of the group led by `pid` is still running (always false on Windows, where taskkill waited). */
function groupAlive(pid: number): boolean {
  if (process.platform === 'win32') return false;
  try {
    process.kill(-pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function groupGone(pid: number): Promise<void> {
  const deadline = Date.now() + GROUP_WAIT_MS;
  while (groupAlive(pid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, GROUP_POLL_MS));
}

export const nodeProcessRunner: ProcessRunner = {
  run(request) {
    return new Promise<ProcessResult>((resolve, reject) => {
      if (request.signal?.aborted) return resolve({ exitCode: null, signal: null, cancelled: true });
      let child: ChildProcess;
      try {
        child = spawn(request.command, [...request.args], {
          cwd: request.cwd,
          env: request.env,
          stdio: ['ignore', 'pipe', 'pipe'],
          detached: process.platform !== 'win32',
          windowsHide: true,
        });
      } catch (error) {
        return reject(error);
      }
      let cancelled = false;
      let killTimer: NodeJS.Timeout | undefined;
      const onAbort = (): void => {
        cancelled = true;
        signalGroup(child, 'SIGTERM');
        killTimer = setTimeout(() => signalGroup(child, 'SIGKILL'), TERMINATE_GRACE_MS);
      };
      request.signal?.addEventListener('abort', onAbort, { once: true });
      child.stdout!.setEncoding('utf8').on('data', (text: string) => request.onOutput(text, 'stdout'));
      child.stderr!.setEncoding('utf8').on('data', (text: string) => request.onOutput(text, 'stderr'));

      let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
      let settled = false;
      const finish = async (): Promise<void> => {
        if (settled || !exit) return;
        settled = true;
        clearTimeout(killTimer);
        request.signal?.removeEventListener('abort', onAbort);
        if (cancelled && child.pid !== undefined) {
          signalGroup(child, 'SIGKILL');
          await groupGone(child.pid);
        }
        resolve({ exitCode: exit.code, signal: exit.signal, cancelled });
      };
      child.once('error', (error) => {
        if (exit || settled) return;
        settled = true;
        request.signal?.removeEventListener('abort', onAbort);
        reject(error);
      });
      child.once('exit', (code, signal) => {
        exit = { code, signal };
        // Output may trail the exit; a process left behind holding the pipes is not waited for long.
        setTimeout(() => {
          child.stdout?.destroy();
          child.stderr?.destroy();
          void finish();
        }, OUTPUT_GRACE_MS).unref();
      });
      child.once('close', () => void finish());
    });
  },
};
