// Entry of a `check` worker thread: owns one Go parser and checks the batches of files the main thread sends
// (see checkRunner.ts). Bundled as its own script next to the CLI.

import { parentPort, workerData } from 'node:worker_threads';
import { createGoParser } from '../core/analysis/index.node';
import { checkFile, type CheckFileOptions, type FileCheck } from './checkFile';

export interface WorkerBatch {
  readonly batch: number;
  readonly files: readonly string[];
}

export interface WorkerResult {
  readonly batch: number;
  readonly results: readonly FileCheck[];
}

export interface WorkerFailure {
  readonly batch: number;
  readonly error: string;
}

async function main(): Promise<void> {
  const port = parentPort;
  if (!port) return;
  const options = (workerData ?? {}) as CheckFileOptions;
  const parser = await createGoParser();
  port.on('message', (message: WorkerBatch | 'exit') => {
    if (message === 'exit') {
      parser.delete();
      port.close();
      return;
    }
    try {
      const results = message.files.map((file) => checkFile(parser, file, options));
      port.postMessage({ batch: message.batch, results } satisfies WorkerResult);
    } catch (error) {
      port.postMessage({ batch: message.batch, error: error instanceof Error ? error.stack ?? error.message : String(error) } satisfies WorkerFailure);
    }
  });
  port.postMessage('ready');
}

void main();
