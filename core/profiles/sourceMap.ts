// Profile file name → local source file. A profile records file names as the build saw them: absolute
// paths on the build machine, module-relative paths (`example.com/shop/cart.go` with -trimpath),
// `module@version/…` for dependencies, `runtime/proc.go` for the standard library. This resolves each to
// a file that exists here, by these rules in order:
//   1. user prefix substitutions ("/build/src" → "/home/me/src");
//   2. an absolute path that exists;
//   3. a module-relative path, via the `module` line of every go.mod in the workspace (and go.work);
//   4. a dependency in a module's vendor/ directory;
//   5. `module@version/…` in GOMODCACHE (module paths case-escaped as the go command does);
//   6. the standard library under GOROOT/src;
//   7. absolute paths from another machine: their `/pkg/mod/` part in GOMODCACHE, their `/src/` part in
//      GOROOT, or their part after a workspace folder's name in that folder.
// A result is only accepted inside a workspace folder, GOROOT or GOMODCACHE, so a crafted profile cannot
// make the editor open an arbitrary file. Inside workspace folders (content that came with a repository)
// symbolic links must not lead out of the folder either; GOROOT and GOMODCACHE are the toolchain's own
// (Debian's GOROOT/src, for one, is a link into /usr/share) and are checked by path only.

import { discoverGoModules, type GoModule } from './goModules';
import { baseName, cleanPath, isAbsolutePath, isWithin, joinPath } from './pathUtil';
import type { SourceFileSystem } from './sourceFileSystem';

export interface PathSubstitution {
  readonly from: string;
  readonly to: string;
}

export interface SourceMapConfig {
  readonly workspaceFolders: readonly string[];
  /** GOROOT (from `go env GOROOT` or a setting). */
  readonly goroot?: string;
  /** GOMODCACHE (from `go env GOMODCACHE`). */
  readonly gomodcache?: string;
  readonly substitutions?: readonly PathSubstitution[];
  /** The workspace's modules; discovered from the workspace folders when omitted. */
  readonly modules?: readonly GoModule[];
}

export type ResolutionRule = 'substitution' | 'absolute' | 'module' | 'vendor' | 'module-cache' | 'goroot' | 'relocated';

export type SourceResolution =
  | { readonly localPath: string; readonly rule: ResolutionRule }
  | { readonly localPath: null; readonly reason: string };

export interface ResolvedSources {
  /** Profile file name → local path, for those that resolved. */
  readonly resolved: ReadonlyMap<string, string>;
  /** Profile file names that did not resolve, sorted. */
  readonly unresolved: readonly string[];
}

/** The go command's module path escaping for the module cache: "Azure" → "!azure". */
export function escapeModulePath(path: string): string {
  return path.replace(/[A-Z]/g, (c) => '!' + c.toLowerCase());
}

export class SourcePathResolver {
  private readonly roots: string[];
  private readonly workspaceRoots: { path: string; real: string }[];
  private readonly modules: readonly GoModule[];
  private readonly cache = new Map<string, SourceResolution>();

  constructor(
    private readonly fs: SourceFileSystem,
    private readonly config: SourceMapConfig,
  ) {
    this.roots = [...config.workspaceFolders, config.goroot, config.gomodcache].filter((r): r is string => !!r).map((r) => cleanPath(r));
    this.workspaceRoots = config.workspaceFolders.map((w) => ({ path: cleanPath(w), real: cleanPath(fs.realPath?.(w) ?? w) }));
    const modules = config.modules ?? discoverGoModules(fs, config.workspaceFolders);
    // Longest module path first, so nested modules win over their parents.
    this.modules = [...modules].sort((a, b) => b.path.length - a.path.length);
  }

  /** The directories a resolution may land in. */
  get allowedRoots(): readonly string[] {
    return this.roots;
  }

  resolve(profilePath: string): SourceResolution {
    let result = this.cache.get(profilePath);
    if (!result) {
      result = this.compute(profilePath);
      this.cache.set(profilePath, result);
    }
    return result;
  }

  resolveAll(profilePaths: Iterable<string>): ResolvedSources {
    const resolved = new Map<string, string>();
    const unresolved = new Set<string>();
    for (const path of profilePaths) {
      const r = this.resolve(path);
      if (r.localPath !== null) resolved.set(path, r.localPath);
      else unresolved.add(path);
    }
    return { resolved, unresolved: [...unresolved].sort() };
  }

