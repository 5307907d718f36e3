// The language server's profiles: which are loaded, which one is active, under which sample type, label
// filter and diff base; and the answers the editor asks for — heat per line and lenses per function of a
// document as it is now, hovers, top functions, a function's callers and callees, goroutine pile-ups.
// File access goes through `ProfileServiceHost`, so the service itself is plain logic.

import type { FunctionDetail, FunctionRow, LineHeat, LineHeatResult, LoadedProfile, ProfileState, SourceRef, TopFunctionsResult } from '../../../common/profileProtocol';
import { type Profile, describeProfile, type ProfileInfo, type ProfileKind, isProfileError, type SourceFileSystem, SourcePathResolver, type PathSubstitution, cleanPath, isWithin, goroutineDumpToProfile, looksLikeGoroutineDump, parseGoroutineDump } from '../../../core/profiles';
import { parseGoFunctionName } from './functionLocator';
import { mapLines, RECOGNITION_THRESHOLD, splitLines, type LineMap } from './lineMap';
import { findPileups, goroutineGroupsFromDump, goroutineGroupsFromProfile, pileupMessage, type GoroutineGroup, type ParkingShare, type Pileup } from './pileups';
import { ProfileView, type FileStats, type FunctionStat } from './profileView';

export interface ProfileServiceHost {
  /** Decodes a profile file (gzipped or not), refusing more than `maxDecompressedBytes`. */
  decodeProfileFile(path: string, maxDecompressedBytes: number): Promise<Profile>;
  /** The first bytes of a file, to tell a goroutine dump from a profile. */
  readHead(path: string, bytes: number): Uint8Array;
  readText(path: string): string | undefined;
  readonly fs: SourceFileSystem;
  /** GOROOT and GOMODCACHE (from `go env`), looked up once. */
  goLocations(): Promise<{ goroot?: string; gomodcache?: string }>;
  now(): number;
}

export interface ProfileSettings {
  readonly pathMappings: readonly PathSubstitution[];
  /** A GOROOT to use instead of `go env GOROOT`. */
  readonly goroot?: string;
  /** Lines whose |cum| share is below this get no heat (0..1). */
  readonly heatThreshold: number;
  readonly pileupThreshold: number;
  /** A CPU profile's share in runtime.selectgo / runtime.gopark above which pile-ups mention a leak. */
  readonly leakCpuShare: number;
  readonly maxDecompressedBytes: number;
}

export const DEFAULT_PROFILE_SETTINGS: ProfileSettings = {
  pathMappings: [],
  heatThreshold: 0.005,
  pileupThreshold: 100,
  leakCpuShare: 0.15,
  maxDecompressedBytes: 512 * 1024 * 1024,
};

interface Entry {
  readonly id: string;
  readonly path: string;
  readonly profile: Profile;
  readonly info: ProfileInfo;
  readonly kind: ProfileKind;
  readonly label: string;
  /** For goroutine profiles and dumps: the goroutines, for pile-ups. */
  readonly goroutines?: GoroutineGroup[];
  readonly loadOrder: number;
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

export class ProfileLoadError extends Error {
  override readonly name = 'ProfileLoadError';
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

export class ProfileService {
  private readonly entries = new Map<string, Entry>();
  private nextId = 1;
  private activeId: string | null = null;
  private sampleIndex = 0;
  private baseId: string | null = null;
  private labelFilter: string | null = null;
  private viewCache?: ProfileView;
  private resolver?: SourcePathResolver;
  /** Profile file name → local path, for the active view. */
  private resolved = new Map<string, string | null>();
  /** Local path → the profile's stats of that file (several profile names may resolve to one path). */
  private byLocalPath = new Map<string, FileStats[]>();
  /** Disk content of a profiled file when first needed (what the profile's line numbers describe). */
  private readonly baselines = new Map<string, string[] | null>();
  private readonly lineMaps = new Map<string, { version: number; map: LineMap | null }>();
  private lensIndex = new Map<string, Map<string, FunctionStat[]>>();
  private goLocations?: { goroot?: string; gomodcache?: string };

