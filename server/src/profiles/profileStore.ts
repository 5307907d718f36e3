// The loaded profiles and the active state: which profile is active, under which sample type, label
// filter and diff base. Loading reads a file once — a goroutine dump (debug=2 text) is parsed, anything
// else decoded as a pprof profile — and keeps what every projection needs. A profile's kind is what the
// caller says (a capture knows its endpoint), else inferred from its contents and, for files opened by
// hand, its name. Those that derive from the
// active state (the source resolver, the projections) listen for changes. File access goes through
// `ProfileFileHost`, so the store itself is plain logic.

import type { LoadedProfile, ProfileFile, ProfileState, UpdateProfileViewParams } from '../../../common/profileProtocol';
import {
  type Profile, describeProfile, profileKindTitle, type ProfileInfo, type ProfileKind, isProfileError, goroutineDumpToProfile, looksLikeGoroutineDump,
  parseGoroutineDump,
} from '../../../core/profiles';
import { goroutineGroupsFromDump, goroutineGroupsFromProfile, type GoroutineGroup } from './pileups';

export interface ProfileFileHost {
  /** Decodes a profile file (gzipped or not), refusing more than `maxDecompressedBytes`. */
  decodeProfileFile(path: string, maxDecompressedBytes: number): Promise<Profile>;
  /** The first bytes of a file, to tell a goroutine dump from a profile. */
  readHead(path: string, bytes: number): Uint8Array;
  readText(path: string): string | undefined;
  now(): number;
}

export interface ProfileEntry {
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

/** What a change did: `loaded` when a profile file was (re)read. */
export interface StoreChange {
  readonly loaded: boolean;
}

export class ProfileLoadError extends Error {
  override readonly name = 'ProfileLoadError';
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/**
 * The kind a file's name suggests: Go's and the capture feature's file names say which endpoint a profile
 * came from (heap vs allocs, mutex vs block, which the contents cannot always tell).
 */
export function kindFromFileName(name: string): string | undefined {
  const match = /(?:^|[-_.])(cpu|heap|allocs|goroutine|mutex|block|threadcreate|mem)(?:[-_.]|$)/.exec(name.toLowerCase());
  if (!match) return undefined;
  return match[1] === 'mem' ? 'heap' : match[1];
}

export class ProfileStore {
  private readonly entries = new Map<string, ProfileEntry>();
  private nextId = 1;
  private activeId: string | null = null;
  private sampleIndex = 0;
  private baseId: string | null = null;
  private labelFilter: string | null = null;
  private readonly listeners: ((change: StoreChange) => Promise<void>)[] = [];

  constructor(
    private readonly host: ProfileFileHost,
    private maxDecompressedBytes: number,
  ) {}

  /** Runs `listener` (awaited, in order) after every change, before the change's caller continues. */
  onDidChange(listener: (change: StoreChange) => Promise<void>): void {
    this.listeners.push(listener);
  }

  setMaxDecompressedBytes(bytes: number): void {
    this.maxDecompressedBytes = bytes;
  }

  async load(file: ProfileFile, options: { makeActive: boolean }): Promise<LoadedProfile> {
    const { path } = file;
    const existing = [...this.entries.values()].find((e) => e.path === path);
    if (existing) this.entries.delete(existing.id);
    const entry = await this.read(path, file.kind ?? kindFromFileName(baseName(path)), existing?.id);
    this.entries.set(entry.id, entry);
    if (options.makeActive || this.activeId === null || existing?.id === this.activeId) {
      this.activeId = entry.id;
      this.sampleIndex = entry.info.defaultSampleIndex;
      if (this.baseId === entry.id) this.baseId = null;
      this.labelFilter = null;
    }
    await this.changed({ loaded: true });
    return describe(entry);
  }

  private async read(path: string, kindHint: string | undefined, reuseId?: string): Promise<ProfileEntry> {
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
        profile = await this.host.decodeProfileFile(path, this.maxDecompressedBytes);
      } catch (error) {
        if (isProfileError(error)) throw new ProfileLoadError(error.code, `${baseName(path)} is not a profile Go Trace Lens can read: ${error.message}`);
        throw error;
      }
    }
    const info = describeProfile(profile, { kindHint });
    if (info.kind === 'goroutine' && !goroutines) goroutines = goroutineGroupsFromProfile(profile);
    const kindLabel = goroutines && looksLikeGoroutineDump(headText) ? 'goroutine dump' : `${info.kind === 'unknown' ? '' : profileKindTitle(info.kind) + ' '}profile`;
    return { id, path, profile, info, kind: info.kind, label: `${kindLabel} · ${baseName(path)}`, goroutines, loadOrder: this.nextId++ };
  }

  /** Applies a change of the active profile, sample type, diff base, label filter, or unloads a profile. */
  async update(change: UpdateProfileViewParams): Promise<void> {
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
    await this.changed({ loaded: false });
  }

  /** Tells the listeners that what derives from the store (or from their own settings) is stale. */
  async changed(change: StoreChange): Promise<void> {
    for (const listener of this.listeners) await listener(change);
  }

  /** The state the client sees, but the view's total (the projections know it). */
  snapshot(): Omit<ProfileState, 'total'> {
    const profiles = this.all().map(describe);
    return { profiles, activeId: this.activeId, sampleIndex: this.sampleIndex, baseId: this.baseId, labelFilter: this.labelFilter };
  }

  /** Every loaded profile, in the order they were loaded. */
  all(): ProfileEntry[] {
    return [...this.entries.values()].sort((a, b) => a.loadOrder - b.loadOrder);
  }

  active(): ProfileEntry | undefined {
    return this.activeId ? this.entries.get(this.activeId) : undefined;
  }

  base(): ProfileEntry | undefined {
    return this.baseId ? this.entries.get(this.baseId) : undefined;
  }

  /** The sample type, label filter and diff base the active profile is viewed under. */
  viewOptions(): { readonly sampleIndex: number; readonly labelFilter: string | null; readonly baseId: string | null } {
    return { sampleIndex: this.sampleIndex, labelFilter: this.labelFilter, baseId: this.baseId };
  }

  /** The most recently loaded profile of a kind. */
  newest(kind: ProfileKind): ProfileEntry | undefined {
    return [...this.entries.values()].filter((e) => e.kind === kind).sort((a, b) => b.loadOrder - a.loadOrder)[0];
  }
}

function describe(entry: ProfileEntry): LoadedProfile {
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
