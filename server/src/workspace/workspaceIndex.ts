// The language server's workspace index: every Go file under the workspace folders (minus vendor and
// testdata, and as goTraceLens.analysis.include/exclude say) summarised into a CallGraphIndex, kept current
// from file-system events (created, changed, deleted files and folders; go.mod edits) and from open
// documents, whose editor text wins over the disk. Crawling yields to the event loop, so the server keeps
// answering while a large workspace is indexed. Node-only (fs).

import * as fs from 'node:fs';
import * as path from 'node:path';
import { modulesFor, indexDependencies } from '../../../core/analysis/index.node';
import { CallGraphIndex, parseModulePath, summarizeGoSource } from '../../../core/analysis';
import { AnalysisSettings } from '../../../common/settings';
import { anyGlob, type GlobMatcher } from './globs';

export interface IndexSettings {
  readonly include: readonly string[];
  readonly exclude: readonly string[];
  readonly includeVendor: boolean;
  readonly includeTestdata: boolean;
  /** Files larger than this many bytes are not indexed. */
  readonly maxFileSize: number;
}

/** The schema's defaults (common/settings.ts). */
export const DEFAULT_INDEX_SETTINGS: IndexSettings = {
  include: AnalysisSettings.include.default,
  exclude: AnalysisSettings.exclude.default,
  includeVendor: AnalysisSettings.includeVendor.default,
  includeTestdata: AnalysisSettings.includeTestdata.default,
  maxFileSize: AnalysisSettings.maxFileSizeKiB.default * 1024,
};

export type FileChange = { readonly path: string; readonly kind: 'created' | 'changed' | 'deleted' };

export type IndexStatus = Omit<import('../../../common/analysisProtocol').IndexStatus, 'heapUsedBytes' | 'rssBytes'>;

const ALWAYS_SKIPPED_DIRS = new Set(['node_modules']);

export class WorkspaceIndex {
  readonly graph = new CallGraphIndex();
  private folders: string[] = [];
  private settings: IndexSettings = DEFAULT_INDEX_SETTINGS;
  private include: GlobMatcher = anyGlob(DEFAULT_INDEX_SETTINGS.include);
  private exclude: GlobMatcher = anyGlob([]);
  private readonly open = new Set<string>();
  private generation = 0;
  private state: IndexStatus['state'] = 'idle';
  private skipped = 0;
  private milliseconds = 0;

  constructor(
    private readonly log: (message: string) => void,
    /** Where the module cache is (GOMODCACHE), for the workspace's dependencies; undefined: none followed. */
    private readonly moduleCache: () => Promise<string | undefined> = async () => undefined,
  ) {}

  status(): IndexStatus {
    const stats = this.graph.stats();
    return {
      state: this.state, folders: this.folders, files: stats.files, functions: stats.functions, calls: stats.calls,
      modules: stats.modules, skipped: this.skipped, milliseconds: Math.round(this.milliseconds),
    };
  }

  /** Whether a path belongs in the index under the current folders and settings. */
  wants(file: string): boolean {
    const folder = this.folders.find((f) => file === f || file.startsWith(f + path.sep));
    if (!folder) return false;
    const rel = path.relative(folder, file).split(path.sep).join('/');
    const segments = rel.split('/');
    for (const dir of segments.slice(0, -1)) {
      if (this.skipsDir(dir)) return false;
    }
    return this.include(rel) && !this.exclude(rel);
  }

  private skipsDir(name: string): boolean {
    // Like the go tool: folders starting with "." or "_" hold no packages.
    if (ALWAYS_SKIPPED_DIRS.has(name) || name.startsWith('.') || name.startsWith('_')) return true;
    if (name === 'vendor' && !this.settings.includeVendor) return true;
    if (name === 'testdata' && !this.settings.includeTestdata) return true;
    return false;
  }

  /** Indexes the folders from scratch; resolves when done (or when a newer rebuild replaced this one). */
  async rebuild(folders: readonly string[], settings: IndexSettings): Promise<void> {
    const generation = ++this.generation;
    this.folders = folders.map((f) => path.resolve(f));
    this.settings = settings;
    this.include = anyGlob(settings.include.length > 0 ? settings.include : DEFAULT_INDEX_SETTINGS.include);
    this.exclude = anyGlob(settings.exclude);
    for (const file of this.graph.paths()) if (!this.open.has(file)) this.graph.removeFile(file);
    // Required modules are read again below, for the folders' go.mod files as they are now.
    for (const dir of this.graph.moduleDirs()) {
      if (!this.folders.some((f) => dir === f || dir.startsWith(f + path.sep) || f.startsWith(dir + path.sep))) this.graph.removeModule(dir);
    }
    this.state = 'indexing';
    this.skipped = 0;
    const started = performance.now();
    let sinceYield = 0;
    const walk = async (dir: string, rel: string): Promise<void> => {
      let entries: fs.Dirent[];
      try {
        entries = await fs.promises.readdir(dir, { withFileTypes: true });
      } catch (error) {
        this.log(`Index: cannot read ${dir} (${(error as NodeJS.ErrnoException).code ?? String(error)}); skipped.`);
        return;
      }
      for (const entry of entries) {
        if (generation !== this.generation) return;
        const full = path.join(dir, entry.name);
        const relPath = rel ? `${rel}/${entry.name}` : entry.name;
        if (entry.isDirectory()) {
          if (!this.skipsDir(entry.name)) await walk(full, relPath);
        } else if (entry.isFile()) {
          if (entry.name === 'go.mod') this.readModule(dir);
          else if (entry.name.endsWith('.go') && this.include(relPath) && !this.exclude(relPath)) {
            await this.readFile(full);
            if (++sinceYield >= 64) {
              sinceYield = 0;
              await new Promise<void>((resolve) => setImmediate(resolve));
            }
          }
        }
      }
    };
    // go.mod files above the folders (a folder opened inside a module) map import paths too.
    for (const [dir, modulePath] of modulesFor(this.folders)) this.graph.setModule(dir, modulePath);
    for (const folder of this.folders) {
      if (generation !== this.generation) return;
      await walk(folder, '');
    }
    if (generation !== this.generation) return;
    const dependencies = await this.indexDependencies();
    if (generation !== this.generation) return;
    this.milliseconds = performance.now() - started;
    this.state = 'ready';
    const s = this.status();
    const deps = dependencies > 0 ? `, ${dependencies} of them from required modules` : '';
    this.log(`Indexed ${s.files} Go files${deps} (${s.functions} functions, ${s.modules} modules) in ${s.milliseconds} ms${s.skipped ? `; ${s.skipped} skipped` : ''}.`);
  }

