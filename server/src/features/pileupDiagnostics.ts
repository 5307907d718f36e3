// Goroutine pile-ups as diagnostics: where the newest goroutine profile (or dump) has many goroutines
// blocked on one line of the workspace's own code. Republished after every change of the profiles, and
// re-placed in a document whose text changed (the profile's lines are mapped onto the text as it is now).

import { pathToFileURL } from 'node:url';
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver';
import { DIAGNOSTIC_SOURCE } from '../../../common/ids';
import { PILEUP_DIAGNOSTIC_CODE } from '../../../common/profileProtocol';
import type { DiagnosticsHub } from '../lsp/diagnosticsHub';
import type { DocumentSync } from '../lsp/documentSync';
import type { PileupDiagnostic } from '../profiles/profileProjections';
import { pathOfUri } from '../workspace/contextChainService';
import type { ProfileSession } from './profileSession';

export function registerPileupDiagnostics(profiles: ProfileSession, documents: DocumentSync, hub: DiagnosticsHub): void {
  let pileups: PileupDiagnostic[] = [];

  const publish = (onlyPath?: string): void => {
    const byUri = new Map<string, Diagnostic[]>();
    for (const pileup of pileups) {
      if (onlyPath && pileup.localPath !== onlyPath) continue;
      const uri = pathToFileURL(pileup.localPath).href;
      const doc = documents.fileText(uri);
      const line = doc ? profiles.model?.projections.currentLine(doc, pileup.line) : pileup.line;
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
      hub.set(uri, 'profiles', byUri.get(uri) ?? []);
    } else {
      hub.replaceAll('profiles', byUri);
    }
  };

  /** Re-places the pile-ups of a document whose text changed. */
  const documentChanged = (uri: string): void => {
    const file = pathOfUri(uri);
    if (file && pileups.some((p) => p.localPath === file)) publish(file);
  };

  documents.subscribe({ opened: documentChanged, changed: documentChanged });
  profiles.onDidChange(() => {
    pileups = profiles.model?.projections.pileups() ?? [];
    publish();
  });
}
