// The workspace index's lexer-based summaries against the syntax tree: on real Go source (the installed
// toolchain's standard library) the functions, their context parameters, the root contexts they create and
// the calls they make must be exactly what tree-sitter sees. And no input makes the summariser throw or hang.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { summarizeGoSource, packageCalleeKey, type FileSummary } from '../../core/analysis/workspace/goSummary';
import { readGoFile } from '../../core/analysis/fileFacts';
import { isRootContextCall } from '../../core/analysis/contextScope';
import { kindOfType } from '../../core/analysis/valueKinds';
import { expandGoSources } from '../../cli/goSources';
import type { SyntaxNode } from '../../core/analysis/syntaxTree';
import { parseGo } from '../helpers/analyze';
import { findGo, goEnv } from '../helpers/goToolchain';
import { execFileSync } from 'node:child_process';

const NOT_CALLS = new Set([
  'append', 'cap', 'clear', 'close', 'complex', 'copy', 'delete', 'imag', 'len', 'make', 'max', 'min', 'new', 'panic',
  'print', 'println', 'real', 'recover', 'bool', 'byte', 'complex64', 'complex128', 'error', 'float32', 'float64', 'int',
  'int8', 'int16', 'int32', 'int64', 'rune', 'string', 'uint', 'uint8', 'uint16', 'uint32', 'uint64', 'uintptr', 'any',
]);

/** The same facts, read from the syntax tree (the oracle). */
function summaryFromTree(source: string, root: SyntaxNode): FileSummary['functions'] {
  const file = readGoFile(source, root);
  const out: { name: string; takesContext: boolean; root?: { line: number; character: number }; calls: string[] }[] = [];
  for (const decl of file.topLevel) {
    if (decl.type !== 'function_declaration' && decl.type !== 'method_declaration') continue;
    const nameNode = decl.childForFieldName('name');
    if (!nameNode) continue;
    let receiverName: string | undefined;
    let receiverType: string | undefined;
    if (decl.type === 'method_declaration') {
      const param = decl.childForFieldName('receiver')?.namedChildren.find((c) => c?.type === 'parameter_declaration');
      const typeNode = param?.childForFieldName('type');
      const typeName = typeNode?.type === 'type_identifier' ? typeNode : typeNode?.descendantsOfType('type_identifier')[0];
      receiverType = typeName ? file.text(typeName) : undefined;
      const n = param?.childForFieldName('name');
      receiverName = n ? file.text(n) : undefined;
    }
    const params = decl.childForFieldName('parameters');
    const takesContext = !!params?.namedChildren.some((p) => !!p && p.type === 'parameter_declaration' &&
      ['context', 'request'].includes(kindOfType(file, p.childForFieldName('type')) ?? ''));
    const body = decl.childForFieldName('body');
    const calls = new Set<string>();
    let rootAt: { line: number; character: number } | undefined;
    for (const call of body ? body.descendantsOfType('call_expression') : []) {
      if (!call) continue;
      if (!rootAt && isRootContextCall(file, call)) rootAt = { line: call.startPosition.row, character: call.startPosition.column };
      const callee = call.childForFieldName('function');
      // Generic instantiations (`F[T](x)`) are not followed by the index.
      if (!callee || call.childForFieldName('type_arguments')) continue;
      if (callee.type === 'identifier' && !NOT_CALLS.has(file.text(callee))) calls.add(file.text(callee));
      if (callee.type === 'selector_expression') {
        const operand = callee.childForFieldName('operand');
        const field = file.text(callee.childForFieldName('field')!);
        if (operand?.type !== 'identifier') continue;
        const q = file.text(operand);
        if (q === receiverName && receiverType) calls.add(`${receiverType}.${field}`);
        else {
          const path = file.packageOfOperand(operand);
          if (path) calls.add(packageCalleeKey(path, field));
        }
      }
    }
    out.push({
      name: receiverType ? `${receiverType}.${file.text(nameNode)}` : file.text(nameNode),
      takesContext,
      ...(rootAt ? { root: rootAt } : {}),
      calls: takesContext ? [] : [...calls].sort(),
    });
  }
  return out as unknown as FileSummary['functions'];
}

