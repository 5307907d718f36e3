// Typed-array columns survive the trip through base64 (what crosses postMessage to the flame graph).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { decodeBase64, decodeFloat64Column, decodeInt32Column, encodeBase64, encodeColumn } from '../../common/base64Columns';

test('bytes round-trip and match Node\'s base64', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
      const text = encodeBase64(bytes);
      assert.equal(text, Buffer.from(bytes).toString('base64'));
      assert.deepEqual(decodeBase64(text), bytes);
    }),
    { numRuns: 2000 },
  );
});

test('Int32 and Float64 columns round-trip, negatives and fractions included', () => {
  fc.assert(
    fc.property(fc.array(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 })), fc.array(fc.double({ noNaN: true })), (ints, doubles) => {
      assert.deepEqual([...decodeInt32Column(encodeColumn(Int32Array.from(ints)))], ints);
      assert.deepEqual([...decodeFloat64Column(encodeColumn(Float64Array.from(doubles)))], doubles.map((d) => (Object.is(d, -0) ? -0 : d)));
    }),
    { numRuns: 1000 },
  );
});

test('a truncated column is refused, not misread', () => {
  assert.throws(() => decodeInt32Column(encodeBase64(new Uint8Array([1, 2, 3, 4, 5, 6]))), /whole number of 4-byte values/);
  assert.throws(() => decodeBase64('abc'), /multiple of 4/);
});
