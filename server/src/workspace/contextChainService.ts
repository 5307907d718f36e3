// What the language server needs from the analyzer, in one place: analysing an open document against the
// workspace index (call-chain-break across files), reusing per-declaration results between keystrokes, and
// noticing when a document's edit changes what other open documents should report (their callees' summaries
// changed), so they are republished.

import { fileURLToPath } from 'node:url';
import { goEnvLocations } from '../../../core/analysis/index.node';
import { type Tree, type Finding, analyzeGoFile, type AnalyzeOptions, DeclarationCache } from '../../../core/analysis';
import { WorkspaceIndex, type FileChange, type IndexSettings } from './workspaceIndex';

export interface ServiceHost {
  log(message: string): void;
  /** Re-analyse and publish the open documents (all but `except`). */
  republish(except?: string): void;
}

const REPUBLISH_DELAY_MS = 150;

/** The file system path of a `file:` URI, or undefined (untitled documents). */
export function pathOfUri(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

export class ContextChainService {
  readonly index: WorkspaceIndex;
  private readonly caches = new Map<string, DeclarationCache>();
  private republishTimer: ReturnType<typeof setTimeout> | undefined;
  private republishExcept: string | undefined;

  constructor(private readonly host: ServiceHost) {
    let moduleCache: Promise<string | undefined> | undefined;
    this.index = new WorkspaceIndex((message) => host.log(message), () => (moduleCache ??= goEnvLocations().then((l) => l.gomodcache, () => undefined)));
  }

  /** Analyses an open document (its text also replaces the file in the index). */
  analyze(uri: string, text: string, tree: Tree, options: Pick<AnalyzeOptions, 'ruleSettings'>): Finding[] {
    const file = pathOfUri(uri);
    let cache = this.caches.get(uri);
    if (!cache) this.caches.set(uri, (cache = new DeclarationCache()));
    if (!file) return analyzeGoFile(text, tree, { ...options, cache, filePath: uri });
    // Only edits that change the file's summary (a call, a context parameter, a root) concern other documents.
    if (this.index.documentChanged(file, text)) this.scheduleRepublish(uri);
    return analyzeGoFile(text, tree, { ...options, cache, index: this.index.graph, filePath: file });
  }

  async closed(uri: string): Promise<void> {
    this.caches.delete(uri);
    const file = pathOfUri(uri);
    if (file) {
      await this.index.documentClosed(file);
      this.scheduleRepublish(uri);
    }
  }

  async rebuild(folders: readonly string[], settings: IndexSettings): Promise<void> {
    await this.index.rebuild(folders, settings);
    this.host.republish();
  }

  async filesChanged(changes: readonly FileChange[]): Promise<void> {
    await this.index.filesChanged(changes);
    this.scheduleRepublish();
  }

  /** Drops cached per-declaration results (settings changed). */
  clearCaches(): void {
    this.caches.clear();
  }

  private scheduleRepublish(except?: string): void {
    // Several changes in a row: republish once; skip a document only when every change came from it.
    this.republishExcept = this.republishTimer && this.republishExcept !== except ? undefined : except;
    if (this.republishTimer) clearTimeout(this.republishTimer);
    this.republishTimer = setTimeout(() => {
      this.republishTimer = undefined;
      this.host.republish(this.republishExcept);
    }, REPUBLISH_DELAY_MS);
  }

  dispose(): void {
    if (this.republishTimer) clearTimeout(this.republishTimer);
  }
}
