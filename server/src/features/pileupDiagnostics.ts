// Goroutine pile-ups as diagnostics: where the newest goroutine profile (or dump) has many goroutines
// blocked on one line of the workspace's own code. Republished after every change of the profiles, and
// re-placed in a document whose text changed (the profile's lines are mapped onto the text as it is now).

import { pathToFileURL } from 'node:url';
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver';
import { DIAGNOSTIC_SOURCE } from '../../../common/ids';
import { PILEUP_DIAGNOSTIC_CODE } from '../../../common/profileProtocol';
import type { DiagnosticsHub } from '../lsp/diagnosticsHub';
import type { DocumentListener, DocumentSync } from '../lsp/documentSync';
import type { PileupDiagnostic } from '../profiles/profileProjections';
import { pathOfUri } from '../workspace/contextChainService';
import type { ProfileSession } from './profileSession';

export class PileupDiagnostics implements DocumentListener {
  private pileups: PileupDiagnostic[] = [];

  constructor(
    private readonly profiles: ProfileSession,
    private readonly documents: DocumentSync,
    private readonly hub: DiagnosticsHub,
  ) {
    documents.subscribe(this);
    profiles.onDidChange(() => {
      this.pileups = profiles.model?.projections.pileups() ?? [];
      this.publish();
    });
  }

  opened(uri: string): void {
    this.documentChanged(uri);
  }

  changed(uri: string): void {
    this.documentChanged(uri);
  }

  /** Re-places pile-ups of a document whose text changed. */
  private documentChanged(uri: string): void {
    const file = pathOfUri(uri);
    if (file && this.pileups.some((p) => p.localPath === file)) this.publish(file);
  }

  private publish(onlyPath?: string): void {
    const byUri = new Map<string, Diagnostic[]>();
    for (const pileup of this.pileups) {
      if (onlyPath && pileup.localPath !== onlyPath) continue;
      const uri = pathToFileURL(pileup.localPath).href;
      const doc = this.documents.fileText(uri);
      const line = doc ? this.profiles.model?.projections.currentLine(doc, pileup.line) : pileup.line;
      if (line === undefined) continue;
      const text = doc ? (doc.text.split(/\r?\n/)[line] ?? '') : '';
      const start = text.length - text.trimStart().length;
      const list = byUri.get(uri) ?? [];
      list.push({
        range: { start: { line, character: start }, end: { line, character: Math.max(start + 1, text.length) } },
        severity: DiagnosticSeverity.Warning,
        code: PILEUP_DIAGNOSTIC_CODE,
        source: DIAGNOSTIC_SOURCE,
        message: pileup.message,
      });
      byUri.set(uri, list);
    }
    if (onlyPath) {
      const uri = pathToFileURL(onlyPath).href;
      this.hub.set(uri, 'profiles', byUri.get(uri) ?? []);
    } else {
      this.hub.replaceAll('profiles', byUri);
    }
  }
}
