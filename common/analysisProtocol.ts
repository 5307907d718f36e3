// Custom messages of the context-chain analyzer between a client and the language server, declared as
// typed descriptors (common/protocol.ts). Imports nothing from vscode, Node or the DOM.

import { request } from './protocol';

export interface IndexStatus {
  readonly state: 'idle' | 'indexing' | 'ready';
  /** The workspace folders indexed. */
  readonly folders: readonly string[];
  readonly files: number;
  readonly functions: number;
  readonly calls: number;
  readonly modules: number;
  /** Files left out (too large, binary). */
  readonly skipped: number;
  /** How long the last full indexing took. */
  readonly milliseconds: number;
  /** The server's JavaScript heap in use, after a garbage collection when the server runs with --expose-gc. */
  readonly heapUsedBytes: number;
  readonly rssBytes: number;
}

/** Client → server: the state of the workspace index (for status displays, tests and benchmarks). */
export const IndexStatusRequest = request<void, IndexStatus>('goTraceLens/indexStatus');