  constructor(
    private readonly host: ProfileServiceHost,
    private workspaceFolders: readonly string[],
    private settings: ProfileSettings = DEFAULT_PROFILE_SETTINGS,
  ) {}

  // ---- loading and state ------------------------------------------------------------------------------

  async load(path: string, options: { makeActive: boolean; kindHint?: string }): Promise<LoadedProfile> {
    const existing = [...this.entries.values()].find((e) => e.path === path);
    if (existing) this.entries.delete(existing.id);
    // A new profile may come from a newer build: what its line numbers describe is the disk as it is now.
    this.baselines.clear();
    const entry = await this.read(path, options.kindHint, existing?.id);
    this.entries.set(entry.id, entry);
    if (options.makeActive || this.activeId === null || existing?.id === this.activeId) {
      this.activeId = entry.id;
      this.sampleIndex = entry.info.defaultSampleIndex;
      if (this.baseId === entry.id) this.baseId = null;
      this.labelFilter = null;
    }
    await this.invalidate();
    return this.describe(entry);
  }

  private async read(path: string, kindHint: string | undefined, reuseId?: string): Promise<Entry> {
    const id = reuseId ?? `p${this.nextId++}`;
    const head = (() => {
      try {
        return this.host.readHead(path, 4096);
      } catch (error) {
        throw new ProfileLoadError('unreadable', `${path} cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)}).`);
      }
    })();
    const headText = new TextDecoder('utf-8', { fatal: false }).decode(head);
    let profile: Profile;
    let goroutines: GoroutineGroup[] | undefined;
    if (looksLikeGoroutineDump(headText)) {
      const text = this.host.readText(path) ?? '';
      const dump = parseGoroutineDump(text);
      profile = goroutineDumpToProfile(dump, this.host.now());
      goroutines = goroutineGroupsFromDump(dump);
    } else {
      try {
        profile = await this.host.decodeProfileFile(path, this.settings.maxDecompressedBytes);
      } catch (error) {
        if (isProfileError(error)) throw new ProfileLoadError(error.code, `${baseName(path)} is not a profile Go Trace Lens can read: ${error.message}`);
        throw error;
      }
    }
    const info = describeProfile(profile, { kindHint });
    if (info.kind === 'goroutine' && !goroutines) goroutines = goroutineGroupsFromProfile(profile);
    const kindLabel = goroutines && looksLikeGoroutineDump(headText) ? 'goroutine dump' : `${info.kind === 'unknown' ? '' : info.kind + ' '}profile`;
    return { id, path, profile, info, kind: info.kind, label: `${kindLabel} · ${baseName(path)}`, goroutines, loadOrder: this.nextId++ };
  }

  private describe(entry: Entry): LoadedProfile {
    return {
      id: entry.id,
      path: entry.path,
      label: entry.label,
      kind: entry.kind,
      sampleTypes: entry.info.sampleTypes,
      defaultSampleIndex: entry.info.defaultSampleIndex,
      durationNanos: entry.info.durationNanos,
      timeMs: entry.info.timeMs,
      labels: entry.info.labels.map((l) => ({ key: l.key, values: l.values })),
      noSourceInfo: entry.info.locationCount > 0 && entry.info.locationsWithoutSource === entry.info.locationCount,
    };
  }

  state(): ProfileState {
    const profiles = [...this.entries.values()].sort((a, b) => a.loadOrder - b.loadOrder).map((e) => this.describe(e));
    let total = 0;
    try {
      total = this.view()?.total ?? 0;
    } catch {
      total = 0;
    }
    return { profiles, activeId: this.activeId, sampleIndex: this.sampleIndex, baseId: this.baseId, labelFilter: this.labelFilter, total };
  }

