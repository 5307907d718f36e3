// Which functions of a `_test.go` file get a "Profile test ▸" / "Profile benchmark ▸" lens: exactly those
// `go test` runs as tests and benchmarks, read from the real tree-sitter parse. The last test asks go
// itself (`go test -list`) about the same tricky file, so the rules cannot drift from the toolchain's.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findTestFunctions, isTestFileUri } from '../../server/src/features/testLenses';
import { parseGo } from '../helpers/analyze';
import { requireGo, runGo } from '../helpers/goToolchain';

async function found(source: string) {
  const tree = await parseGo(source);
  try {
    return findTestFunctions(tree, source).map((f) => `${f.kind} ${f.name} @${f.line}`);
  } finally {
    tree.delete();
  }
}

/** A file with every case go test's rules decide, one function a line (line numbers are the tests'). */
const TRICKY = `package shop

import (
	"testing"
)

type S struct{}

func TestPlain(t *testing.T) {}
func Test(t *testing.T) {}
func Test_underscore(t *testing.T) {}
func Test1(t *testing.T) {}
func TestÉcole(t *testing.T) {}
func Testfoo(t *testing.T) {}
func Testéte(t *testing.T) {}
func (s S) TestMethod(t *testing.T) {}
func (s *S) BenchmarkMethod(b *testing.B) {}
func TestGeneric[X any](t *testing.T) {}
func TestTwoNames(t, u *testing.T) {}
func TestTwoParams(t *testing.T, n int) {}
func TestNoParam() {}
func TestResult(t *testing.T) error { return nil }
func TestVariadic(t ...*testing.T) {}
func TestValue(t testing.T) {}
func TestWrongType(t *testing.B) {}
func TestParenthesized(t *(testing.T)) {}
func TestUnnamed(*testing.T) {}
func TestMain(m *testing.M) {}
func BenchmarkPlain(b *testing.B) {}
func Benchmark(b *testing.B) {}
func Benchmarkfoo(b *testing.B) {}
func BenchmarkWrongType(b *testing.T) {}
func FuzzPlain(f *testing.F) {}
func ExampleS() {}
func helperTest(t *testing.T) {}
func TestComment(/* the test */ t *testing.T /* done */) {}
`;

test('exactly the tests and benchmarks go test runs get a lens, on their func line', async () => {
  assert.deepEqual(await found(TRICKY), [
    'test TestPlain @8',
    'test Test @9',
    'test Test_underscore @10',
    'test Test1 @11',
    'test TestÉcole @12',
    'test TestUnnamed @26',
    'benchmark BenchmarkPlain @28',
    'benchmark Benchmark @29',
    'test TestComment @35',
  ]);
});

test('TestMain(t *testing.T) is a test, as go test has it; TestMain(m *testing.M) is not', async () => {
  const source = 'package p\n\nimport "testing"\n\nfunc TestMain(t *testing.T) {}\n';
  assert.deepEqual(await found(source), ['test TestMain @4']);
});

test('the testing package is recognised under its import name: aliased, dot-imported, or not imported at all', async () => {
  const aliased = 'package p\n\nimport tt "testing"\n\nfunc TestA(t *tt.T) {}\nfunc TestB(t *testing.T) {}\nfunc BenchmarkC(b *tt.B) {}\n';
  assert.deepEqual(await found(aliased), ['test TestA @4', 'benchmark BenchmarkC @6']);

  const dotted = 'package p\n\nimport . "testing"\n\nfunc TestA(t *T) {}\nfunc BenchmarkB(b *B) {}\nfunc TestC(t *testing.T) {}\n';
  assert.deepEqual(await found(dotted), ['test TestA @4', 'benchmark BenchmarkB @5']);

  const both = 'package p\n\nimport (\n\t"testing"\n\t. "testing"\n)\n\nfunc TestA(t *T) {}\nfunc TestB(t *testing.T) {}\n';
  assert.deepEqual(await found(both), ['test TestA @7', 'test TestB @8']);

  const otherT = 'package p\n\nimport "example.com/fake/testing2"\n\ntype T struct{}\n\nfunc TestA(t *T) {}\nfunc TestB(t *testing2.T) {}\n';
  assert.deepEqual(await found(otherT), []);

  const blank = 'package p\n\nimport _ "testing"\n\nfunc TestA(t *testing.T) {}\n';
  assert.deepEqual(await found(blank), []);
});

test('build constraints are not evaluated: a tagged file\'s tests keep their lenses', async () => {
  const tagged = '//go:build integration && !windows\n\npackage p\n\nimport "testing"\n\nfunc TestSlow(t *testing.T) {}\n';
  assert.deepEqual(await found(tagged), ['test TestSlow @6']);
});

test('a file that does not parse keeps the lenses of the functions that do', async () => {
  const broken = 'package p\n\nimport "testing"\n\nfunc TestGood(t *testing.T) {}\n\nfunc TestBroken(t *testing.T) {\n\tif x := ; {\n}\n';
  assert.deepEqual((await found(broken)).slice(0, 1), ['test TestGood @4']);
});

test('only _test.go files on disk hold tests', () => {
  assert.equal(isTestFileUri('file:///w/shop/gateway_test.go'), true);
  assert.equal(isTestFileUri('file:///w/shop/gateway.go'), false);
  assert.equal(isTestFileUri('file:///w/shop/test.go'), false);
  assert.equal(isTestFileUri('file:///w/shop/my%20dir/a_test.go'), true);
  assert.equal(isTestFileUri('untitled:Untitled-1_test.go'), false);
});

test('go test -list names the same tests and benchmarks as the lenses', async (t) => {
  if (!requireGo((why) => t.skip(why))) return;
  const dir = mkdtempSync(join(tmpdir(), 'gtl-test-lenses-'));
  try {
    writeFileSync(join(dir, 'go.mod'), 'module example.com/shop\n\ngo 1.23\n');
    // go test refuses to build a package with a test of the wrong signature or with type parameters:
    // those cases are left out, the others go lists (or ignores) as it runs them.
    const listable = TRICKY.split('\n')
      .filter((line) => !/TestGeneric|TestTwoNames|TestTwoParams|TestNoParam|TestResult|TestVariadic|TestValue|TestWrongType|BenchmarkWrongType|TestParenthesized|TestMain/.test(line))
      .join('\n');
    writeFileSync(join(dir, 'shop_test.go'), listable);
    const listed = runGo(['test', '-list', '.', '.'], { cwd: dir })
      .split('\n')
      .filter((line) => /^(Test|Benchmark)/.test(line))
      .sort();
    const ours = (await found(listable)).map((f) => f.split(' ')[1]!).sort();
    assert.deepEqual(ours, listed);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