  /** The packages of required modules the workspace imports, from the module cache (see dependencies.ts). */
  private async indexDependencies(): Promise<number> {
    const goMods = new Map<string, string>();
    for (const dir of this.graph.moduleDirs()) {
      try {
        goMods.set(dir, await fs.promises.readFile(path.join(dir, 'go.mod'), 'utf8'));
      } catch {
        // a module folder without a readable go.mod (the standard library's): nothing required
      }
    }
    if (goMods.size === 0) return 0;
    try {
      return await indexDependencies(this.graph, goMods, this.graph.importPaths(), await this.moduleCache());
    } catch (error) {
      this.log(`Index: the workspace's dependencies could not be read (${String(error)}); calls into them are not followed.`);
      return 0;
    }
  }

  private readModule(dir: string): void {
    try {
      const modulePath = parseModulePath(fs.readFileSync(path.join(dir, 'go.mod'), 'utf8'));
      if (modulePath) this.graph.setModule(dir, modulePath);
      else this.graph.removeModule(dir);
    } catch {
      this.graph.removeModule(dir);
    }
  }

  private async readFile(file: string): Promise<void> {
    if (this.open.has(file)) return;
    let text: string;
    try {
      const stat = await fs.promises.stat(file);
      if (stat.size > this.settings.maxFileSize) {
        this.skipped++;
        this.log(`Index: ${file} is larger than ${Math.round(this.settings.maxFileSize / 1024)} KiB; not indexed.`);
        this.graph.removeFile(file);
        return;
      }
      text = await fs.promises.readFile(file, 'utf8');
    } catch {
      this.graph.removeFile(file);
      return;
    }
    if (text.includes('\u0000')) {
      this.skipped++;
      this.log(`Index: ${file} contains NUL bytes (a binary file?); not indexed.`);
      this.graph.removeFile(file);
      return;
    }
    if (!this.open.has(file)) this.graph.setFile(file, summarizeGoSource(text));
  }

  /** File-system events: re-read changed files, drop deleted files and folders, follow go.mod edits. */
  async filesChanged(changes: readonly FileChange[]): Promise<void> {
    for (const change of changes) {
      const file = path.resolve(change.path);
      if (path.basename(file) === 'go.mod') {
        if (change.kind === 'deleted') this.graph.removeModule(path.dirname(file));
        else this.readModule(path.dirname(file));
        continue;
      }
      if (change.kind === 'deleted') {
        if (!this.graph.removeFile(file)) this.graph.removeUnder(file);
        continue;
      }
      if (file.endsWith('.go') && this.wants(file)) await this.readFile(file);
      else if (change.kind === 'created' && !file.endsWith('.go')) await this.indexFolder(file);
    }
  }

  /** A folder that appeared (created, or moved in): index what it holds. */
  private async indexFolder(dir: string): Promise<void> {
    let entries: fs.Dirent[];
    try {
      entries = await fs.promises.readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory() && !this.skipsDir(entry.name)) await this.indexFolder(full);
      else if (entry.isFile() && entry.name === 'go.mod') this.readModule(dir);
      else if (entry.isFile() && entry.name.endsWith('.go') && this.wants(full)) await this.readFile(full);
    }
  }

  /** An open document's text replaces the file on disk in the index. Returns whether its summary changed. */
  documentChanged(file: string, text: string): boolean {
    const resolved = path.resolve(file);
    this.open.add(resolved);
    return this.graph.setFile(resolved, summarizeGoSource(text));
  }

  /** The document was closed: the disk is the truth again (or the file leaves the index). */
  async documentClosed(file: string): Promise<void> {
    const resolved = path.resolve(file);
    this.open.delete(resolved);
    if (this.wants(resolved) && fs.existsSync(resolved)) await this.readFile(resolved);
    else this.graph.removeFile(resolved);
  }
}
