// What the editor shows of the active profile, projected onto documents as they are now: heat per line and
// lenses per function (the profile's lines mapped onto the edited text), hovers, top functions, a
// function's callers and callees, and goroutine pile-ups. The view of the active profile (ProfileView) and
// the profile's files indexed by local path are built once per change of the store; the disk content a
// profile's line numbers describe is read once per loaded profile.

import type { FunctionDetail, FunctionRow, LineHeat, LineHeatResult, TopFunctionsResult } from '../../../common/profileProtocol';
import { parseGoFunctionName } from './functionLocator';
import { mapLines, RECOGNITION_THRESHOLD, splitLines, type LineMap } from './lineMap';
import { findPileups, pileupMessage, type ParkingShare, type Pileup } from './pileups';
import { baseName, type ProfileStore, type StoreChange } from './profileStore';
import { ProfileView, type FileStats, type FunctionStat } from './profileView';
import type { SourceResolver } from './sourceResolver';

export interface ProjectionSettings {
  /** Lines whose |cum| share is below this get no heat (0..1). */
  readonly heatThreshold: number;
  readonly pileupThreshold: number;
  /** A CPU profile's share in runtime.selectgo / runtime.gopark above which pile-ups mention a leak. */
  readonly leakCpuShare: number;
}

export interface Lens {
  /** 0-based line in the document as it is now. */
  readonly line: number;
  readonly functionName: string;
  readonly text: string;
}

export interface PileupDiagnostic {
  readonly localPath: string;
  /** 0-based line in the file on disk. */
  readonly line: number;
  readonly message: string;
  readonly pileup: Pileup;
}

/** The document a request is about, as the editor has it. */
export interface DocumentText {
  readonly path: string;
  readonly text: string;
  /** Changes whenever the text changes (the LSP version). */
  readonly version: number;
}

export class ProfileProjections {
  private viewCache?: ProfileView;
  /** Local path → the profile's stats of that file (several profile names may resolve to one path). */
  private byLocalPath = new Map<string, FileStats[]>();
  private lensIndex = new Map<string, Map<string, FunctionStat[]>>();
  /** Disk content of a profiled file when first needed (what the profile's line numbers describe). */
  private readonly baselines = new Map<string, string[] | null>();
  private readonly lineMaps = new Map<string, { version: number; map: LineMap | null }>();

  constructor(
    private readonly store: ProfileStore,
    private readonly sources: SourceResolver,
    private readonly host: { readText(path: string): string | undefined },
    private settings: ProjectionSettings,
  ) {}

  configure(settings: ProjectionSettings): void {
    this.settings = settings;
  }

  /** Forgets what was derived from the active view; a newly loaded profile describes the disk as it is now. */
  reset(change: StoreChange): void {
    if (change.loaded) this.baselines.clear();
    this.viewCache = undefined;
    this.byLocalPath = new Map();
    this.lensIndex = new Map();
    this.lineMaps.clear();
  }

  /** The view of the active profile, or undefined when none is active. Throws ProfileError on bad filters. */
  view(): ProfileView | undefined {
    if (this.viewCache) return this.viewCache;
    const active = this.store.active();
    if (!active) return undefined;
    const { sampleIndex, labelFilter } = this.store.viewOptions();
    this.viewCache = new ProfileView(active.profile, { sampleIndex, base: this.store.base()?.profile, labelFilter: labelFilter ?? undefined, kind: active.kind });
    this.indexFiles(this.viewCache);
    return this.viewCache;
  }

  /** The active view's total, 0 when there is none or it cannot be built. */
  total(): number {
    try {
      return this.view()?.total ?? 0;
    } catch {
      return 0;
    }
  }

  private indexFiles(view: ProfileView): void {
    for (const stats of view.files.values()) {
      const local = this.sources.resolve(stats.file);
      if (!local) continue;
      const list = this.byLocalPath.get(local) ?? [];
      list.push(stats);
      this.byLocalPath.set(local, list);
    }
    // Lens candidates are indexed now, with the view, rather than when a file is first opened.
    for (const local of this.byLocalPath.keys()) this.lensCandidates(local);
  }

