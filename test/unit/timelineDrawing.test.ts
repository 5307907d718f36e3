// The timeline's drawing arithmetic, property-tested: which intervals a frame draws (every interval a
// pixel wide exactly, every pixel column that has an interval under its middle, never more than about
// the width in pixels of narrow ones), which nested intervals overlap a range (the running-maximum
// index against a plain scan), the view's zoom and pan (the time under the pointer stays there, the
// view never leaves the trace), and the rows' layout.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { forEachDrawnInterval } from '../../media/timeline/drawnIntervals';
import { IntervalIndex } from '../../media/timeline/intervalIndex';
import { RowLayout } from '../../media/timeline/rowLayout';
import { TimeViewport } from '../../media/timeline/timeViewport';
import { offsetText, tickStep } from '../../media/timeline/timeFormat';

/** Sorted, disjoint intervals from gaps and lengths. */
const lanes = fc.array(fc.tuple(fc.integer({ min: 0, max: 5000 }), fc.integer({ min: 1, max: 5000 })), { minLength: 0, maxLength: 300 }).map((parts) => {
  const start = new Float64Array(parts.length);
  const end = new Float64Array(parts.length);
  let t = 0;
  parts.forEach(([gap, length], i) => {
    start[i] = t + gap;
    end[i] = t + gap + length;
    t = end[i]!;
  });
  return { start, end };
});

test('a frame draws every wide interval as it is, every covered pixel column, and little more', () => {
  fc.assert(
    fc.property(lanes, fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0.001, max: 1, noNaN: true }), fc.integer({ min: 20, max: 400 }), ({ start, end }, from, fraction, width) => {
      const total = end.length > 0 ? end[end.length - 1]! : 1;
      const viewStart = from * total;
      const span = Math.max(1, fraction * total);
      const k = width / span;
      let first = 0;
      while (first < start.length && end[first]! <= viewStart) first++;
      let last = first;
      while (last < start.length && start[last]! < viewStart + span) last++;
      const emitted: [number, number, number][] = [];
      forEachDrawnInterval(start, end, first, last, viewStart, k, (i, x0, x1) => emitted.push([i, x0, x1]));
      for (const [i] of emitted) assert.ok(i >= first && i < last, 'only visible intervals');
      let wide = 0;
      for (let i = first; i < last; i++) {
        const x0 = (start[i]! - viewStart) * k;
        const x1 = (end[i]! - viewStart) * k;
        if (x1 - x0 < 1) continue;
        wide++;
        // One exactly filling a column narrow intervals already sampled may be left to that sample.
        if (Math.floor(x0) === Math.ceil(x1) - 1 && x1 - x0 === 1) continue;
        assert.ok(emitted.some(([j, a, b]) => j === i && a === x0 && b === x1), `interval ${i} is drawn as it is`);
      }
      for (let column = 0; column < width; column++) {
        const middle = viewStart + (column + 0.5) / k;
        const covering = [...Array(last - first).keys()].map((n) => n + first).find((i) => start[i]! <= middle && end[i]! > middle);
        if (covering === undefined) continue;
        assert.ok(emitted.some(([, a, b]) => a <= column + 0.5 && b > column + 0.5), `column ${column} is drawn`);
      }
      for (const [i, a, b] of emitted) {
        if (b - a !== 1 || !Number.isInteger(a)) continue;
        const t0 = viewStart + a / k;
        const t1 = viewStart + b / k;
        assert.ok(start[i]! < t1 && end[i]! > t0, 'a pixel column is drawn in the state of an interval inside it');
        const middle = (t0 + t1) / 2;
        const covering = [...Array(last - first).keys()].map((n) => n + first).find((k) => start[k]! <= middle && end[k]! > middle);
        if (covering !== undefined) assert.equal(i, covering, 'in the state of the interval under its middle');
      }
      assert.ok(emitted.length <= wide + 2 * width + 2, `${emitted.length} rectangles for ${wide} wide intervals in ${width} pixels`);
    }),
    { numRuns: 400 },
  );
});

