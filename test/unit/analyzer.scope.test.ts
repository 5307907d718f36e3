// "A context in scope": parameters of any name and alias, *http.Request, contexts derived earlier in the
// function (in statement order), closures, shadowing. Observed through what users read: the expression a
// finding tells them to use.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeSource } from '../helpers/analyze';

async function suggestion(body: string, params = 'ctx context.Context', imports = '"context"\n\t"net/http"\n\t"time"'): Promise<string | undefined> {
  const source = `package p\n\nimport (\n\t${imports}\n)\n\nfunc use(ctx context.Context) {}\n\nfunc f(${params}) {\n${body}\n}\n`;
  const findings = await analyzeSource(source, { only: ['non-inherited-context', 'handler-root-context'] });
  const marked = findings.find((f) => source.split('\n')[f.range.start.line]!.includes('// here'));
  return marked?.fixes[0]?.edits[0]?.newText;
}

test('a context.Context parameter of any name is the one to use', async () => {
  assert.equal(await suggestion('\tuse(context.Background()) // here', 'parent context.Context'), 'parent');
});

test('an import alias does not hide the parameter', async () => {
  const source = `package p\n\nimport stdctx "context"\n\nfunc use(ctx stdctx.Context) {}\n\nfunc f(c stdctx.Context) {\n\tuse(stdctx.TODO())\n}\n`;
  const [finding] = await analyzeSource(source);
  assert.equal(finding?.rule, 'non-inherited-context');
  assert.equal(finding?.fixes[0]?.edits[0]?.newText, 'c');
});

test('an *http.Request gives r.Context(); a context.Context parameter wins over it', async () => {
  assert.equal(await suggestion('\tuse(context.Background()) // here', 'w http.ResponseWriter, r *http.Request'), 'r.Context()');
  assert.equal(await suggestion('\tuse(context.Background()) // here', 'ctx context.Context, r *http.Request'), 'ctx');
  assert.equal(await suggestion('\tuse(context.Background()) // here', 'r *http.Request, ctx context.Context'), 'ctx');
});

test('a context derived earlier in the function is preferred, in statement order', async () => {
  const body = [
    '\tuse(context.Background()) // here',
    '\ttctx, cancel := context.WithTimeout(ctx, time.Second)',
    '\tdefer cancel()',
    '\tuse(tctx)',
  ].join('\n');
  assert.equal(await suggestion(body), 'ctx');
  const after = [
    '\ttctx, cancel := context.WithTimeout(ctx, time.Second)',
    '\tdefer cancel()',
    '\tuse(context.Background()) // here',
  ].join('\n');
  assert.equal(await suggestion(after), 'tctx');
});

test('`ctx := r.Context()` names the request context `ctx`', async () => {
  const body = '\tctx := r.Context()\n\tuse(context.TODO()) // here\n\tuse(ctx)';
  assert.equal(await suggestion(body, 'w http.ResponseWriter, r *http.Request'), 'ctx');
});

test('a name on the left of := is not visible on its right', async () => {
  // The new tctx does not exist yet inside its own declaration: ctx is the context to use there.
  const body = '\ttctx, cancel := context.WithTimeout(context.Background(), time.Second) // here\n\tdefer cancel()\n\tuse(tctx)';
  assert.equal(await suggestion(body), 'ctx');
});

test('a context derived from a root is not an inherited context', async () => {
  const body = [
    '\tbg, cancel := context.WithCancel(context.Background())',
    '\tdefer cancel()',
    '\tuse(bg)',
    '\tuse(context.TODO()) // here',
  ].join('\n');
  assert.equal(await suggestion(body), 'ctx');
});

test('shadowing: an inner variable named ctx that is not a context hides the parameter', async () => {
  const body = '\t{\n\t\tctx := 42\n\t\t_ = ctx\n\t\tuse(context.Background()) // here\n\t}';
  assert.equal(await suggestion(body), undefined);
  const outside = '\t{\n\t\tctx := 42\n\t\t_ = ctx\n\t}\n\tuse(context.Background()) // here';
  assert.equal(await suggestion(outside), 'ctx');
});

test('loop variables, if initialisers and switch aliases shadow too', async () => {
  const loop = '\tfor _, ctx := range []int{1} {\n\t\t_ = ctx\n\t\tuse(context.Background()) // here\n\t}';
  assert.equal(await suggestion(loop), undefined);
  const ifInit = '\tif ctx := 1; ctx > 0 {\n\t\tuse(context.Background()) // here\n\t}';
  assert.equal(await suggestion(ifInit), undefined);
  const typeSwitch = '\tvar v any\n\tswitch ctx := v.(type) {\n\tcase int:\n\t\t_ = ctx\n\t\tuse(context.Background()) // here\n\t}';
  assert.equal(await suggestion(typeSwitch), undefined);
});

test('closures inherit the enclosing function\'s context, and their own parameters win', async () => {
  const closure = '\tgo2 := func() {\n\t\tuse(context.Background()) // here\n\t}\n\tgo2()';
  assert.equal(await suggestion(closure), 'ctx');
  const own = '\th := func(inner context.Context) {\n\t\tuse(context.Background()) // here\n\t}\n\th(ctx)';
  assert.equal(await suggestion(own), 'inner');
});

test('a function without a context has nothing in scope', async () => {
  assert.equal(await suggestion('\tuse(context.Background()) // here', 'n int'), undefined);
});

test('the message names the expression and where it comes from', async () => {
  const source = 'package p\n\nimport (\n\t"context"\n\t"time"\n)\n\nfunc use(ctx context.Context) {}\n\nfunc load(ctx context.Context) {\n\tdctx, cancel := context.WithTimeout(ctx, time.Second)\n\tdefer cancel()\n\tuse(context.Background())\n\tuse(dctx)\n}\n';
  const [finding] = await analyzeSource(source);
  assert.match(finding!.message, /Use dctx, the context derived from ctx on line 11\.$/);
  assert.deepEqual(finding!.related[0]!.range.start, { line: 10, character: 1 });
});
