// Heat follows the code through edits, and gives up when the file changed beyond recognition.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { mapLines, RECOGNITION_THRESHOLD } from '../../server/src/profiles/lineMap';

const file = Array.from({ length: 40 }, (_, i) => `line ${i}`);

test('a line inserted above moves everything below by one', () => {
  const edited = ['// new comment', ...file];
  const { oldToNew, kept } = mapLines(file, edited);
  assert.equal(kept, 1);
  assert.deepEqual([...oldToNew], file.map((_, i) => i + 1));
});

test('an edited line is unmapped, its neighbours keep their places', () => {
  const edited = [...file];
  edited[10] = 'line 10 changed';
  edited.splice(20, 2);
  const { oldToNew } = mapLines(file, edited);
  assert.equal(oldToNew[10], -1);
  assert.equal(oldToNew[9], 9);
  assert.equal(oldToNew[11], 11);
  assert.equal(oldToNew[20], -1);
  assert.equal(oldToNew[22], 20);
});

test('a rewritten file is below the recognition threshold', () => {
  const rewritten = file.map((l, i) => (i % 3 === 0 ? l : `other ${i}`));
  assert.ok(mapLines(file, rewritten).kept < RECOGNITION_THRESHOLD);
  assert.equal(mapLines(file, []).kept, 0);
});

test('every mapping is monotonic and maps equal lines to equal lines', () => {
  fc.assert(
    fc.property(fc.array(fc.constantFrom('a', 'b', 'c', 'd', '}', ''), { maxLength: 60 }), fc.array(fc.constantFrom('a', 'b', 'c', 'd', '}', ''), { maxLength: 60 }), (a, b) => {
      const { oldToNew, kept } = mapLines(a, b);
      let last = -1;
      let count = 0;
      oldToNew.forEach((j, i) => {
        if (j < 0) return;
        assert.equal(a[i], b[j]);
        assert.ok(j > last);
        last = j;
        count++;
      });
      assert.equal(kept, a.length === 0 ? 1 : count / a.length);
    }),
    { numRuns: 3000 },
  );
});

test('the mapping is a longest common subsequence (no matchable line is left behind)', () => {
  fc.assert(
    fc.property(fc.array(fc.constantFrom('x', 'y', 'z'), { maxLength: 25 }), fc.array(fc.constantFrom('x', 'y', 'z'), { maxLength: 25 }), (a, b) => {
      const lcs = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
      for (let i = a.length - 1; i >= 0; i--) for (let j = b.length - 1; j >= 0; j--) lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
      const matched = [...mapLines(a, b).oldToNew].filter((j) => j >= 0).length;
      assert.equal(matched, lcs[0]![0]);
    }),
    { numRuns: 2000 },
  );
});
