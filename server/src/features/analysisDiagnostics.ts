// Diagnostics of the context-chain analyzer: every open Go document is analysed (against the workspace
// index, for call-chain-break) when it opens, on every edit, when the settings change and when another
// document's edit changes what it should report; findings are published as diagnostics with their fixes.
// Files the analyzer cannot handle (binary, too large) are skipped, and the client told once why.

import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Connection } from 'vscode-languageserver';
import { SkippedFileNotification } from '../../../common/protocol';
import { ruleDocPath, type RuleId } from '../../../common/rules';
import { skipReason } from '../../../core/analysis';
import { toDiagnostic } from '../lsp/diagnostics';
import type { DiagnosticsHub } from '../lsp/diagnosticsHub';
import type { DocumentListener, DocumentSync } from '../lsp/documentSync';
import { notify } from '../lsp/handlers';
import type { ServerSettings } from '../lsp/settings';
import type { ContextChainService } from '../workspace/contextChainService';

/**
 * A document just opened is analysed a moment later, not inside didOpen: the editor asks for its
 * CodeLens and heat right after opening it, and those must not wait behind a full analysis of a large
 * file. An edit analyses at once (and takes over a pending open analysis).
 */
const OPEN_ANALYSIS_DELAY_MS = 200;

export interface AnalysisContext {
  readonly documents: DocumentSync;
  readonly diagnostics: DiagnosticsHub;
  readonly chains: ContextChainService;
  settings(): ServerSettings;
  /** The folder that holds docs/rules/*.md. */
  docsRoot(): string;
}

export class AnalysisDiagnostics implements DocumentListener {
  private readonly skipped = new Set<string>();
  private readonly pendingOpen = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(
    private readonly connection: Connection,
    private readonly context: AnalysisContext,
  ) {
    context.documents.subscribe(this);
  }

  private docUrl(rule: string): string {
    return pathToFileURL(path.join(this.context.docsRoot(), ruleDocPath(rule as RuleId))).href;
  }

  /** Analyses an open document and publishes its findings. */
  publish(uri: string): void {
    const { documents, diagnostics, chains } = this.context;
    const entry = documents.get(uri);
    if (!entry) return;
    const text = entry.document.getText();
    const settings = this.context.settings();
    const reason = skipReason(text, settings.maxFileSize);
    if (reason) {
      if (!this.skipped.has(uri)) {
        this.skipped.add(uri);
        this.connection.console.log(`Not analysing ${uri}: ${reason}.`);
        void notify(this.connection, SkippedFileNotification, { uri, reason });
      }
      diagnostics.set(uri, 'analysis', [], entry.document.version);
      return;
    }
    this.skipped.delete(uri);
    try {
      const findings = chains.analyze(uri, text, entry.tree, { ruleSettings: settings.ruleSettings });
      diagnostics.set(uri, 'analysis', findings.map((f) => toDiagnostic(uri, f, (rule) => this.docUrl(rule))), entry.document.version);
    } catch (error) {
      // One document's failure must not keep the others (republished together) from being analysed.
      this.connection.console.error(`Analysis of ${uri} failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
    }
  }

  /** Analyses every open document but `except`. */
  publishAll(except?: string): void {
    for (const uri of this.context.documents.uris()) if (uri !== except) this.publish(uri);
  }

  private cancelOpenAnalysis(uri: string): void {
    clearTimeout(this.pendingOpen.get(uri));
    this.pendingOpen.delete(uri);
  }

  opened(uri: string): void {
    this.cancelOpenAnalysis(uri);
    this.pendingOpen.set(uri, setTimeout(() => {
      this.pendingOpen.delete(uri);
      this.publish(uri);
    }, OPEN_ANALYSIS_DELAY_MS));
  }

  changed(uri: string): void {
    this.cancelOpenAnalysis(uri);
    this.publish(uri);
  }

  closed(uri: string): void {
    this.cancelOpenAnalysis(uri);
    this.skipped.delete(uri);
    void this.context.chains.closed(uri);
    this.context.diagnostics.set(uri, 'analysis', []);
  }

  dispose(): void {
    for (const timer of this.pendingOpen.values()) clearTimeout(timer);
    this.pendingOpen.clear();
  }
}