  /** The candidate if it is an existing file inside the allowed roots, else null. */
  private accept(candidate: string): string | null {
    const path = cleanPath(candidate);
    const toolchain = [this.config.goroot, this.config.gomodcache].some((root) => root && isWithin(path, root));
    const workspace = this.workspaceRoots.filter((root) => isWithin(path, root.path));
    if (!toolchain && workspace.length === 0) return null;
    if (!this.fs.isFile(path)) return null;
    if (!toolchain && this.fs.realPath) {
      const real = this.fs.realPath(path);
      if (real === undefined || !workspace.some((root) => isWithin(real, root.real))) return null;
    }
    return path;
  }

  private compute(raw: string): SourceResolution {
    if (raw === '') return { localPath: null, reason: 'the profile has no file name for this frame' };
    const name = raw.replace(/\\/g, '/');
    const found = (candidate: string | null | undefined, rule: ResolutionRule): SourceResolution | null => {
      if (!candidate) return null;
      const accepted = this.accept(candidate);
      return accepted ? { localPath: accepted, rule } : null;
    };

    for (const { from, to } of this.config.substitutions ?? []) {
      if (from === '') continue;
      const prefix = from.replace(/\/+$/, '');
      if (name === prefix || name.startsWith(prefix + '/')) {
        const hit = found(to.replace(/\/+$/, '') + name.slice(prefix.length), 'substitution');
        if (hit) return hit;
      }
    }

    if (isAbsolutePath(name)) {
      const hit = found(name, 'absolute');
      if (hit) return hit;
    } else {
      const relative = cleanPath(name.startsWith('$GOROOT/') ? name.slice('$GOROOT/'.length) : name);
      for (const module of this.modules) {
        if (relative.startsWith(module.path + '/')) {
          const hit = found(joinPath(module.dir, relative.slice(module.path.length + 1)), 'module');
          if (hit) return hit;
        }
      }
      const versioned = /^([^@]+)@([^/]+)\/(.+)$/.exec(relative);
      const importPath = versioned ? `${versioned[1]}/${versioned[3]}` : relative;
      for (const module of this.modules) {
        const hit = found(joinPath(module.dir, 'vendor', importPath), 'vendor');
        if (hit) return hit;
      }
      if (versioned && this.config.gomodcache) {
        const hit = found(joinPath(this.config.gomodcache, `${escapeModulePath(versioned[1]!)}@${escapeModulePath(versioned[2]!)}`, versioned[3]!), 'module-cache');
        if (hit) return hit;
      }
      if (this.config.goroot) {
        const srcRelative = name.startsWith('$GOROOT/') ? relative : joinPath('src', relative);
        const hit = found(joinPath(this.config.goroot, srcRelative), 'goroot');
        if (hit) return hit;
      }
    }

    const relocated = this.relocate(name);
    if (relocated) return relocated;
    return { localPath: null, reason: 'not found in the workspace, GOROOT or the module cache; add a path substitution if the sources live elsewhere' };
  }

  /** An absolute path from another machine, matched by its recognizable tail. */
  private relocate(name: string): SourceResolution | null {
    if (!name.startsWith('/')) return null;
    const tryPath = (candidate: string): SourceResolution | null => {
      const accepted = this.accept(candidate);
      return accepted ? { localPath: accepted, rule: 'relocated' } : null;
    };
    const modIndex = name.lastIndexOf('/pkg/mod/');
    if (modIndex !== -1 && this.config.gomodcache) {
      const hit = tryPath(joinPath(this.config.gomodcache, name.slice(modIndex + '/pkg/mod/'.length)));
      if (hit) return hit;
    }
    if (this.config.goroot) {
      for (let i = name.lastIndexOf('/src/'); i !== -1; i = i === 0 ? -1 : name.lastIndexOf('/src/', i - 1)) {
        const hit = tryPath(joinPath(this.config.goroot, 'src', name.slice(i + '/src/'.length)));
        if (hit) return hit;
      }
    }
    for (const module of this.modules) {
      const marker = `/${module.path}/`;
      const i = name.lastIndexOf(marker);
      if (i !== -1) {
        const hit = tryPath(joinPath(module.dir, name.slice(i + marker.length)));
        if (hit) return hit;
      }
    }
    for (const folder of this.config.workspaceFolders) {
      const marker = `/${baseName(folder)}/`;
      const i = name.lastIndexOf(marker);
      if (i !== -1) {
        const hit = tryPath(joinPath(folder, name.slice(i + marker.length)));
        if (hit) return hit;
      }
    }
    return null;
  }
}
