// Runs checkFile over many files: in worker threads when there are many files and a worker script is
// available (each worker owns a parser; batches are handed out as workers become free, so one slow file does
// not hold the others back), otherwise in this thread. Results come back in the order of the input.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { createGoParser } from '../core/analysis/index.node';
import { checkFile, type CheckFileOptions, type FileCheck } from './checkFile';
import type { WorkerBatch, WorkerFailure, WorkerResult } from './checkWorker';

/** Below this many files, starting workers costs more than it saves. */
export const MIN_FILES_FOR_WORKERS = 64;
const BATCH_SIZE = 16;

/** The worker script next to this module: checkWorker.js in a bundle, checkWorker.ts when run from source. */
export function workerScript(): string | undefined {
  if (typeof __dirname !== 'string' || typeof __filename !== 'string') return undefined;
  const candidate = path.join(__dirname, __filename.endsWith('.ts') ? 'checkWorker.ts' : 'checkWorker.js');
  return fs.existsSync(candidate) ? candidate : undefined;
}

export function defaultJobs(fileCount: number): number {
  return fileCount < MIN_FILES_FOR_WORKERS ? 1 : Math.max(1, Math.min(os.availableParallelism(), 8));
}

async function checkInThisThread(files: readonly string[], options: CheckFileOptions): Promise<FileCheck[]> {
  const parser = await createGoParser();
  try {
    return files.map((file) => checkFile(parser, file, options));
  } finally {
    parser.delete();
  }
}

/** Starts a worker on the script; from TypeScript sources (tests, `node --import tsx`), through tsx's require hook. */
function startWorker(script: string, options: CheckFileOptions): Worker {
  if (!script.endsWith('.ts')) return new Worker(script, { workerData: options });
  const tsxHook = 'tsx/cjs';
  const code = `require(${JSON.stringify(require.resolve(tsxHook))}); require(${JSON.stringify(script)});`;
  return new Worker(code, { eval: true, workerData: options });
}

function checkInWorkers(files: readonly string[], options: CheckFileOptions, jobs: number, script: string): Promise<FileCheck[]> {
  const batches: string[][] = [];
  for (let i = 0; i < files.length; i += BATCH_SIZE) batches.push(files.slice(i, i + BATCH_SIZE));
  const results: FileCheck[][] = new Array(batches.length);
  let next = 0;
  let done = 0;
  return new Promise((resolve, reject) => {
    const workers: Worker[] = [];
    let failed = false;
    const fail = (error: Error) => {
      if (failed) return;
      failed = true;
      for (const w of workers) void w.terminate();
      reject(error);
    };
    const feed = (worker: Worker) => {
      if (next >= batches.length) {
        worker.postMessage('exit');
        return;
      }
      const batch = next++;
      worker.postMessage({ batch, files: batches[batch]! } satisfies WorkerBatch);
    };
    for (let i = 0; i < Math.min(jobs, batches.length); i++) {
      const worker = startWorker(script, options);
      workers.push(worker);
      worker.on('message', (message: 'ready' | WorkerResult | WorkerFailure) => {
        if (message === 'ready') return feed(worker);
        if ('error' in message) return fail(new Error(`a check worker failed on ${batches[message.batch]!.join(', ')}: ${message.error}`));
        results[message.batch] = [...message.results];
        if (++done === batches.length) {
          resolve(results.flat());
        }
        feed(worker);
      });
      worker.on('error', fail);
      worker.on('exit', (code) => {
        if (code !== 0 && done < batches.length) fail(new Error(`a check worker exited with code ${code}`));
      });
    }
  });
}

/** Checks every file; `jobs` > 1 uses that many worker threads when a worker script is available. */
export async function checkAll(files: readonly string[], options: CheckFileOptions, jobs: number): Promise<{ results: FileCheck[]; threads: number }> {
  const script = jobs > 1 && files.length > BATCH_SIZE ? workerScript() : undefined;
  if (!script) return { results: await checkInThisThread(files, options), threads: 1 };
  return { results: await checkInWorkers(files, options, jobs, script), threads: Math.min(jobs, Math.ceil(files.length / BATCH_SIZE)) };
}
