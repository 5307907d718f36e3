// One publisher for every diagnostic the server produces. LSP's publishDiagnostics replaces all of a
// document's diagnostics at once, so the analyzer's findings and the profiles' goroutine pile-ups are
// kept per producer and published together.

import type { Connection, Diagnostic } from 'vscode-languageserver';

export type DiagnosticProducer = 'analysis' | 'profiles';

export class DiagnosticsHub {
  private readonly byUri = new Map<string, Map<DiagnosticProducer, Diagnostic[]>>();

  constructor(private readonly connection: Pick<Connection, 'sendDiagnostics'>) {}

  /** Replaces one producer's diagnostics for a document and publishes the union. */
  set(uri: string, producer: DiagnosticProducer, diagnostics: Diagnostic[], version?: number): void {
    let producers = this.byUri.get(uri);
    if (!producers) this.byUri.set(uri, (producers = new Map()));
    if (diagnostics.length === 0) producers.delete(producer);
    else producers.set(producer, diagnostics);
    const all = [...producers.values()].flat();
    if (producers.size === 0) this.byUri.delete(uri);
    void this.connection.sendDiagnostics({ uri, version, diagnostics: all });
  }

  /** Replaces a producer's diagnostics for every document: those not in `next` are cleared. */
  replaceAll(producer: DiagnosticProducer, next: ReadonlyMap<string, Diagnostic[]>): void {
    for (const [uri, producers] of [...this.byUri]) {
      if (producers.has(producer) && !next.has(uri)) this.set(uri, producer, []);
    }
    for (const [uri, diagnostics] of next) this.set(uri, producer, diagnostics);
  }
}
