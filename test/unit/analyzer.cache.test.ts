// The per-declaration cache the language server uses between keystrokes: after any sequence of edits, the
// findings are exactly those of a fresh analysis of the same text; an edit inside one function walks only
// that function again.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { DeclarationCache } from '../../core/analysis/declarationCache';
import { analyzeSource } from '../helpers/analyze';

const dir = join(__dirname, '..', 'fixtures', 'analyzer');
const fixtures = readdirSync(dir).filter((f) => f.endsWith('.go')).map((f) => readFileSync(join(dir, f), 'utf8'));
const snippets = ['x', '\n', '}', '{', '(', '"', ' ', 'ctx', 'context.Background()', '\n\tgo work(context.TODO())\n', '// c\n', '😀', ''];

test('cached analysis equals fresh analysis after random edits', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.nat(fixtures.length - 1),
      fc.array(fc.tuple(fc.nat(), fc.nat(8), fc.constantFrom(...snippets)), { minLength: 1, maxLength: 12 }),
      async (which, edits) => {
        let text = fixtures[which]!;
        const cache = new DeclarationCache();
        await analyzeSource(text, { cache });
        for (const [at, removed, inserted] of edits) {
          const start = at % (text.length + 1);
          text = text.slice(0, start) + inserted + text.slice(Math.min(text.length, start + removed));
          const cached = await analyzeSource(text, { cache });
          const fresh = await analyzeSource(text);
          assert.deepEqual(cached, fresh);
        }
      },
    ),
    { numRuns: 120 },
  );
});

/** Replays edits (offset, removed length, inserted text) on a fixture, comparing cached and fresh analysis. */
async function replay(fixture: string, edits: readonly [number, number, string][]): Promise<{ before: number; after: number }> {
  let text = readFileSync(join(dir, fixture), 'utf8');
  const cache = new DeclarationCache();
  let before = (await analyzeSource(text, { cache })).length;
  let after = before;
  for (const [at, removed, inserted] of edits) {
    text = text.slice(0, at) + inserted + text.slice(at + removed);
    const fresh = await analyzeSource(text);
    assert.deepEqual(await analyzeSource(text, { cache }), fresh, `after inserting ${JSON.stringify(inserted)} at ${at}`);
    [before, after] = [after, fresh.length];
  }
  return { before, after };
}

// Counterexamples the property above found on CI runs, kept as fixed cases.
test('a declaration whose text is unchanged but parses as another kind of node is analysed again', async () => {
  // An unterminated string in listOrders makes tree-sitter read the functions after it as function
  // literals in expression statements: the same text, another node, other messages ("the function literal
  // on line N" instead of the function's name). Seed -2064879476.
  await replay('root_span_in_request.go', [[0, 5, 'x'], [0, 5, ''], [2011, 8, '// c\n'], [808, 5, 'x'], [0, 0, 'x'], [795, 0, '"'], [0, 0, 'x']]);
});

test('a declaration whose text is unchanged but holds a syntax error after an edit next to it is analysed again', async () => {
  // `}x` after notAGoroutine: error recovery reads `context.Background()` in its body as a conversion with
  // a missing operand, so a fresh analysis finds nothing there, and neither may the cache. Seed -1388563214.
  const { before, after } = await replay('goroutine_background.go', [[44, 8, '😀'], [1, 3, ''], [0, 0, '\n\tgo work(context.TODO())\n'], [2420, 0, 'x']]);
  assert.equal(before - after, 1, 'the last edit loses the finding in notAGoroutine');
});

test('a keystroke inside one function walks only that function; the others are moved, not re-walked', async () => {
  const source = readFileSync(join(dir, 'non_inherited_context.go'), 'utf8');
  const cache = new DeclarationCache();
  const before = await analyzeSource(source, { cache });
  const declarations = cache.analysed;
  assert.ok(declarations > 10);
  // Insert a line at the top of `load`'s body: every later finding moves down one line.
  const at = source.indexOf('\tfetch(context.Background(), key)');
  const edited = source.slice(0, at) + '\tkey = key + "x"\n' + source.slice(at);
  const after = await analyzeSource(edited, { cache });
  assert.equal(cache.analysed, 1);
  assert.equal(cache.reused, declarations - 1);
  assert.deepEqual(after.map((f) => f.range.start.line), before.map((f) => f.range.start.line + 1));
  assert.deepEqual(after, await analyzeSource(edited));
});

test('changing an import invalidates every cached declaration', async () => {
  const source = readFileSync(join(dir, 'goroutine_background.go'), 'utf8');
  const cache = new DeclarationCache();
  await analyzeSource(source, { cache });
  const renamed = source.replace('\t"context"\n', '\tstdctx "context"\n');
  const findings = await analyzeSource(renamed, { cache });
  assert.equal(cache.reused, 0);
  assert.deepEqual(findings, []);
});

/**
 * How many findings of `rule` an edit (`from` replaced by `to`) removes from a fixture, analysed with one cache
 * before and after; the cached findings after the edit must equal a fresh analysis.
 */
async function removedByEdit(fixture: string, rule: string, from: string, to: string): Promise<number> {
  const source = readFileSync(join(dir, fixture), 'utf8');
  const edited = source.replace(from, to);
  assert.notEqual(edited, source);
  const cache = new DeclarationCache();
  const count = (findings: readonly { rule: string }[]) => findings.filter((f) => f.rule === rule).length;
  const before = count(await analyzeSource(source, { cache }));
  const after = await analyzeSource(edited, { cache });
  assert.deepEqual(after, await analyzeSource(edited));
  return before - count(after);
}

test('a finding resting on another declaration follows edits to it: a custom sampler installed in one function, its ShouldSample in another', async () => {
  // coinSampler's ShouldSample starts reading the parent's decision: its two installs are right now.
  const removed = await removedByEdit('sampler_not_parent_based_custom.go', 'sampler-not-parent-based',
    'if strings.HasPrefix(p.Name, "health") || rand.Float64() >= s.rate {',
    'if !trace.SpanContextFromContext(p.ParentContext).IsSampled() || rand.Float64() >= s.rate {');
  assert.equal(removed, 2);
});

test('a call of a span-only helper follows edits to the helper', async () => {
  // s.span keeps the span's context for something now: it is no span-only helper any more, and save is fine.
  const removed = await removedByEdit('span_context_discarded_helpers.go', 'span-context-discarded',
    '\tctx, span := s.tracer.Start(ctx, name)\n\treturn span', '\tctx, span := s.tracer.Start(ctx, name)\n\tremember(ctx)\n\treturn span');
  assert.equal(removed, 1);
});