  /** Applies a change of the active profile, sample type, diff base, label filter, or unloads a profile. */
  async update(change: { activeId?: string | null; sampleIndex?: number; baseId?: string | null; labelFilter?: string | null; unloadId?: string }): Promise<void> {
    if (change.unloadId) {
      this.entries.delete(change.unloadId);
      if (this.activeId === change.unloadId) this.activeId = null;
      if (this.baseId === change.unloadId) this.baseId = null;
    }
    if (change.activeId !== undefined) {
      if (change.activeId !== null && !this.entries.has(change.activeId)) throw new ProfileLoadError('unknown-profile', 'That profile is no longer loaded.');
      if (change.activeId !== this.activeId) {
        this.activeId = change.activeId;
        this.sampleIndex = change.activeId ? this.entries.get(change.activeId)!.info.defaultSampleIndex : 0;
        this.labelFilter = null;
        if (this.baseId === this.activeId) this.baseId = null;
      }
    }
    if (change.sampleIndex !== undefined) this.sampleIndex = change.sampleIndex;
    if (change.baseId !== undefined) this.baseId = change.baseId;
    if (change.labelFilter !== undefined) this.labelFilter = change.labelFilter && change.labelFilter.trim() !== '' ? change.labelFilter.trim() : null;
    if (this.activeId === null) {
      this.baseId = null;
      this.labelFilter = null;
    }
    await this.invalidate();
    // Surface a bad filter or an incompatible base now, as an error for the command that set it.
    this.view();
  }

  updateWorkspace(folders: readonly string[], settings: ProfileSettings): Promise<void> {
    this.workspaceFolders = folders;
    this.settings = settings;
    return this.invalidate();
  }

  /** Forgets what was derived from the active view; called after any change. */
  private async invalidate(): Promise<void> {
    this.viewCache = undefined;
    this.resolved = new Map();
    this.byLocalPath = new Map();
    this.lensIndex = new Map();
    this.lineMaps.clear();
    this.goLocations ??= await this.host.goLocations();
    this.resolver = new SourcePathResolver(this.host.fs, {
      workspaceFolders: this.workspaceFolders,
      goroot: this.settings.goroot || this.goLocations.goroot,
      gomodcache: this.goLocations.gomodcache,
      substitutions: this.settings.pathMappings,
    });
  }

  /** The view of the active profile, or undefined when none is active. Throws ProfileError on bad filters. */
  view(): ProfileView | undefined {
    if (this.viewCache) return this.viewCache;
    const active = this.activeId ? this.entries.get(this.activeId) : undefined;
    if (!active) return undefined;
    const base = this.baseId ? this.entries.get(this.baseId)?.profile : undefined;
    this.viewCache = new ProfileView(active.profile, { sampleIndex: this.sampleIndex, base, labelFilter: this.labelFilter ?? undefined });
    this.indexFiles(this.viewCache);
    return this.viewCache;
  }

  activeLabel(): string | undefined {
    return this.activeId ? this.entries.get(this.activeId)?.label : undefined;
  }

  baseLabel(): string | undefined {
    return this.baseId ? this.entries.get(this.baseId)?.label : undefined;
  }

  activeInfo(): ProfileInfo | undefined {
    return this.activeId ? this.entries.get(this.activeId)?.info : undefined;
  }

  private indexFiles(view: ProfileView): void {
    for (const stats of view.files.values()) {
      const local = this.resolve(stats.file);
      if (!local) continue;
      const list = this.byLocalPath.get(local) ?? [];
      list.push(stats);
      this.byLocalPath.set(local, list);
    }
    // Lens candidates are indexed now, with the view, rather than when a file is first opened.
    for (const local of this.byLocalPath.keys()) this.lensCandidates(local);
  }

