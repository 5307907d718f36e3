// Conformance of the pprof engine with `go tool pprof` (the installed toolchain's), on profiles captured
// from the real Go test service (CPU, heap, allocs, goroutine, mutex, block, threadcreate, and delta
// profiles) and on the shared fixtures: the decoded profile field by field (-raw), flat/cum per function
// and per line for every sample type (-top, -top -lines, -list), callers/callees (-peek), the filters
// (-focus, -ignore, -tagfocus) and diffs (-diff_base), and the -top text itself.

import { before, describe, it, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { callersAndCallees } from '../../core/profiles/callGraph';
import { decodeProfileBytes } from '../../core/profiles/profileFile.node';
import type { Profile } from '../../core/profiles/profile';
import { describeProfile } from '../../core/profiles/profileInfo';
import { prepareQuery, type QueryOptions } from '../../core/profiles/query';
import { topReport } from '../../core/profiles/topReport';
import { renderTopText } from '../../core/profiles/topText';
import { mkdirSync, writeFileSync } from 'node:fs';
import { CACHE_DIR, findGo, requireGo } from '../helpers/goToolchain';
import { buildProfile, sampleCpuProfileSpec } from '../helpers/pprofBuilder';
import { captureServiceProfiles, type CapturedProfile } from '../helpers/pprofCapture';
import { renderRawBody, runPprofTool, toolList, toolPeek, toolRawBody, toolTop, type ToolTopRow } from '../helpers/pprofTool';
import { sharedFixture } from '../helpers/sharedFixtures';

const FIXTURES = sharedFixture('pprof');
const SHARED = ['large.cpu.pb.gz', 'sample.addresses-only.cpu', 'go.nomappings.crash', 'cppbench.cpu_no_samples_type'].map((name) => ({ name, file: join(FIXTURES, name), kind: '' }));
const SERVICE_PROFILES = ['allocs', 'allocs-before', 'allocs-delta', 'block', 'block-delta', 'cpu', 'goroutine', 'goroutine-before', 'goroutine-delta', 'heap', 'heap-delta', 'mutex', 'mutex-delta', 'threadcreate'];

let captured: CapturedProfile[] = [];
const decoded = new Map<string, Profile>();

function profileOf(file: string): Profile {
  let p = decoded.get(file);
  if (!p) decoded.set(file, (p = decodeProfileBytes(readFileSync(file))));
  return p;
}

function serviceFile(t: TestContext, name: string): string | null {
  if (!requireGo((why) => t.skip(why))) return null;
  const found = captured.find((c) => c.name === name);
  assert.ok(found, `profile ${name} was not captured`);
  return found.file;
}

/** Our rows with nothing trimmed, in the shape the tool's are parsed into. */
function ourRows(profile: Profile, options: QueryOptions, lines: boolean): ToolTopRow[] {
  const report = topReport(prepareQuery(profile, options), { granularity: lines ? 'lines' : 'functions', nodeFraction: 0, edgeFraction: 0, inlineMarkers: true });
  return report.rows.map((r) => ({ name: r.name, flat: r.flat, cum: r.cum, inline: r.inline }));
}

function toolArgs(options: QueryOptions, baseFile?: string): string[] {
  const args: string[] = [];
  if (options.focus) args.push(`-focus=${options.focus}`);
  if (options.ignore) args.push(`-ignore=${options.ignore}`);
  for (const tag of options.tags ?? []) args.push(`-tagfocus=${tag}`);
  if (baseFile) args.push(`-diff_base=${baseFile}`);
  return args;
}

/** Functions and lines for every sample type, with and without options, against the tool. */
function assertTopMatches(file: string, options: QueryOptions = {}, baseFile?: string): void {
  const profile = profileOf(file);
  const withBase = baseFile ? { ...options, base: profileOf(baseFile) } : options;
  profile.sampleTypes.forEach((type, sampleIndex) => {
    for (const lines of [false, true]) {
      const expected = toolTop(file, { sampleIndex, unit: type.unit, lines, extra: toolArgs(options, baseFile) });
      const actual = ourRows(profile, { ...withBase, sampleIndex }, lines);
      assert.ok(expected.length > 0 || actual.length === 0);
      assert.deepEqual(actual, expected, `${type.type} ${lines ? 'per line' : 'per function'} differs from go tool pprof`);
    }
  });
}

/** Our -top text at pprof's default trimming equals the tool's, but for the Time line (time zone names). */
function assertTextMatches(file: string, options: QueryOptions = {}, baseFile?: string, activeFilters: string[] = []): void {
  const profile = profileOf(file);
  const withBase = baseFile ? { ...options, base: profileOf(baseFile) } : options;
  profile.sampleTypes.forEach((_, sampleIndex) => {
    const expected = runPprofTool(['-top', `-sample_index=${sampleIndex}`, ...toolArgs(options, baseFile), file]);
    const report = topReport(prepareQuery(profile, { ...withBase, sampleIndex }), { inlineMarkers: true });
    const actual = renderTopText(report, profile, { activeFilters });
    const withoutTime = (text: string) => text.split('\n').filter((l) => !l.startsWith('Time: ')).join('\n');
    assert.equal(withoutTime(actual), withoutTime(expected));
  });
}

describe('pprof engine against go tool pprof', () => {
  before(async () => {
    if (!findGo()) {
      if (process.env.CI === 'true') throw new Error('CI=true and the Go toolchain is not installed');
      return;
    }
    captured = await captureServiceProfiles();
  });

  it('captures every profile kind from the service, and infers each kind', (t) => {
    if (!requireGo((why) => t.skip(why))) return;
    assert.deepEqual(captured.map((c) => c.name), [...SERVICE_PROFILES].sort());
    for (const c of captured) {
      const info = describeProfile(profileOf(c.file));
      // net/http/pprof's deltas drop default_sample_type, so an allocs delta reads as a heap delta unless
      // the caller says which endpoint it came from.
      assert.equal(info.kind, c.name === 'allocs-delta' ? 'heap' : c.kind, `${c.name} was inferred as ${info.kind}`);
      assert.equal(describeProfile(profileOf(c.file), { kindHint: c.kind }).kind, c.kind);
      assert.equal(info.isDelta, c.name.endsWith('-delta'), `${c.name} delta flag`);
    }
    const cpu = describeProfile(profileOf(captured.find((c) => c.name === 'cpu')!.file));
    assert.deepEqual(cpu.labels.find((l) => l.key === 'worker')?.values.filter((v) => v === 'cpu'), ['cpu']);
  });

  for (const name of SERVICE_PROFILES) {
    describe(name, () => {
      it('decodes field by field as pprof -raw prints it', (t) => {
        const file = serviceFile(t, name);
        if (!file) return;
        assert.equal(renderRawBody(profileOf(file)), toolRawBody(file));
      });

      it('has pprof\'s flat and cum per function and per line, for every sample type', (t) => {
        const file = serviceFile(t, name);
        if (!file) return;
        assertTopMatches(file);
      });

      it('prints the -top text pprof prints', (t) => {
        const file = serviceFile(t, name);
        if (!file) return;
        assertTextMatches(file);
      });

      it('has pprof\'s -list values on the service\'s own functions', (t) => {
        const file = serviceFile(t, name);
        if (!file) return;
        const profile = profileOf(file);
        profile.sampleTypes.forEach((type, sampleIndex) => {
          const rows = topReport(prepareQuery(profile, { sampleIndex }), { granularity: 'lines', nodeFraction: 0 }).rows;
          let listings;
          try {
            listings = toolList(file, '^main\\.', sampleIndex, type.unit);
          } catch (error) {
            // pprof fails when no function matches; then we must have no main.* rows either.
            assert.match(String(error), /no matches found/);
            assert.equal(rows.filter((r) => r.functionName.startsWith('main.')).length, 0);
            return;
          }
          for (const listing of listings) {
            const ours = new Map(rows.filter((r) => r.functionName === listing.functionName && r.file === listing.file && (r.flat !== 0 || r.cum !== 0)).map((r) => [r.line, { flat: r.flat, cum: r.cum }]));
            assert.deepEqual(ours, listing.lines, `${type.type}: -list ${listing.functionName}`);
          }
        });
      });
    });
  }

  for (const fixture of SHARED) {
    describe(fixture.name, () => {
      it('decodes field by field as pprof -raw prints it', (t) => {
        if (!requireGo((why) => t.skip(why))) return;
        assert.equal(renderRawBody(profileOf(fixture.file)), toolRawBody(fixture.file));
      });
      it('has pprof\'s flat and cum per function and per line, for every sample type', (t) => {
        if (!requireGo((why) => t.skip(why))) return;
        assertTopMatches(fixture.file);
      });
      it('prints the -top text pprof prints', (t) => {
        if (!requireGo((why) => t.skip(why))) return;
        assertTextMatches(fixture.file);
      });
    });
  }

  describe('what a profile says about itself', () => {
    it('drop_frames and keep_frames prune stacks as pprof does', (t) => {
      if (!requireGo((why) => t.skip(why))) return;
      mkdirSync(join(CACHE_DIR, 'pprof'), { recursive: true });
      const spec = sampleCpuProfileSpec();
      for (const [name, drop, keep] of [['drop-work', 'main\\.work', ''], ['drop-keep', 'main\\..*', 'main\\.main'], ['drop-leaf', 'runtime\\.mallocgc', '']]) {
        const file = join(CACHE_DIR, 'pprof', `${name}.pb.gz`);
        writeFileSync(file, buildProfile({ ...spec, dropFrames: drop, keepFrames: keep || undefined }));
        assertTopMatches(file);
        assertTextMatches(file);
      }
    });

    it('comments and numeric labels with units', (t) => {
      if (!requireGo((why) => t.skip(why))) return;
      const file = join(CACHE_DIR, 'pprof', 'labelled.pb.gz');
      mkdirSync(join(CACHE_DIR, 'pprof'), { recursive: true });
      writeFileSync(file, buildProfile({
        sampleTypes: [['alloc_space', 'bytes']],
        comments: ['captured by the tests', '#hidden comment'],
        samples: [
          { stack: ['main.a', 'main.main'], values: [4096], numLabels: { request: { value: 2, unit: 'kilobytes' } } },
          { stack: ['main.b', 'main.main'], values: [1024], numLabels: { request: { value: 512, unit: 'bytes' } } },
        ],
      }));
      assertTextMatches(file);
      assertTopMatches(file, { tags: ['request=1kb:'] });
      assertTopMatches(file, { tags: ['request=:1kb'] });
    });
  });

  describe('filters and diffs', () => {
    it('-focus, -ignore and both together on the CPU profile', (t) => {
      const file = serviceFile(t, 'cpu');
      if (!file) return;
      assertTopMatches(file, { focus: 'main\\.burnCPU' });
      assertTopMatches(file, { ignore: 'runtime\\.|sha256' });
      assertTopMatches(file, { focus: 'main\\.worker', ignore: 'main\\.fib' });
      assertTopMatches(file, { focus: 'service/main\\.go' });
      assertTextMatches(file, { focus: 'main\\.burnCPU' }, undefined, ['focus=main\\.burnCPU']);
    });

    it('-tagfocus on pprof labels set with pprof.Do (CPU and goroutine profiles)', (t) => {
      const cpu = serviceFile(t, 'cpu');
      const goroutine = serviceFile(t, 'goroutine');
      if (!cpu || !goroutine) return;
      assertTopMatches(cpu, { tags: ['worker=cpu'] });
      assertTopMatches(cpu, { tags: ['worker=lock,alloc'] });
      assertTopMatches(cpu, { tags: ['lock'] });
      assertTopMatches(goroutine, { tags: ['worker=lock'] });
      assertTextMatches(cpu, { tags: ['worker=cpu'] }, undefined, ['tagfocus=worker=cpu']);
      const ours = topReport(prepareQuery(profileOf(cpu), { tags: ['worker=cpu'] }), { nodeFraction: 0 }).rows;
      assert.ok(ours.some((r) => r.name === 'main.burnCPU'), 'the cpu worker burns CPU');
      assert.ok(!ours.some((r) => r.name === 'main.allocate'), 'but does not allocate');
    });

    it('-tagfocus numeric ranges on the heap profile\'s bytes label', (t) => {
      const allocs = serviceFile(t, 'allocs');
      if (!allocs) return;
      assertTopMatches(allocs, { tags: ['bytes=1kb:3kb'] });
      assertTopMatches(allocs, { tags: ['bytes=:512'] });
    });

    it('-diff_base: allocs and goroutines against an earlier capture, CPU against another program', (t) => {
      const allocs = serviceFile(t, 'allocs');
      const allocsBefore = serviceFile(t, 'allocs-before');
      const goroutine = serviceFile(t, 'goroutine');
      const goroutineBefore = serviceFile(t, 'goroutine-before');
      const cpu = serviceFile(t, 'cpu');
      if (!allocs || !allocsBefore || !goroutine || !goroutineBefore || !cpu) return;
      assertTopMatches(allocs, {}, allocsBefore);
      assertTopMatches(goroutine, {}, goroutineBefore);
      const large = join(FIXTURES, 'large.cpu.pb.gz');
      assertTopMatches(cpu, {}, large);
      assertTopMatches(cpu, { tags: ['worker=cpu'], focus: 'main\\.' }, large);
      assertTextMatches(allocs, {}, allocsBefore);
      const rows = topReport(prepareQuery(profileOf(cpu), { base: profileOf(large) }), { nodeFraction: 0 }).rows;
      assert.ok(rows.some((r) => r.flat < 0), 'a diff has negative values');
    });

    it('callers and callees as -peek shows them', (t) => {
      const cpu = serviceFile(t, 'cpu');
      const mutex = serviceFile(t, 'mutex');
      if (!cpu || !mutex) return;
      for (const [file, names] of [[cpu, ['main.burnCPU', 'main.mix', 'main.fib']], [mutex, ['main.contend']]] as const) {
        const profile = profileOf(file);
        profile.sampleTypes.forEach((type, sampleIndex) => {
          const query = prepareQuery(profile, { sampleIndex });
          for (const name of names) {
            const expected = toolPeek(file, `^${name.replace(/\./g, '\\.')}$`, sampleIndex, type.unit).get(name);
            const [ours] = callersAndCallees(query, name);
            if (!expected) {
              assert.equal(ours, undefined);
              continue;
            }
            assert.ok(ours, `${name} has no callers/callees`);
            assert.deepEqual(new Map(ours.callers.map((e) => [e.name, e.weight])), expected.callers, `${type.type}: callers of ${name}`);
            assert.deepEqual(new Map(ours.callees.map((e) => [e.name, e.weight])), expected.callees, `${type.type}: callees of ${name}`);
          }
        });
      }
    });
  });
});
