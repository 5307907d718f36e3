// What the benchmarks measure of a child process: its wall time (and output) and its peak memory.

import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** Runs a command to its end: wall milliseconds, its output as text and as bytes; throws when it fails. */
export function timeRun(command, args, env) {
  const start = process.hrtime.bigint();
  const result = spawnSync(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 256 * 1024 * 1024 });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${result.status}): ${result.stderr}`);
  return { ms, stdout: result.stdout.toString(), stderr: result.stderr.toString(), bytes: result.stdout };
}

/** Peak RSS (KiB) of a command and its children, via python3's getrusage or /usr/bin/time; null if neither. */
export function peakRss(command, args, env) {
  if (existsSync('/usr/bin/python3')) {
    const script = 'import resource,subprocess,sys\nsubprocess.run(sys.argv[1:],stdout=subprocess.DEVNULL,stderr=subprocess.DEVNULL,check=True)\nprint(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)';
    return Number(execFileSync('/usr/bin/python3', ['-c', script, command, ...args], { env, encoding: 'utf8' }).trim());
  }
  if (existsSync('/usr/bin/time')) {
    const r = spawnSync('/usr/bin/time', ['-f', '%M', command, ...args], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    return Number(r.stderr.toString().trim().split('\n').pop());
  }
  return null;
}
