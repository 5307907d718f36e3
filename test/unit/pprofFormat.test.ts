// Units and number formatting as go tool pprof prints them (checked against Go's fmt itself on random
// values when Go is installed), and Go regular expressions as the filters take them.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import fc from 'fast-check';
import { compileGoRegexp } from '../../core/profiles/goRegexp';
import { ProfileError } from '../../core/profiles/profileError';
import { formatPercentage, formatValue, goFixed, goGeneral, scaleValue, scaledLabel, selectOutputUnit } from '../../core/profiles/units';
import { findGo, goEnv, requireGo } from '../helpers/goToolchain';

describe('pprof units', () => {
  it('formats values in their unit the way pprof does', () => {
    assert.equal(formatValue(1_820_000_000, 'nanoseconds'), '1.82s');
    assert.equal(formatValue(13_107_200, 'bytes'), '12.50MB');
    assert.equal(formatValue(-1_572_864, 'bytes'), '-1.50MB');
    assert.equal(formatValue(1_179_648, 'bytes'), '1.12MB', '1.125 rounds half to even, as Go does');
    assert.equal(formatValue(42, 'count'), '42');
    assert.equal(formatValue(0, 'nanoseconds'), '0');
    assert.equal(formatValue(90 * 60 * 1e9, 'nanoseconds'), '1.50hrs');
    assert.equal(formatValue(1500, 'microseconds'), '1.50ms');
    assert.equal(formatValue(7, 'widgets'), '7', 'a unit pprof does not know is not printed');
  });

  it('scales to a unit on request, as -unit does', () => {
    assert.deepEqual(scaleValue(2_500_000, 'nanoseconds', 'ms'), { value: 2.5, unit: 'ms' });
    assert.deepEqual(scaleValue(3 * 1024, 'bytes', 'kb'), { value: 3, unit: 'kB' });
    assert.deepEqual(scaleValue(12, 'count', 'count'), { value: 12, unit: '' });
    assert.equal(scaledLabel(310_000_000, 'nanoseconds', 'nanoseconds'), '310000000ns');
  });

  it('prints percentages like pprof', () => {
    assert.equal(formatPercentage(38, 253), '15.02%');
    assert.equal(formatPercentage(253, 253), '  100%');
    assert.equal(formatPercentage(4, 24029), '0.017%');
    assert.equal(formatPercentage(0, 100), '    0%');
    assert.equal(formatPercentage(5, 0), '    0%');
  });

  it('picks the report unit from the smallest row and the total', () => {
    assert.equal(selectOutputUnit([{ flat: 10_000_000, cum: 0 }], 2_530_000_000, 'nanoseconds'), 's');
    assert.equal(selectOutputUnit([{ flat: 0, cum: 512 }], 4096, 'bytes'), 'B');
    assert.equal(selectOutputUnit([{ flat: 20_480, cum: 0 }], 100 * 1024 * 1024, 'bytes'), 'MB', 'one unit up when the total is 100x the smallest row');
    assert.equal(selectOutputUnit([{ flat: 3, cum: 3 }], 9, 'count'), 'count');
  });

  it('formats floats exactly as Go\'s fmt does (%.2f and %5.2g), on 20,000 random values', (t) => {
    if (!requireGo((why) => t.skip(why))) return;
    const values = fc.sample(
      fc.oneof(
        fc.double({ min: 0, max: 1e6, noNaN: true }),
        fc.integer({ min: 0, max: 1_000_000 }).map((n) => n / 8),
        fc.integer({ min: 0, max: 2000 }).map((n) => (n / 2000) * 100),
        fc.double({ min: 1e-9, max: 1, noNaN: true }),
      ),
      20_000,
    );
    const input = values.map((v) => v.toPrecision(17)).join('\n') + '\n';
    const out = execFileSync(findGo()!, ['run', 'main.go'], { cwd: join(__dirname, '..', 'fixtures', 'pprof', 'gofmt'), env: goEnv(), input, encoding: 'utf8' });
    const lines = out.trimEnd().split('\n');
    assert.equal(lines.length, values.length);
    values.forEach((v0, i) => {
      const v = Number(v0.toPrecision(17));
      assert.equal(`${goFixed(v, 2)}|${goGeneral(v, 2).padStart(5)}`, lines[i], `formatting ${v}`);
    });
  });
});

describe('Go regular expressions for filters', () => {
  it('translates RE2 syntax JavaScript lacks', () => {
    assert.ok(compileGoRegexp('(?i)MAIN\\.burn', 'focus').test('main.burnCPU'));
    assert.ok(compileGoRegexp('\\Qmain.(*T).f\\E', 'focus').test('pkg/main.(*T).f'));
    assert.ok(!compileGoRegexp('\\Qmain.(*T).f\\E', 'focus').test('mainX(*T)Xf'));
    assert.ok(compileGoRegexp('\\Amain\\z', 'focus').test('main'));
    assert.ok(!compileGoRegexp('\\Amain\\z', 'focus').test('xmain'));
    assert.ok(compileGoRegexp('(?P<pkg>\\w+)\\.f', 'focus').test('main.f'));
    assert.ok(compileGoRegexp('^[[:alpha:]]+$', 'focus').test('abc'));
    assert.ok(!compileGoRegexp('^[[:alpha:]]+$', 'focus').test('ab1'));
    assert.ok(compileGoRegexp('\\pL+', 'focus').test('é'));
    assert.ok(compileGoRegexp('runtime\\.|sha256', 'ignore').test('crypto/sha256.block'));
  });

  it('refuses what Go would refuse, or JavaScript cannot express, with a typed error', () => {
    for (const [pattern, message] of [['a(?=b)', /look-around/], ['(a)\\1', /back-reference/], ['a(?i)b', /flag group/], ['(?U)a+', /\(\?U\)/], ['[a-', /unterminated|not a valid/], ['(', /not a valid/]] as const) {
      assert.throws(() => compileGoRegexp(pattern, 'focus'), (e: unknown) => e instanceof ProfileError && e.code === 'bad-filter' && message.test(e.message) && e.message.includes('focus'));
    }
  });
});
