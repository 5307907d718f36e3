// Lenses above the tests and benchmarks of a `_test.go` document: "Profile test ▸" and "Profile
// benchmark ▸", whose command (run by the client) profiles that one function with `go test`. The
// functions are found in the document's syntax tree as it is now, by the rules `go test` itself applies
// (cmd/go/internal/load/test.go), made exact about the parameter's type: a top-level function, not a
// method, named `Test` or `Benchmark` followed by nothing or by a character that is not a lower-case
// letter (`Testfoo` is not a test), with no type parameters, no results and exactly one parameter of type
// `*testing.T` (`*testing.B` for a benchmark), `testing` being whatever name the file imports "testing"
// under (`*T` when it is dot-imported). Build constraints are not evaluated: a file's tests get lenses
// whatever its tags. The lenses are off until the client turns them on (TestLensesRequest), which it does
// only in a trusted workspace.

import type { CodeLens, Connection } from 'vscode-languageserver';
import { TestingCommands } from '../../../common/ids';
import { TestLensesRequest, type TestFunctionKind, type TestFunctionRef } from '../../../common/testingProtocol';
import type { SyntaxNode, Tree } from '../../../core/analysis';
import type { DocumentSync } from '../lsp/documentSync';
import { onRequest } from '../lsp/handlers';
import type { CodeLensSource } from './codeLens';

export interface TestFunction {
  readonly name: string;
  readonly kind: TestFunctionKind;
  /** 0-based line of the `func` keyword. */
  readonly line: number;
}

const TESTING = 'testing';

/** The parameter type each kind takes, as `go test` names it (`*testing.T`). */
const PARAMETER_TYPE: Readonly<Record<TestFunctionKind, string>> = { test: 'T', benchmark: 'B' };

/** `name` is `prefix`, or `prefix` followed by a character that is not a lower-case letter (Go's isTest). */
function hasTestName(name: string, prefix: string): boolean {
  if (!name.startsWith(prefix)) return false;
  return name.length === prefix.length || !/^\p{Ll}/u.test(name.slice(prefix.length));
}

function kindOfName(name: string): TestFunctionKind | undefined {
  if (hasTestName(name, 'Test')) return 'test';
  if (hasTestName(name, 'Benchmark')) return 'benchmark';
  return undefined;
}

function textOf(node: SyntaxNode, source: string): string {
  return source.slice(node.startIndex, node.endIndex);
}

function namedChildren(node: SyntaxNode): SyntaxNode[] {
  const children: SyntaxNode[] = [];
  for (let i = 0; i < node.namedChildCount; i++) {
    const child = node.namedChild(i);
    if (child && child.type !== 'comment') children.push(child);
  }
  return children;
}

/** How this file may name testing's types: the local names of the "testing" import, and whether it is dot-imported. */
interface TestingImport {
  readonly names: ReadonlySet<string>;
  readonly dotImported: boolean;
}

function testingImport(root: SyntaxNode, source: string): TestingImport {
  const names = new Set<string>();
  let dotImported = false;
  for (const decl of namedChildren(root)) {
    if (decl.type !== 'import_declaration') continue;
    const specs = namedChildren(decl).flatMap((child) => (child.type === 'import_spec_list' ? namedChildren(child) : [child]));
    for (const spec of specs) {
      if (spec.type !== 'import_spec') continue;
      const pathNode = spec.childForFieldName('path');
      if (!pathNode || textOf(pathNode, source).slice(1, -1) !== TESTING) continue;
      const alias = spec.childForFieldName('name');
      if (!alias) names.add(TESTING);
      else if (alias.type === 'dot') dotImported = true;
      else if (alias.type === 'package_identifier') names.add(textOf(alias, source));
    }
  }
  return { names, dotImported };
}

/** True when `type` is `*testing.<wanted>` as this file names it (Go's isTestFunc, with the import checked). */
function isPointerToTesting(type: SyntaxNode, wanted: string, imported: TestingImport, source: string): boolean {
  if (type.type !== 'pointer_type') return false;
  const target = namedChildren(type)[0];
  if (!target) return false;
  if (target.type === 'type_identifier') return imported.dotImported && textOf(target, source) === wanted;
  if (target.type !== 'qualified_type') return false;
  const pkg = target.childForFieldName('package');
  const name = target.childForFieldName('name');
  return !!pkg && !!name && imported.names.has(textOf(pkg, source)) && textOf(name, source) === wanted;
}

/** Whether a function declaration has the signature of a test of `kind`: `(t *testing.T)`, nothing returned, no type parameters. */
function hasTestSignature(decl: SyntaxNode, kind: TestFunctionKind, imported: TestingImport, source: string): boolean {
  if (decl.childForFieldName('type_parameters') || decl.childForFieldName('result')) return false;
  const parameters = decl.childForFieldName('parameters');
  const list = parameters ? namedChildren(parameters) : [];
  if (list.length !== 1 || list[0]!.type !== 'parameter_declaration') return false;
  const parameter = list[0]!;
  const type = parameter.childForFieldName('type');
  if (!type || parameter.childrenForFieldName('name').filter((n): n is SyntaxNode => n !== null).length > 1) return false;
  return isPointerToTesting(type, PARAMETER_TYPE[kind], imported, source);
}

/** The tests and benchmarks `go test` would run from this file, in source order. */
export function findTestFunctions(tree: Tree, source: string): TestFunction[] {
  const root: SyntaxNode = tree.rootNode;
  const imported = testingImport(root, source);
  if (imported.names.size === 0 && !imported.dotImported) return [];
  const found: TestFunction[] = [];
  for (const decl of namedChildren(root)) {
    if (decl.type !== 'function_declaration') continue;
    const nameNode = decl.childForFieldName('name');
    if (!nameNode) continue;
    const name = textOf(nameNode, source);
    const kind = kindOfName(name);
    if (kind && hasTestSignature(decl, kind, imported, source)) found.push({ name, kind, line: decl.startPosition.row });
  }
  return found;
}

/** Only `_test.go` files hold tests. */
export function isTestFileUri(uri: string): boolean {
  return uri.startsWith('file:') && /_test\.go$/.test(new URL(uri).pathname);
}

const LENS_TITLES: Readonly<Record<TestFunctionKind, string>> = { test: 'Profile test ▸', benchmark: 'Profile benchmark ▸' };

/**
 * Serves TestLensesRequest and returns the lenses of a document, for the CodeLens feature to add to its
 * own. `refreshLenses` asks the editor to ask again (when it can), after the lenses were turned on or off.
 */
export function registerTestLenses(connection: Connection, documents: DocumentSync, refreshLenses: () => void): CodeLensSource {
  let enabled = false;
  onRequest(connection, TestLensesRequest, (params) => {
    if (params.enabled === enabled) return;
    enabled = params.enabled;
    refreshLenses();
  });
  return (uri) => {
    const entry = enabled && isTestFileUri(uri) ? documents.get(uri) : undefined;
    if (!entry) return [];
    return findTestFunctions(entry.tree, entry.document.getText()).map((fn): CodeLens => {
      const ref: TestFunctionRef = { uri, name: fn.name, kind: fn.kind };
      return {
        range: { start: { line: fn.line, character: 0 }, end: { line: fn.line, character: 0 } },
        command: { title: LENS_TITLES[fn.kind], command: TestingCommands.profileFunction, arguments: [ref] },
      };
    });
  };
}
