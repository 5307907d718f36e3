// The language server's profile features over LSP: the custom requests of common/profileProtocol.ts,
// CodeLens on profiled functions, hovers on hot lines, and goroutine pile-ups as diagnostics.

import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CodeLensRefreshRequest, DiagnosticSeverity, type CodeLens, type Connection, type Diagnostic, type Hover } from 'vscode-languageserver';
import { DIAGNOSTIC_SOURCE, ProfileCommands } from '../../../common/ids';
import {
  FlameGraphRequest, FunctionDetailRequest, LineHeatRequest, LoadProfileRequest, PILEUP_DIAGNOSTIC_CODE,
  ProfileStateChangedNotification, ProfileStateRequest, ResolveSourceRequest, TopFunctionsRequest,
  UpdateProfileViewRequest,
  type FlameGraphResult, type LineHeatParams, type LineHeatResult, type LoadProfileParams,
  type LoadProfileResult, type ProfileState, type ResolveSourceParams, type ResolveSourceResult,
  type UpdateProfileViewParams, type UpdateProfileViewResult,
} from '../../../common/profileProtocol';
import { isProfileError, prepareQuery } from '../../../core/profiles';
import { summaryView, toFlameGraphData } from '../profiles/flameGraphData';
import { declarationsOf } from '../profiles/functionLocator';
import { nodeProfileHost } from '../profiles/nodeProfileHost';
import { ProfileLoadError, ProfileService, type DocumentText, type PileupDiagnostic } from '../profiles/profileService';
import type { DiagnosticsHub } from './diagnosticsHub';
import type { GoDocumentStore } from './documentStore';
import { notify, onRequest } from './handlers';
import { parseProfileSettings } from './profileSettings';