  // ---- a document as it is now ------------------------------------------------------------------------

  /** Old (profile) line → current line, or null when the document changed beyond recognition. */
  private lineMapFor(doc: DocumentText): LineMap | null {
    const cached = this.lineMaps.get(doc.path);
    if (cached && cached.version === doc.version) return cached.map;
    let baseline = this.baselines.get(doc.path);
    if (baseline === undefined) {
      const text = this.host.readText(doc.path);
      baseline = text === undefined ? null : splitLines(text);
      this.baselines.set(doc.path, baseline);
    }
    const current = splitLines(doc.text);
    const map = baseline ? mapLines(baseline, current) : mapLines(current, current);
    const result = map.kept >= RECOGNITION_THRESHOLD ? map : null;
    this.lineMaps.set(doc.path, { version: doc.version, map: result });
    return result;
  }

  private statsFor(path: string): FileStats[] | undefined {
    if (!this.view()) return undefined;
    return this.byLocalPath.get(path);
  }

  heat(doc: DocumentText): LineHeatResult {
    const view = this.view();
    const stats = this.statsFor(doc.path);
    if (!view || !stats) return { lines: [] };
    const map = this.lineMapFor(doc);
    if (!map) return { lines: [], note: `${baseName(doc.path)} changed beyond recognition since the profile was taken: heat is hidden. Capture a new profile.` };
    const byLine = new Map<number, { flat: number; cum: number }>();
    for (const file of stats) {
      for (const stat of file.lines.values()) {
        const now = map.oldToNew[stat.line - 1];
        if (now === undefined || now < 0) continue;
        const acc = byLine.get(now) ?? { flat: 0, cum: 0 };
        acc.flat += stat.flat;
        acc.cum += stat.cum;
        byLine.set(now, acc);
      }
    }
    const lines: LineHeat[] = [];
    for (const [line, v] of byLine) {
      const share = view.share(v.cum);
      if (share < this.settings.heatThreshold) continue;
      lines.push({ line, flat: v.flat, cum: v.cum, share, text: view.lineText(v), ...(view.options.base ? { delta: v.cum >= 0 ? 'grew' : 'shrank' } as const : {}) });
    }
    lines.sort((a, b) => a.line - b.line);
    return { lines };
  }

  /**
   * The functions of a local file that can carry a lens, by declaration key ("Recv.name" or "name"),
   * with their profile start lines. Built once per view: a profiled file may have thousands of functions.
   */
  private lensCandidates(path: string): Map<string, FunctionStat[]> {
    let index = this.lensIndex.get(path);
    if (index) return index;
    index = new Map();
    for (const file of this.byLocalPath.get(path) ?? []) {
      for (const fn of file.functions) {
        const parsed = parseGoFunctionName(fn.functionName);
        if (!parsed || parsed.closure) continue;
        const key = `${parsed.receiver ?? ''}.${parsed.name}`;
        const list = index.get(key) ?? [];
        list.push(fn);
        index.set(key, list);
      }
    }
    this.lensIndex.set(path, index);
    return index;
  }

  /** The profiled function a declaration of this file stands for, if it has samples. */
  declaredFunction(path: string, declaration: { name: string; receiver?: string }): string | undefined {
    if (!this.statsFor(path)) return undefined;
    return this.lensCandidates(path).get(`${declaration.receiver ?? ''}.${declaration.name}`)?.[0]?.functionName;
  }

