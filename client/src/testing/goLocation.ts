// Which `go` to run: `goTraceLens.goExecutable` when it is set (a path, `~/…`, or a command name looked up
// on PATH); else `go` on the PATH VS Code was started with; else where Go installs itself (`$GOROOT/bin`,
// the official installers' folders, Homebrew's), since an editor started from a desktop launcher often has
// a shorter PATH than a terminal. When none is found, the answer says where it looked and what to do.

import { constants } from 'node:fs';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { GoToolSettings } from '../../../common/settings';

export interface GoLookup {
  /** The setting's value ('' when not set). */
  readonly setting: string;
  readonly env: NodeJS.ProcessEnv;
  readonly platform: NodeJS.Platform;
  readonly home: string;
}

export type GoLocation = { readonly go: string } | { readonly problem: string; readonly fromSetting: boolean };

/** Folders Go's installers (and Homebrew, and Debian's golang-go) put `go` in, after PATH and $GOROOT/bin. */
function wellKnownFolders(lookup: GoLookup): string[] {
  if (lookup.platform === 'win32') {
    const programFiles = lookup.env.ProgramFiles ?? 'C:\\Program Files';
    return [path.win32.join(programFiles, 'Go', 'bin'), path.win32.join(lookup.home, 'go', 'bin')];
  }
  return ['/usr/local/go/bin', '/opt/homebrew/bin', '/usr/local/bin', '/usr/lib/go/bin', '/snap/bin'];
}

function executableNames(name: string, lookup: GoLookup): string[] {
  if (lookup.platform !== 'win32' || path.extname(name) !== '') return [name];
  const extensions = (lookup.env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';').filter((e) => e !== '');
  return extensions.map((ext) => `${name}${ext.toLowerCase()}`);
}

async function isExecutableFile(file: string, platform: NodeJS.Platform): Promise<boolean> {
  try {
    const stat = await fs.stat(file);
    if (!stat.isFile()) return false;
    if (platform !== 'win32') await fs.access(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

async function findIn(folders: readonly string[], name: string, lookup: GoLookup): Promise<string | undefined> {
  for (const folder of folders) {
    if (folder === '') continue;
    for (const candidate of executableNames(name, lookup)) {
      const file = path.join(folder, candidate);
      if (await isExecutableFile(file, lookup.platform)) return file;
    }
  }
  return undefined;
}

function pathFolders(lookup: GoLookup): string[] {
  const value = lookup.env.PATH ?? lookup.env.Path ?? '';
  return value.split(lookup.platform === 'win32' ? ';' : ':');
}

/** Where `go` is, or why it was not found. */
export async function locateGo(lookup: GoLookup): Promise<GoLocation> {
  const key = GoToolSettings.goExecutable.key;
  const setting = lookup.setting.trim();
  if (setting !== '') {
    const expanded = setting.replace(/^~(?=$|[\\/])/, lookup.home);
    if (path.isAbsolute(expanded) || /[\\/]/.test(expanded)) {
      const file = path.resolve(expanded);
      if (await isExecutableFile(file, lookup.platform)) return { go: file };
      return { problem: `${key} is "${setting}", which is not an executable file. Set it to the go binary (e.g. /usr/local/go/bin/go), or clear it to use go from the PATH.`, fromSetting: true };
    }
    const found = await findIn(pathFolders(lookup), expanded, lookup);
    if (found) return { go: found };
    return { problem: `${key} is "${setting}", which is not a command on the PATH. Set it to the go binary's full path.`, fromSetting: true };
  }
  const onPath = await findIn(pathFolders(lookup), 'go', lookup);
  if (onPath) return { go: onPath };
  const goroot = lookup.env.GOROOT ? [path.join(lookup.env.GOROOT, 'bin')] : [];
  const installed = await findIn([...goroot, ...wellKnownFolders(lookup)], 'go', lookup);
  if (installed) return { go: installed };
  return {
    problem: `Go Trace Lens cannot find the go command: it is not on the PATH VS Code was started with, nor in ${[...goroot, ...wellKnownFolders(lookup)].join(', ')}. Install Go (https://go.dev/dl), or set ${key} to the go binary's path.`,
    fromSetting: false,
  };
}

/** The lookup for this extension host. */
export function hostGoLookup(setting: string): GoLookup {
  return { setting, env: process.env, platform: process.platform, home: os.homedir() };
}
