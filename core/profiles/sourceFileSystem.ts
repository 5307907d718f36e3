// The file-system view the source mapping needs, as an interface: the language server and the CLI pass
// one backed by Node's fs (`sourceFileSystem.node.ts`), the tests an in-memory one (test/helpers).

export interface DirectoryEntry {
  readonly name: string;
  readonly isDirectory: boolean;
}

export interface SourceFileSystem {
  /** True when `path` names an existing regular file. */
  isFile(path: string): boolean;
  /** The file's text, or undefined when it cannot be read. */
  readText(path: string): string | undefined;
  /** The directory's entries, or undefined when it cannot be read. */
  readDir(path: string): DirectoryEntry[] | undefined;
  /** The path with symbolic links resolved, or undefined; without it, links are not checked. */
  realPath?(path: string): string | undefined;
}