function comparable(functions: FileSummary['functions']) {
  return functions.map((f) => ({
    name: f.name, takesContext: f.takesContext,
    ...(f.root ? { root: { line: f.root.line, character: f.root.character } } : {}),
    calls: [...f.calls].sort(),
  }));
}

function goroot(): string | undefined {
  const go = findGo();
  if (!go) return undefined;
  return execFileSync(go, ['env', 'GOROOT'], { env: goEnv(), encoding: 'utf8' }).trim();
}

test('summaries equal what the syntax tree says, on the standard library', async (t) => {
  const root = goroot();
  if (!root) return t.skip('the Go toolchain is not installed');
  const dirs = ['context', 'net/http', 'database/sql', 'runtime/trace', 'log/slog', 'net/http/httputil', 'os/exec', 'go/types'];
  const files = expandGoSources(dirs.map((d) => join(root, 'src', d)).filter(existsSync), '/');
  assert.ok(files.length > 150, `expected a real sample, got ${files.length} files`);
  let functions = 0;
  let roots = 0;
  for (const path of files) {
    const source = readFileSync(path, 'utf8');
    const tree = await parseGo(source);
    try {
      const expected = summaryFromTree(source, tree.rootNode);
      const actual = comparable(summarizeGoSource(source).functions);
      assert.deepEqual(actual, expected, path);
      functions += actual.length;
      roots += actual.filter((f) => f.root).length;
    } finally {
      tree.delete();
    }
  }
  assert.ok(functions > 3000 && roots > 20, `functions ${functions}, roots ${roots}`);
});

test('imports, aliases, dot imports and positions in UTF-16 units', () => {
  const source = [
    'package shop',
    '',
    'import (',
    '\tstdctx "context"',
    '\t. "net/http"',
    '\t_ "embed"',
    ')',
    '',
    'var x = 1',
    'func Load(w ResponseWriter, r *Request) { _ = "😀é"; helper(stdctx.TODO()) }',
    'func (s *Store[T]) get() { s.fill(); stdctx.Background() }',
    'func external(n int) int',
  ].join('\n');
  const summary = summarizeGoSource(source);
  assert.equal(summary.packageName, 'shop');
  assert.deepEqual(summary.imports, [{ path: 'context', name: 'stdctx' }, { path: 'net/http', name: '.' }, { path: 'embed', name: '_' }]);
  assert.deepEqual(summary.functions.map((f) => [f.name, f.takesContext]), [['Load', true], ['Store.get', false], ['external', false]]);
  const load = summary.functions[0]!;
  const line = source.split('\n')[9]!;
  const utf16 = line.indexOf('stdctx.TODO()');
  assert.equal([...line.slice(0, utf16)].length, utf16 - 1, 'the emoji is two UTF-16 units, one code point');
  assert.deepEqual(load.root, { line: 9, character: utf16, endCharacter: utf16 + 13, text: 'stdctx.TODO()' });
  assert.deepEqual(summary.functions[1]!.calls, ['Store.fill', packageCalleeKey('context', 'Background')]);
  assert.equal(summary.functions[1]!.root?.text, 'stdctx.Background()');
});

test('the summariser never throws or hangs, whatever the input', () => {
  const go = readFileSync(join(__dirname, '..', 'fixtures', 'analyzer', 'call_chain_break.go'), 'utf8');
  fc.assert(
    fc.property(fc.string({ maxLength: 300 }), fc.nat(go.length), fc.nat(go.length), (garbage, a, b) => {
      summarizeGoSource(garbage);
      const cut = go.slice(0, Math.min(a, b)) + garbage + go.slice(Math.max(a, b));
      const summary = summarizeGoSource(cut);
      for (const fn of summary.functions) assert.equal(typeof fn.name, 'string');
    }),
    { numRuns: 10_000 },
  );
});
