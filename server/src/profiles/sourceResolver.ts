// Profile file names → local files: the build machine's paths in a profile mapped onto the workspace
// folders, GOROOT, the module cache and the user's path mappings (the pprof core's SourcePathResolver),
// memoised until the next change of the profiles, the folders or the settings. The timeline's frames
// resolve through it too.

import type { SourceRef } from '../../../common/profileProtocol';
import { cleanPath, isWithin, type PathSubstitution, type SourceFileSystem, SourcePathResolver } from '../../../core/profiles';

export interface SourceResolverHost {
  readonly fs: SourceFileSystem;
  /** GOROOT and GOMODCACHE (from `go env`), looked up once. */
  goLocations(): Promise<{ goroot?: string; gomodcache?: string }>;
}

export interface SourceSettings {
  readonly pathMappings: readonly PathSubstitution[];
  /** A GOROOT to use instead of `go env GOROOT`. */
  readonly goroot?: string;
}

export class SourceResolver {
  private resolver?: SourcePathResolver;
  /** Profile file name → local path (memoised until the next refresh). */
  private resolved = new Map<string, string | null>();
  private goLocations?: { goroot?: string; gomodcache?: string };

  constructor(
    private readonly host: SourceResolverHost,
    private workspaceFolders: readonly string[],
    private settings: SourceSettings,
  ) {}

  configure(workspaceFolders: readonly string[], settings: SourceSettings): void {
    this.workspaceFolders = workspaceFolders;
    this.settings = settings;
  }

  /** Starts over: the files, go.mod files and settings are read again on the next resolution. */
  async refresh(): Promise<void> {
    this.resolved = new Map();
    this.goLocations ??= await this.host.goLocations();
    this.resolver = new SourcePathResolver(this.host.fs, {
      workspaceFolders: this.workspaceFolders,
      goroot: this.settings.goroot || this.goLocations.goroot,
      gomodcache: this.goLocations.gomodcache,
      substitutions: this.settings.pathMappings,
    });
  }

  /** Local path of a profile file name, or null. */
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

  /** The local path of a profile file name when it is one of the workspace's own files, else null. */
  resolveInWorkspace(profileFile: string): string | null {
    const result = this.resolver?.resolve(profileFile);
    return result && result.localPath !== null && this.isInWorkspace(result.localPath) ? result.localPath : null;
  }

  isInWorkspace(localPath: string): boolean {
    return this.workspaceFolders.some((folder) => isWithin(cleanPath(localPath), cleanPath(folder)));
  }

  sourceRef(profileFile: string, line: number): SourceRef {
    return { localPath: profileFile ? this.resolve(profileFile) : null, profileFile, line };
  }
}