  /** Lenses on the functions of a document, given its top-level declarations as they are now. */
  lenses(doc: DocumentText, declarations: readonly { name: string; receiver?: string; line: number }[]): Lens[] {
    const view = this.view();
    if (!view || !this.statsFor(doc.path)) return [];
    const map = this.lineMapFor(doc);
    if (!map) return [];
    const candidates = this.lensCandidates(doc.path);
    const lenses: Lens[] = [];
    const seen = new Set<number>();
    const place = (line: number, fn: FunctionStat) => {
      if (line < 0 || seen.has(line)) return;
      seen.add(line);
      lenses.push({ line, functionName: fn.functionName, text: view.lensText(fn) });
    };
    const declared = new Set<string>();
    for (const declaration of declarations) {
      const key = `${declaration.receiver ?? ''}.${declaration.name}`;
      const fn = candidates.get(key)?.[0];
      if (!fn) continue;
      declared.add(key);
      place(declaration.line, fn);
    }
    // Profiled functions without a declaration in the text as it is now: where their first line went.
    for (const [key, fns] of candidates) {
      if (declared.has(key)) continue;
      const fn = fns[0]!;
      const mapped = fn.startLine > 0 ? map.oldToNew[fn.startLine - 1] : undefined;
      if (mapped !== undefined && mapped >= 0) place(mapped, fn);
    }
    return lenses.sort((a, b) => a.line - b.line);
  }

  /** Hover content (markdown) for a line of a document, or undefined when the line has no samples. */
  hover(doc: DocumentText, line: number, functionAtLine?: string): string | undefined {
    const view = this.view();
    const stats = this.statsFor(doc.path);
    if (!view || !stats) return undefined;
    const map = this.lineMapFor(doc);
    if (!map) return undefined;
    let lineFlat = 0;
    let lineCum = 0;
    let lineFunction: string | undefined;
    let found = false;
    for (const file of stats) {
      for (const stat of file.lines.values()) {
        if (map.oldToNew[stat.line - 1] !== line) continue;
        lineFlat += stat.flat;
        lineCum += stat.cum;
        lineFunction ??= stat.functionName;
        found = true;
      }
    }
    const fnName = functionAtLine ?? lineFunction;
    const fn = fnName ? stats.flatMap((f) => f.functions).find((f) => f.functionName === fnName) : undefined;
    if (!found && !fn) return undefined;
    const type = view.sampleLabel;
    const { labelFilter, baseId } = this.store.viewOptions();
    const parts: string[] = [`**Go Trace Lens** · ${escapeMarkdown(this.store.active()?.label ?? 'profile')}${baseId ? ` − ${escapeMarkdown(this.store.base()?.label ?? 'base')}` : ''}${labelFilter ? ` · ${codeSpan(labelFilter)}` : ''}`];
    if (found) parts.push(`This line: **${view.format(lineFlat)}** flat (${view.percent(lineFlat)}) · **${view.format(lineCum)}** cum (${view.percent(lineCum)}) of ${view.format(view.total)} ${escapeMarkdown(type)}`);
    if (fn) {
      parts.push(`${codeSpan(fn.functionName)}: **${view.format(fn.flat)}** flat (${view.percent(fn.flat)}) · **${view.format(fn.cum)}** cum (${view.percent(fn.cum)})`);
      const { callers, callees } = view.callGraph(fn.functionName, 5);
      const rows = (title: string, list: typeof callers) =>
        list.length === 0 ? [] : [`${title}:`, ...list.map((c) => `- ${this.link(c.functionName, c.file, c.startLine)} — ${view.format(c.value)} (${view.percent(c.value)})`)];
      parts.push([...rows('Called from', callers), ...rows('Calls', callees)].join('\n'));
    }
    return parts.filter(Boolean).join('\n\n');
  }

  private link(name: string, file: string, line: number): string {
    const local = file ? this.sources.resolve(file) : null;
    const label = codeSpan(name);
    if (!local) return label;
    return `[${label}](${encodeURI('file://' + local)}#L${Math.max(1, line)})`;
  }

  // ---- views ----------------------------------------------------------------------------------------------

  private row(view: ProfileView, fn: FunctionStat): FunctionRow {
    return { functionName: fn.functionName, flat: fn.flat, cum: fn.cum, flatText: view.format(fn.flat), cumText: view.format(fn.cum), source: this.sources.sourceRef(fn.file, fn.startLine) };
  }

