// The installed Go toolchain, for tests that build real Go programs and use `go tool pprof` / `go tool
// trace` as the reference. Outside CI a missing toolchain skips those tests with a reason; with CI=true it
// is a failure, never a silent skip.

import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { delimiter, join } from 'node:path';

export const REPO_ROOT = join(__dirname, '..', '..');
export const GO_PROGRAMS = join(REPO_ROOT, 'test', 'go');
export const CACHE_DIR = join(REPO_ROOT, 'test', '.cache');

const CANDIDATE_DIRS = ['/usr/lib/go-1.23/bin', '/usr/local/go/bin'];

let cached: string | null | undefined;

/** Absolute path of `go`, or null when none is installed. Prefers PATH, then the Debian 1.23 location. */
export function findGo(): string | null {
  if (cached !== undefined) return cached;
  const dirs = [...(process.env.PATH ?? '').split(delimiter), ...CANDIDATE_DIRS];
  cached = dirs.map((d) => join(d, 'go')).find((p) => existsSync(p)) ?? null;
  return cached;
}

/** Environment for running Go: never download a toolchain or modules. */
export function goEnv(): NodeJS.ProcessEnv {
  return { ...process.env, GOTOOLCHAIN: 'local', GOFLAGS: '-mod=mod', GOPROXY: 'off', GOTELEMETRY: 'off' };
}

/**
 * Returns `go`, or calls `skip` with the reason when it is missing (and throws under CI=true).
 * Use as: `const go = requireGo((why) => t.skip(why)); if (!go) return;`
 */
export function requireGo(skip: (reason: string) => void): string | null {
  const go = findGo();
  if (go) return go;
  const reason = 'the Go toolchain is not installed (apt-get install -t bookworm-backports golang-1.23-go)';
  if (process.env.CI === 'true') throw new Error(`CI=true and ${reason}`);
  skip(reason);
  return null;
}

/** Runs `go <args>` and returns stdout; throws with Go's stderr on failure. */
export function runGo(args: readonly string[], options: { cwd?: string; maxBuffer?: number } = {}): string {
  const go = findGo();
  if (!go) throw new Error('the Go toolchain is not installed');
  try {
    return execFileSync(go, args, { cwd: options.cwd ?? GO_PROGRAMS, env: goEnv(), encoding: 'utf8', maxBuffer: options.maxBuffer ?? 256 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    const e = error as { stderr?: string; message: string };
    throw new Error(`go ${args.join(' ')} failed: ${e.stderr || e.message}`);
  }
}

const built = new Map<string, string>();

/** Builds test/go/<program> once per process; returns the binary's path. */
export function buildGoProgram(program: string): string {
  const existing = built.get(program);
  if (existing) return existing;
  const binDir = join(CACHE_DIR, 'bin');
  mkdirSync(binDir, { recursive: true });
  const out = join(binDir, program);
  runGo(['build', '-o', out, `./${program}`]);
  built.set(program, out);
  return out;
}

export interface RunningService {
  /** e.g. http://127.0.0.1:41234 */
  readonly url: string;
  readonly process: ChildProcess;
  stop(): Promise<void>;
}

/** Starts a built program that prints "listening on http://ADDR", and waits for that line. */
export function startGoService(binary: string, args: readonly string[] = [], timeoutMs = 15000): Promise<RunningService> {
  return startListeningProcess(binary, ['-addr', '127.0.0.1:0', ...args], { timeoutMs });
}

/** Starts `command args` and waits for the line "listening on http://ADDR" on its stdout or stderr. */
export function startListeningProcess(command: string, args: readonly string[], options: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<RunningService> {
  const timeoutMs = options.timeoutMs ?? 15000;
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${command} did not report its address within ${timeoutMs} ms: ${output}`));
    }, timeoutMs);
    const onData = (data: Buffer) => {
      output += data.toString();
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (!match) return;
      clearTimeout(timer);
      child.stdout.off('data', onData);
      child.stderr.off('data', onData);
      resolve({
        url: match[1]!,
        process: child,
        stop: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null || child.signalCode !== null) return done();
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${command} exited with ${code} before listening: ${output}`));
    });
  });
}