  /** Local path of a profile file name, or null (memoised for the active view). */
  resolve(profileFile: string): string | null {
    let local = this.resolved.get(profileFile);
    if (local === undefined) {
      const result = this.resolver?.resolve(profileFile);
      local = result && result.localPath !== null ? result.localPath : null;
      this.resolved.set(profileFile, local);
    }
    return local;
  }

  /** Why a profile file name does not resolve, or undefined when it does. */
  unresolvedReason(profileFile: string): string | undefined {
    const result = this.resolver?.resolve(profileFile);
    return result && result.localPath === null ? result.reason : undefined;
  }

  isInWorkspace(localPath: string): boolean {
    return this.workspaceFolders.some((folder) => isWithin(cleanPath(localPath), cleanPath(folder)));
  }

  sourceRef(profileFile: string, line: number): SourceRef {
    return { localPath: profileFile ? this.resolve(profileFile) : null, profileFile, line };
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
    const type = view.sampleType.type;
    const parts: string[] = [`**Go Trace Lens** · ${escapeMarkdown(this.activeLabel() ?? 'profile')}${this.baseId ? ` − ${escapeMarkdown(this.baseLabel() ?? 'base')}` : ''}${this.labelFilter ? ` · ${codeSpan(this.labelFilter)}` : ''}`];
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
    const local = file ? this.resolve(file) : null;
    const label = codeSpan(name);
    if (!local) return label;
    return `[${label}](${encodeURI('file://' + local)}#L${Math.max(1, line)})`;
  }

  // ---- views ----------------------------------------------------------------------------------------------

  private row(view: ProfileView, fn: FunctionStat): FunctionRow {
    return { functionName: fn.functionName, flat: fn.flat, cum: fn.cum, flatText: view.format(fn.flat), cumText: view.format(fn.cum), source: this.sourceRef(fn.file, fn.startLine) };
  }

  topFunctions(limit: number, sortBy: 'flat' | 'cum'): TopFunctionsResult | undefined {
    const view = this.view();
    if (!view) return undefined;
    const key = sortBy === 'flat' ? (f: FunctionStat) => Math.abs(f.flat) : (f: FunctionStat) => Math.abs(f.cum);
    const rows = [...view.functions].sort((a, b) => key(b) - key(a) || (a.functionName < b.functionName ? -1 : 1)).slice(0, limit).map((f) => this.row(view, f));
    const unresolved: { file: string; reason: string }[] = [];
    for (const file of view.files.keys()) {
      if (this.resolve(file)) continue;
      unresolved.push({ file, reason: this.unresolvedReason(file) ?? 'not found' });
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
      .map((l) => ({ line: l.line, flat: l.flat, cum: l.cum, text: view.lineText(l), source: this.sourceRef(fn.file, l.line) }));
    const { callers, callees } = view.callGraph(functionName, 20);
    const asRow = (c: { functionName: string; file: string; startLine: number; value: number }): FunctionRow => ({
      functionName: c.functionName, flat: 0, cum: c.value, flatText: '', cumText: view.format(c.value), source: this.sourceRef(c.file, c.startLine),
    });
    return { hotLines, callers: callers.map(asRow), callees: callees.map(asRow) };
  }

  // ---- goroutine pile-ups ---------------------------------------------------------------------------------

  /** Pile-ups of the newest loaded goroutine profile or dump, in the workspace's own files. */
  pileups(): PileupDiagnostic[] {
    const newest = (kind: ProfileKind) => [...this.entries.values()].filter((e) => e.kind === kind).sort((a, b) => b.loadOrder - a.loadOrder)[0];
    const goroutines = newest('goroutine');
    if (!goroutines?.goroutines) return [];
    const resolver = this.resolver;
    const localOf = (file: string) => {
      const result = resolver?.resolve(file);
      return result && result.localPath !== null && this.isInWorkspace(result.localPath) ? result.localPath : null;
    };
    const found = findPileups(goroutines.goroutines, localOf, this.settings.pileupThreshold);
    let parking: ParkingShare | undefined;
    const cpu = newest('cpu');
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
