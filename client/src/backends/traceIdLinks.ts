// "Open Trace in <backend>" on every 32-hex trace ID: document links in plain text and log files (and in
// Go files' string literals), links in the terminal, and a hover on Go files. Offered only while at least
// one trace backend is configured; each runs "Open Trace by ID…" with the ID (and the backend, when there
// is one to name).

import * as vscode from 'vscode';
import { BackendCommands } from '../../../common/ids';
import type { ConfiguredBackend } from './backendList';
import type { OpenTraceArgs } from './backendCommands';
import { findTraceIds, findTraceIdsInGoLine, traceIdAt, type TraceIdMatch } from './traceIdText';

/** Text documents whose trace IDs are linked: plain text, logs, and Go (string literals only). */
const LINKED_LANGUAGES = ['plaintext', 'log', 'go'];

/** Longest document scanned for links (a huge log is left alone). */
const MAX_LINKED_CHARS = 4 * 1024 * 1024;

function commandUri(args: OpenTraceArgs): vscode.Uri {
  return vscode.Uri.parse(`command:${BackendCommands.openTrace}?${encodeURIComponent(JSON.stringify([args]))}`);
}

function linkTooltip(backends: readonly ConfiguredBackend[]): string {
  return backends.length === 1 ? `Open Trace in ${backends[0]!.name}` : 'Open Trace in a trace backend…';
}

function argsFor(traceId: string, backends: readonly ConfiguredBackend[]): OpenTraceArgs {
  return backends.length === 1 ? { traceId, backend: backends[0]!.name } : { traceId };
}

function matchesIn(document: vscode.TextDocument): { line: number; match: TraceIdMatch }[] {
  if (document.languageId !== 'go') return findTraceIds(document.getText()).map((match) => ({ line: -1, match }));
  const found: { line: number; match: TraceIdMatch }[] = [];
  for (let line = 0; line < document.lineCount; line++) {
    const text = document.lineAt(line).text;
    if (!/[0-9a-fA-F]{32}/.test(text)) continue;
    for (const match of findTraceIdsInGoLine(text)) found.push({ line, match });
  }
  return found;
}

/**
 * Registers the link providers and the hover; `traceBackends` says which trace backends are configured
 * now. When they change (`changed`), the document links are registered again, which makes VS Code ask for
 * the links of open documents anew: a backend added to the settings links the IDs of an open log at once.
 */
export function registerTraceIdLinks(traceBackends: () => ConfiguredBackend[], changed: vscode.Event<void>): vscode.Disposable[] {
  const documentLinks: vscode.DocumentLinkProvider = {
    provideDocumentLinks(document) {
      const backends = traceBackends();
      if (backends.length === 0 || document.getText().length > MAX_LINKED_CHARS) return [];
      return matchesIn(document).map(({ line, match }) => {
        const range = line < 0
          ? new vscode.Range(document.positionAt(match.start), document.positionAt(match.end))
          : new vscode.Range(line, match.start, line, match.end);
        const link = new vscode.DocumentLink(range, commandUri(argsFor(match.traceId, backends)));
        link.tooltip = linkTooltip(backends);
        return link;
      });
    },
  };
  type TraceTerminalLink = vscode.TerminalLink & { traceId: string };
  const terminalLinks: vscode.TerminalLinkProvider<TraceTerminalLink> = {
    provideTerminalLinks(context) {
      const backends = traceBackends();
      if (backends.length === 0) return [];
      return findTraceIds(context.line).map((m) => ({ startIndex: m.start, length: m.end - m.start, tooltip: linkTooltip(backends), traceId: m.traceId }));
    },
    async handleTerminalLink(link) {
      await vscode.commands.executeCommand(BackendCommands.openTrace, argsFor(link.traceId, traceBackends()));
    },
  };
  const hover: vscode.HoverProvider = {
    provideHover(document, position) {
      const backends = traceBackends();
      if (backends.length === 0) return undefined;
      const match = traceIdAt(document.lineAt(position.line).text, position.character);
      if (!match) return undefined;
      const markdown = new vscode.MarkdownString(backends.map((b) => `[Open Trace in ${b.name}](${commandUri({ traceId: match.traceId, backend: b.name }).toString()})`).join(' · '));
      markdown.isTrusted = { enabledCommands: [BackendCommands.openTrace] };
      return new vscode.Hover(markdown, new vscode.Range(position.line, match.start, position.line, match.end));
    },
  };
  const registerLinks = (): vscode.Disposable => vscode.languages.registerDocumentLinkProvider(LINKED_LANGUAGES.map((language) => ({ language })), documentLinks);
  let links = registerLinks();
  return [
    { dispose: () => links.dispose() },
    changed(() => {
      links.dispose();
      links = registerLinks();
    }),
    vscode.window.registerTerminalLinkProvider(terminalLinks),
    vscode.languages.registerHoverProvider({ language: 'go' }, hover),
  ];
}