  topFunctions(limit: number, sortBy: 'flat' | 'cum'): TopFunctionsResult | undefined {
    const view = this.view();
    if (!view) return undefined;
    const key = sortBy === 'flat' ? (f: FunctionStat) => Math.abs(f.flat) : (f: FunctionStat) => Math.abs(f.cum);
    const rows = [...view.functions].sort((a, b) => key(b) - key(a) || (a.functionName < b.functionName ? -1 : 1)).slice(0, limit).map((f) => this.row(view, f));
    const unresolved: { file: string; reason: string }[] = [];
    for (const file of view.files.keys()) {
      if (this.sources.resolve(file)) continue;
      unresolved.push({ file, reason: this.sources.unresolvedReason(file) ?? 'not found' });
    }
    unresolved.sort((a, b) => (a.file < b.file ? -1 : 1));
    return { sampleType: view.sampleType, total: view.total, rows, unresolved };
  }

  functionDetail(functionName: string): FunctionDetail | undefined {
    const view = this.view();
    if (!view) return undefined;
    const fn = view.functions.find((f) => f.functionName === functionName);
    if (!fn) return { hotLines: [], callers: [], callees: [] };
    const hotLines = [...(view.files.get(fn.file)?.lines.values() ?? [])]
      .filter((l) => l.functionName === functionName)
      .sort((a, b) => Math.abs(b.cum) - Math.abs(a.cum) || a.line - b.line)
      .slice(0, 20)
      .map((l) => ({ line: l.line, flat: l.flat, cum: l.cum, text: view.lineText(l), source: this.sources.sourceRef(fn.file, l.line) }));
    const { callers, callees } = view.callGraph(functionName, 20);
    const asRow = (c: { functionName: string; file: string; startLine: number; value: number }): FunctionRow => ({
      functionName: c.functionName, flat: 0, cum: c.value, flatText: '', cumText: view.format(c.value), source: this.sources.sourceRef(c.file, c.startLine),
    });
    return { hotLines, callers: callers.map(asRow), callees: callees.map(asRow) };
  }

  // ---- goroutine pile-ups ---------------------------------------------------------------------------------

  /** Pile-ups of the newest loaded goroutine profile or dump, in the workspace's own files. */
  pileups(): PileupDiagnostic[] {
    const goroutines = this.store.newest('goroutine');
    if (!goroutines?.goroutines) return [];
    const found = findPileups(goroutines.goroutines, (file) => this.sources.resolveInWorkspace(file), this.settings.pileupThreshold);
    let parking: ParkingShare | undefined;
    const cpu = this.store.newest('cpu');
    if (cpu) {
      const cpuView = new ProfileView(cpu.profile);
      for (const name of ['runtime.selectgo', 'runtime.gopark'] as const) {
        const share = cpuView.cumShareOf(name);
        if (share >= this.settings.leakCpuShare && (!parking || share > parking.share)) parking = { functionName: name, share };
      }
    }
    return found.map((pileup) => ({ localPath: pileup.localPath, line: pileup.line - 1, message: pileupMessage(pileup, parking), pileup }));
  }

  /** Current line of a pile-up in an open document (its text may differ from the disk). */
  currentLine(doc: DocumentText, diskLine: number): number | undefined {
    const map = this.lineMapFor(doc);
    const line = map?.oldToNew[diskLine];
    return line !== undefined && line >= 0 ? line : undefined;
  }
}

/** Escapes text from a profile for Markdown (it is shown as text, never as markup or HTML). */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>&~]/g, (c) => `\\${c}`);
}

/** Text from a profile as an inline code span (which shows backslashes literally, so no escaping). */
export function codeSpan(text: string): string {
  const clean = text.replace(/[\r\n]/g, ' ');
  const fence = clean.includes('`') ? '``' : '`';
  return `${fence}${fence === '``' ? ' ' : ''}${clean}${fence === '``' ? ' ' : ''}${fence}`;
}