test('the interval index finds exactly the overlapping items of a lane, however long or nested', () => {
  const items = fc.array(fc.tuple(fc.integer({ min: -1, max: 3 }), fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 0, max: 3000 }), fc.boolean()), { maxLength: 200 });
  fc.assert(
    fc.property(items, fc.integer({ min: 0, max: 12_000 }), fc.integer({ min: 1, max: 4000 }), fc.integer({ min: 0, max: 200 }), (list, t0, length, slack) => {
      const t1 = t0 + length;
      const index = new IntervalIndex(4, list.length, (i) => list[i]![0], (i) => (list[i]![3] ? NaN : list[i]![1]), (i) => list[i]![1] + list[i]![2], 0, 20_000);
      for (let lane = 0; lane < 4; lane++) {
        const [first, last] = index.candidates(lane, t0, t1);
        const found = [];
        for (let p = first; p < last; p++) if (index.end[p]! > t0) found.push(index.order[p]!);
        const expected = list.flatMap(([l, s, d, open], i) => {
          const start = open ? 0 : s;
          return l === lane && start < t1 && s + d > t0 ? [i] : [];
        });
        assert.deepEqual(found.sort((a, b) => a - b), expected);
        const at = index.at(lane, t0, slack);
        const distance = (i: number) => {
          const start = list[i]![3] ? 0 : list[i]![1];
          const end = list[i]![1] + list[i]![2];
          return t0 < start ? start - t0 : t0 > end ? t0 - end : 0;
        };
        const best = list.flatMap(([l], i) => (l === lane && distance(i) <= slack ? [distance(i)] : [])).sort((a, b) => a - b)[0];
        if (best === undefined) assert.equal(at, -1);
        else assert.equal(distance(index.order[at]!), best, 'the nearest item within the slack');
      }
    }),
    { numRuns: 300 },
  );
});

test('zoom keeps the time under the pointer, pan moves by pixels, and the view stays inside the trace', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: 1e12 }),
      fc.integer({ min: 2000, max: 1e10 }),
      fc.array(fc.tuple(fc.constantFrom('zoom', 'pan', 'fraction', 'set'), fc.double({ min: 0.05, max: 4, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true })), { maxLength: 30 }),
      (min, length, moves) => {
        const view = new TimeViewport(min, min + length);
        const width = 1000;
        for (const [kind, amount, where] of moves) {
          if (kind === 'zoom') {
            const x = where * width;
            const anchor = view.toTime(x, width);
            const before = view.span;
            view.zoomAt(amount, x, width);
            const clamped = view.span === view.fullSpan || view.span === 1000 || view.start === min || view.end === min + length;
            if (!clamped) assert.ok(Math.abs(view.toTime(x, width) - anchor) <= before * 1e-9 + 1e-3, 'the time under the pointer stays');
          } else if (kind === 'pan') {
            view.panPixels((where - 0.5) * 2 * width, width);
          } else if (kind === 'fraction') {
            view.panFraction(where - 0.5);
          } else {
            view.set(min + where * length, min + where * length + amount * length * 0.2);
          }
          assert.ok(view.span >= Math.min(1000, length) - 1e-6 && view.span <= length + 1e-6, 'no narrower than 1 µs, no wider than the trace');
          assert.ok(view.start >= min - 1e-6 && view.end <= min + length + 1e-3, 'inside the trace');
        }
      },
    ),
    { numRuns: 300 },
  );
});

test('rows: tops add up, the row under a y, and the rows a window shows', () => {
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 1, max: 60 }), { maxLength: 200 }), fc.integer({ min: 0, max: 5000 }), fc.integer({ min: 1, max: 800 }), (heights, y, windowHeight) => {
      const layout = new RowLayout(heights);
      assert.equal(layout.totalHeight, heights.reduce((a, b) => a + b, 0));
      const row = layout.rowAt(y);
      if (y >= layout.totalHeight) assert.equal(row, -1);
      else assert.ok(layout.top(row) <= y && y < layout.top(row) + layout.height(row));
      const [first, last] = layout.visible(y, y + windowHeight);
      for (let r = 0; r < heights.length; r++) {
        const inWindow = layout.top(r) < y + windowHeight && layout.top(r) + heights[r]! > y;
        assert.equal(r >= first && r < last, inWindow, `row ${r}`);
      }
    }),
    { numRuns: 300 },
  );
});

test('axis ticks: 1, 2 or 5 times a power of ten, about 100 pixels apart, labelled from the start', () => {
  fc.assert(
    fc.property(fc.double({ min: 0.01, max: 1e9, noNaN: true }), (nsPerPixel) => {
      const step = tickStep(nsPerPixel);
      const mantissa = step / 10 ** Math.floor(Math.log10(step) + 1e-9);
      assert.ok([1, 2, 5, 10].some((m) => Math.abs(mantissa - m) < 1e-6), `step ${step}`);
      assert.ok(step >= nsPerPixel * 100 - 1e-6 && step <= Math.max(1, nsPerPixel * 100) * 5 + 1e-6);
    }),
  );
  assert.equal(offsetText(2_500_000, 500_000), '2.5 ms');
  assert.equal(offsetText(3_000_000_000, 1_000_000_000), '3 s');
  assert.equal(offsetText(1500, 100), '1.5 µs');
  assert.equal(offsetText(2_219_087_000, 1000), '2.219087 s', 'far into a trace, zoomed to microseconds');
  assert.equal(offsetText(800_000_000, 200_000_000, 1_200_000_000), '0.8 s', 'one unit for the whole axis');
  assert.equal(offsetText(0, 20_000), '0 µs');
});
