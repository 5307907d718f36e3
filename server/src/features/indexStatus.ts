// The index-status request: the workspace index's state and size, and the server's memory (after a
// garbage collection when the server runs with --expose-gc), for status displays, tests and benchmarks.

import type { Connection } from 'vscode-languageserver';
import { IndexStatusRequest } from '../../../common/analysisProtocol';
import { onRequest } from '../lsp/handlers';
import type { WorkspaceIndex } from '../workspace/workspaceIndex';

export function registerIndexStatus(connection: Connection, index: WorkspaceIndex): void {
  onRequest(connection, IndexStatusRequest, () => {
    const collect = (globalThis as { gc?: () => void }).gc;
    collect?.();
    const memory = process.memoryUsage();
    return { ...index.status(), heapUsedBytes: memory.heapUsed, rssBytes: memory.rss };
  });
}