function uriToPath(uri: string): string | undefined {
  return uri.startsWith('file:') ? fileURLToPath(uri) : undefined;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export class ProfileFeatures {
  private service?: ProfileService;
  private pileups: PileupDiagnostic[] = [];
  private canRefreshLenses = false;
  private folders: string[] = [];
  private rawSettings: unknown;

  constructor(
    private readonly connection: Connection,
    private readonly documents: () => GoDocumentStore | undefined,
    private readonly hub: DiagnosticsHub,
  ) {
    onRequest(connection, LoadProfileRequest, (p) => this.load(p));
    onRequest(connection, ProfileStateRequest, () => this.state());
    onRequest(connection, UpdateProfileViewRequest, (p) => this.updateView(p));
    onRequest(connection, LineHeatRequest, (p) => this.heat(p));
    onRequest(connection, TopFunctionsRequest, (p) => this.service?.topFunctions(Math.max(1, Math.min(p.limit, 5000)), p.sortBy) ?? null);
    onRequest(connection, FunctionDetailRequest, (p) => this.service?.functionDetail(p.functionName) ?? null);
    onRequest(connection, FlameGraphRequest, () => this.flameGraph());
    onRequest(connection, ResolveSourceRequest, (p) => this.resolveSource(p));
    connection.onCodeLens(({ textDocument }) => this.codeLenses(textDocument.uri));
    connection.onHover(({ textDocument, position }) => this.hover(textDocument.uri, position.line));
  }

  initialize(workspaceFolders: string[], canRefreshLenses: boolean): void {
    this.folders = workspaceFolders;
    this.canRefreshLenses = canRefreshLenses;
    this.service = new ProfileService(nodeProfileHost, workspaceFolders, parseProfileSettings(this.rawSettings, (m) => this.connection.console.warn(m)));
    // Source resolution (also used by the timeline) works before any profile is loaded or settings read.
    void this.configure(this.rawSettings);
  }

  /** The workspace folders changed: sources resolve against the new set. */
  foldersChanged(workspaceFolders: string[]): Promise<void> {
    this.folders = workspaceFolders;
    return this.configure(this.rawSettings);
  }

  async configure(raw: unknown): Promise<void> {
    this.rawSettings = raw;
    if (!this.service) return;
    await this.service.updateWorkspace(this.folders, parseProfileSettings(raw, (m) => this.connection.console.warn(m)));
    await this.changed();
  }

  private state(): ProfileState | null {
    return this.service?.state() ?? null;
  }

  private async load(params: LoadProfileParams): Promise<LoadProfileResult> {
    const service = this.service;
    if (!service) return { ok: false, code: 'not-ready', message: 'The language server is still starting; try again in a moment.' };
    try {
      const profile = await service.load(params.path, { makeActive: params.makeActive, kindHint: params.kindHint });
      if (params.basePath) {
        const base = await service.load(params.basePath, { makeActive: false });
        await service.update({ activeId: profile.id, baseId: base.id });
      }
      this.connection.console.log(`Loaded ${profile.label} (${params.path}).`);
      await this.changed();
      return { ok: true, profile, state: service.state() };
    } catch (error) {
      const code = error instanceof ProfileLoadError || isProfileError(error) ? error.code : 'failed';
      const message = errorMessage(error);
      this.connection.console.warn(`Could not load ${params.path}: ${message}`);
      return { ok: false, code, message };
    }
  }

  private async updateView(params: UpdateProfileViewParams): Promise<UpdateProfileViewResult> {
    const service = this.service;
    if (!service) return { ok: false, message: 'The language server is still starting; try again in a moment.' };
    const before = service.state();
    try {
      await service.update(params);
      await this.changed();
      return { ok: true, state: service.state() };
    } catch (error) {
      // Restore what worked (a bad label filter or an incompatible base must not leave a broken view).
      await service.update({ activeId: before.activeId, sampleIndex: before.sampleIndex, baseId: before.baseId, labelFilter: before.labelFilter }).catch(() => undefined);
      return { ok: false, message: errorMessage(error) };
    }
  }

  /** After any change: tell the client, refresh lenses, republish pile-ups. */
  private async changed(): Promise<void> {
    if (this.service) void notify(this.connection, ProfileStateChangedNotification, this.service.state());
    if (this.canRefreshLenses) this.connection.sendRequest(CodeLensRefreshRequest.type).then(undefined, () => undefined);
    this.pileups = this.service?.pileups() ?? [];
    this.publishPileups();
  }

  private documentText(uri: string): DocumentText | undefined {
    const entry = this.documents()?.get(uri);
    const file = uriToPath(uri);
    if (!entry || !file) return undefined;
    return { path: file, text: entry.document.getText(), version: entry.document.version };
  }

  /** Re-places pile-ups of a document whose text changed. */
  documentChanged(uri: string): void {
    const file = uriToPath(uri);
    if (file && this.pileups.some((p) => p.localPath === file)) this.publishPileups(file);
  }

  private publishPileups(onlyPath?: string): void {
    const byUri = new Map<string, Diagnostic[]>();
    for (const pileup of this.pileups) {
      if (onlyPath && pileup.localPath !== onlyPath) continue;
      const uri = pathToFileURL(pileup.localPath).href;
      const doc = this.documentText(uri);
      const line = doc ? this.service?.currentLine(doc, pileup.line) : pileup.line;
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

  private heat(params: LineHeatParams): LineHeatResult {
    const doc = this.documentText(params.uri);
    if (!doc || !this.service) return { lines: [] };
    try {
      return this.service.heat(doc);
    } catch (error) {
      return { lines: [], note: errorMessage(error) };
    }
  }

  private codeLenses(uri: string): CodeLens[] {
    const doc = this.documentText(uri);
    const entry = this.documents()?.get(uri);
    if (!doc || !entry || !this.service) return [];
    try {
      const declarations = declarationsOf(entry.tree, doc.text);
      return this.service.lenses(doc, declarations).map((lens) => ({
        range: { start: { line: lens.line, character: 0 }, end: { line: lens.line, character: 0 } },
        command: { title: lens.text, command: ProfileCommands.revealInFlameGraph, arguments: [lens.functionName] },
      }));
    } catch (error) {
      this.connection.console.warn(`CodeLens for ${uri} failed: ${errorMessage(error)}`);
      return [];
    }
  }

  private hover(uri: string, line: number): Hover | null {
    const doc = this.documentText(uri);
    const entry = this.documents()?.get(uri);
    if (!doc || !entry || !this.service) return null;
    try {
      const declaration = declarationsOf(entry.tree, doc.text).find((d) => d.line <= line && line <= d.endLine);
      const functionAtLine = declaration && declaration.line === line ? this.service.declaredFunction(doc.path, declaration) : undefined;
      const value = this.service.hover(doc, line, functionAtLine);
      return value ? { contents: { kind: 'markdown', value } } : null;
    } catch (error) {
      this.connection.console.warn(`Hover for ${uri} failed: ${errorMessage(error)}`);
      return null;
    }
  }

  private flameGraph(): FlameGraphResult {
    const service = this.service;
    const view = service?.view();
    const info = service?.activeInfo();
    if (!service || !view || !info) return { ok: false, message: 'No profile is active. Open one with "Go Trace Lens: Open Profile…" or capture one.' };
    try {
      const { graph, base } = view.flameGraphs();
      const data = toFlameGraphData(graph, base, service.baseLabel());
      const state = service.state();
      const query = base ? prepareQuery(view.profile, { sampleIndex: state.sampleIndex, tags: state.labelFilter ? [state.labelFilter] : undefined }) : view.query;
      const summary = summaryView(view.profile, query, {
        title: service.activeLabel() ?? 'profile',
        kindHint: info.kind,
        filter: state.labelFilter ?? undefined,
        diffBase: service.baseLabel(),
      });
      return { ok: true, data, summary };
    } catch (error) {
      return { ok: false, message: errorMessage(error) };
    }
  }

  private resolveSource(params: ResolveSourceParams): ResolveSourceResult {
    const service = this.service;
    if (!service) return { localPath: null, reason: 'no profile is loaded', readOnly: false };
    const localPath = service.resolve(params.profileFile);
    if (!localPath) return { localPath: null, reason: service.unresolvedReason(params.profileFile) ?? 'not found', readOnly: false };
    return { localPath: path.normalize(localPath), readOnly: !service.isInWorkspace(localPath) };
  }
}
