// Heat on source lines: a background tint graded by the line's share of the active profile (theme
// colours from package.json's `contributes.colors`), a muted after-text with its flat/cum, and marks in
// the overview ruler. Refreshed when the profile view changes, when an editor shows a Go file, and
// (debounced) as the file is edited — the server maps the profile's lines onto the text as it is now.

import * as vscode from 'vscode';
import { HeatColors } from '../../../common/ids';
import { LineHeatRequest, type LineHeat, type LineHeatResult } from '../../../common/profileProtocol';
import { ProfileSettings } from '../../../common/settings';
import type { Config } from '../config';
import { send } from '../lspMessages';
import type { ProfileController } from './profileController';
import { heatLevel } from './heatLevels';

const EDIT_DEBOUNCE_MS = 120;

export class HeatDecorations implements vscode.Disposable {
  private readonly levels: vscode.TextEditorDecorationType[];
  private readonly grew: vscode.TextEditorDecorationType;
  private readonly shrank: vscode.TextEditorDecorationType;
  private readonly annotation: vscode.TextEditorDecorationType;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly pending = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly notes = new Map<string, string>();
  /**
   * Heat asked for as soon as a Go document opens, before its editor is visible (the server answers it
   * ahead of the document's analysis); the first paint uses it when the version still matches.
   */
  private readonly prefetched = new Map<string, { version: number; heat: Promise<LineHeatResult> }>();
  /** Per document: the newest refresh, so an older answer never paints over a newer one. */
  private readonly generations = new Map<string, number>();
  /** Editors that just appeared, and when: their first paint is logged (debug) with the time it took. */
  private readonly appeared = new Map<vscode.TextEditor, number>();
  private visible = new Set<vscode.TextEditor>(vscode.window.visibleTextEditors);

