// Loads web-tree-sitter and the Go grammar once per process and hands out parsers.
// The wasm files live next to the bundle (dist/) at run time, or in node_modules when run from source.

import * as path from 'node:path';
import * as fs from 'node:fs';
import { Language, Parser } from 'web-tree-sitter';

export type { SyntaxNode, Tree, Edit, Point } from './syntaxTree';

const RUNTIME_WASM = 'tree-sitter.wasm';
const GO_WASM = 'tree-sitter-go.wasm';

let loading: Promise<Language> | undefined;

/** Folders searched for the wasm files, in order: an explicit folder, next to this bundle, node_modules. */
function candidateDirs(explicitDir?: string): string[] {
  const dirs: string[] = [];
  if (explicitDir) dirs.push(explicitDir);
  if (typeof __dirname === 'string') dirs.push(__dirname);
  try {
    dirs.push(path.dirname(require.resolve('web-tree-sitter/tree-sitter.wasm')));
    dirs.push(path.dirname(require.resolve('tree-sitter-go/tree-sitter-go.wasm')));
  } catch {
    // Bundled: node_modules is not there, the files sit next to the bundle.
  }
  return dirs;
}

function locate(file: string, dirs: string[]): string {
  for (const dir of dirs) {
    const candidate = path.join(dir, file);
    if (fs.existsSync(candidate)) return candidate;
  }
  throw new Error(`Go Trace Lens: ${file} was not found (looked in ${dirs.join(', ')}). Rebuild with "npm run build".`);
}

/** Initialises web-tree-sitter and loads the Go grammar; later calls share the first load. */
export function loadGoLanguage(wasmDir?: string): Promise<Language> {
  if (!loading) {
    const dirs = candidateDirs(wasmDir);
    loading = (async () => {
      const runtimeWasm = locate(RUNTIME_WASM, dirs);
      await Parser.init({ locateFile: () => runtimeWasm });
      return Language.load(locate(GO_WASM, dirs));
    })();
    loading.catch(() => { loading = undefined; });
  }
  return loading;
}

/** A parser for Go source. Each caller owns its parser (parsers are not re-entrant). */
export async function createGoParser(wasmDir?: string): Promise<Parser> {
  const language = await loadGoLanguage(wasmDir);
  const parser = new Parser();
  parser.setLanguage(language);
  return parser;
}
