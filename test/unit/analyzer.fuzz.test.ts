// Hostile input never crashes the analyzer: random text, fixture code cut and spliced at random places
// (unbalanced braces, half statements, stray quotes) all give findings or none, never an exception, and every
// finding's fixes stay inside the document.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { analyzeSource } from '../helpers/analyze';

const dir = join(__dirname, '..', 'fixtures', 'analyzer');
const corpus = readdirSync(dir).filter((f) => f.endsWith('.go')).map((f) => readFileSync(join(dir, f), 'utf8'));
const tokens = ['{', '}', '(', ')', ':=', '=', '"', '`', '\n', 'go ', 'defer ', 'func(', 'ctx', '_', ',', '.', 'context.Background()', 'tracer.Start(ctx, "x")', 'span.End()', 'return'];

function inside(text: string, line: number, character: number): boolean {
  const lines = text.split('\n');
  return line >= 0 && line < lines.length && character >= 0 && character <= lines[line]!.length;
}

test('random text and spliced fixture code never make the analyzer throw', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.nat(corpus.length - 1), fc.nat(), fc.nat(), fc.array(fc.constantFrom(...tokens), { maxLength: 8 }), fc.string({ maxLength: 60 }),
      async (which, a, b, inserted, noise) => {
        const source = corpus[which]!;
        const from = a % (source.length + 1);
        const to = Math.min(source.length, from + (b % 200));
        const mutated = source.slice(0, from) + inserted.join('') + noise + source.slice(to);
        for (const text of [mutated, noise, inserted.join(' ')]) {
          const findings = await analyzeSource(text);
          for (const f of findings) {
            assert.ok(inside(text, f.range.start.line, f.range.start.character), `finding outside the text: ${JSON.stringify(f.range)}`);
            for (const fix of f.fixes) for (const e of fix.edits) assert.ok(inside(text, e.range.end.line, e.range.end.character));
          }
        }
      },
    ),
    { numRuns: 1500 },
  );
});