  constructor(
    private readonly profiles: ProfileController,
    private readonly config: Config,
    private readonly output: vscode.LogOutputChannel,
  ) {
    const ruler = new vscode.ThemeColor(HeatColors.ruler);
    this.levels = HeatColors.levels.map((color, i) =>
      vscode.window.createTextEditorDecorationType({
        isWholeLine: true,
        backgroundColor: new vscode.ThemeColor(color),
        ...(i >= 1 ? { overviewRulerColor: ruler, overviewRulerLane: vscode.OverviewRulerLane.Right } : {}),
      }),
    );
    this.grew = vscode.window.createTextEditorDecorationType({ isWholeLine: true, backgroundColor: new vscode.ThemeColor(HeatColors.grew), overviewRulerColor: new vscode.ThemeColor(HeatColors.grew), overviewRulerLane: vscode.OverviewRulerLane.Right });
    this.shrank = vscode.window.createTextEditorDecorationType({ isWholeLine: true, backgroundColor: new vscode.ThemeColor(HeatColors.shrank), overviewRulerColor: new vscode.ThemeColor(HeatColors.shrank), overviewRulerLane: vscode.OverviewRulerLane.Right });
    this.annotation = vscode.window.createTextEditorDecorationType({
      after: { color: new vscode.ThemeColor(HeatColors.annotation), margin: '0 0 0 3em' },
    });
    this.disposables.push(
      profiles.onDidChange(() => {
        this.prefetched.clear();
        this.refreshAll();
      }),
      vscode.window.onDidChangeVisibleTextEditors((editors) => {
        const now = performance.now();
        for (const editor of editors) if (!this.visible.has(editor) && this.isGo(editor)) this.appeared.set(editor, now);
        this.visible = new Set(editors);
        for (const editor of this.appeared.keys()) if (!this.visible.has(editor)) this.appeared.delete(editor);
        this.refreshAll();
      }),
      vscode.workspace.onDidChangeTextDocument((event) => this.scheduleEdit(event.document)),
      vscode.workspace.onDidOpenTextDocument((document) => this.prefetch(document)),
      vscode.workspace.onDidCloseTextDocument((document) => this.prefetched.delete(document.uri.toString())),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (config.affects(event, ProfileSettings.heatAnnotations)) this.refreshAll();
      }),
    );
  }

  private isGo(editor: vscode.TextEditor): boolean {
    return editor.document.languageId === 'go' && editor.document.uri.scheme === 'file';
  }

  refreshAll(): void {
    for (const editor of vscode.window.visibleTextEditors) if (this.isGo(editor)) void this.refresh(editor);
  }

  private scheduleEdit(document: vscode.TextDocument): void {
    if (document.languageId !== 'go' || this.profiles.state.activeId === null) return;
    const key = document.uri.toString();
    clearTimeout(this.pending.get(key));
    this.pending.set(key, setTimeout(() => {
      this.pending.delete(key);
      for (const editor of vscode.window.visibleTextEditors) if (editor.document === document) void this.refresh(editor);
    }, EDIT_DEBOUNCE_MS));
  }

  private request(document: vscode.TextDocument): Promise<LineHeatResult> {
    return send(this.profiles.client, LineHeatRequest, { uri: document.uri.toString() });
  }

  private prefetch(document: vscode.TextDocument): void {
    if (document.languageId !== 'go' || document.uri.scheme !== 'file' || this.profiles.state.activeId === null) return;
    this.prefetched.set(document.uri.toString(), { version: document.version, heat: this.request(document) });
  }

  /** Why a profiled file shows no heat, when the server said so (for the tree view and hovers). */
  noteFor(uri: vscode.Uri): string | undefined {
    return this.notes.get(uri.toString());
  }

  async refresh(editor: vscode.TextEditor): Promise<void> {
    const key = editor.document.uri.toString();
    const generation = (this.generations.get(key) ?? 0) + 1;
    this.generations.set(key, generation);
    let result: LineHeatResult = { lines: [] };
    if (this.profiles.state.activeId !== null) {
      const early = this.prefetched.get(key);
      this.prefetched.delete(key);
      try {
        result = await (early && early.version === editor.document.version ? early.heat : this.request(editor.document));
      } catch (error) {
        this.output.warn(`Heat for ${editor.document.uri.fsPath} failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    if (this.generations.get(key) !== generation) return;
    if (result.note) {
      if (this.notes.get(editor.document.uri.toString()) !== result.note) this.output.info(result.note);
      this.notes.set(editor.document.uri.toString(), result.note);
    } else {
      this.notes.delete(editor.document.uri.toString());
    }
    this.paint(editor, result.lines);
    const appeared = this.appeared.get(editor);
    if (appeared !== undefined) {
      this.appeared.delete(editor);
      this.output.debug(`heat: ${result.lines.length} lines of ${vscode.workspace.asRelativePath(editor.document.uri)} painted ${(performance.now() - appeared).toFixed(1)} ms after its editor appeared`);
    }
  }

  private paint(editor: vscode.TextEditor, lines: readonly LineHeat[]): void {
    const buckets: vscode.Range[][] = this.levels.map(() => []);
    const grew: vscode.Range[] = [];
    const shrank: vscode.Range[] = [];
    const annotations: vscode.DecorationOptions[] = [];
    const showText = this.config.get(ProfileSettings.heatAnnotations);
    const lastLine = editor.document.lineCount - 1;
    for (const heat of lines) {
      if (heat.line > lastLine) continue;
      const range = editor.document.lineAt(heat.line).range;
      if (heat.delta === 'grew') grew.push(range);
      else if (heat.delta === 'shrank') shrank.push(range);
      else buckets[heatLevel(heat.share)]!.push(range);
      if (showText) {
        annotations.push({ range: new vscode.Range(range.end, range.end), renderOptions: { after: { contentText: heat.text } } });
      }
    }
    this.levels.forEach((type, i) => editor.setDecorations(type, buckets[i]!));
    editor.setDecorations(this.grew, grew);
    editor.setDecorations(this.shrank, shrank);
    editor.setDecorations(this.annotation, annotations);
  }

  dispose(): void {
    for (const timer of this.pending.values()) clearTimeout(timer);
    for (const d of [...this.disposables, ...this.levels, this.grew, this.shrank, this.annotation]) d.dispose();
  }
}
