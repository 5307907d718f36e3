// Goroutine pile-ups from a real service that leaks goroutines on purpose: the same groups from its
// goroutine profile (proto) and from its debug=2 dump, and the messages a user reads.

import { before, after, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { decodeProfile } from '../../core/profiles/decode';
import { goroutineDumpToProfile } from '../../core/profiles/dumpProfile';
import { decodeProfileBytes } from '../../core/profiles/profileFile.node';
import { GoroutineDumpError, looksLikeGoroutineDump, parseGoroutineDump, type DumpGoroutine } from '../../core/profiles/goroutineDump';
import { profileMessageType } from '../../core/profiles/profileSchema';
import { StringTable } from '../../common/stringTable';
import { findPileups, goroutineGroupsFromDump, goroutineGroupsFromProfile, inferWaitReason, pileupMessage } from '../../server/src/profiles/pileups';
import { buildGoProgram, findGo, GO_PROGRAMS, startGoService, type RunningService } from '../helpers/goToolchain';
import { normalizeProfile } from '../helpers/pprofReference';

const serviceDir = join(GO_PROGRAMS, 'service');
const inService = (file: string) => (file.startsWith(serviceDir + '/') ? file : null);

let service: RunningService | undefined;
let dumpText = '';
let profileBytes: Uint8Array = new Uint8Array();

before(async () => {
  if (!findGo()) {
    if (process.env.CI === 'true') throw new Error('CI=true and the Go toolchain is not installed');
    return;
  }
  service = await startGoService(buildGoProgram('service'), ['-busy=false', '-leak', '150']);
  dumpText = await (await fetch(`${service.url}/debug/pprof/goroutine?debug=2`)).text();
  profileBytes = new Uint8Array(await (await fetch(`${service.url}/debug/pprof/goroutine`)).arrayBuffer());
});

after(async () => {
  await service?.stop();
});

test('a debug=2 dump parses into goroutines with states and file:line frames', (t) => {
  if (!service) return t.skip('the Go toolchain is not installed');
  const goroutines = parseGoroutineDump(dumpText);
  const leaked = goroutines.filter((g) => g.frames.some((f) => f.functionName === 'main.leakyWait'));
  assert.equal(leaked.length, 150);
  assert.equal(leaked[0]!.state, 'chan receive');
  const frame = leaked[0]!.frames.find((f) => f.functionName === 'main.leakyWait')!;
  assert.equal(frame.file, join(serviceDir, 'main.go'));
  assert.ok(frame.line > 0);
  assert.equal(leaked[0]!.createdBy?.functionName, 'main.main');
});

test('the profile and the dump find the same pile-up on the same line', (t) => {
  if (!service) return t.skip('the Go toolchain is not installed');
  const fromProfile = findPileups(goroutineGroupsFromProfile(decodeProfileBytes(profileBytes)), inService, 100);
  const fromDump = findPileups(goroutineGroupsFromDump(parseGoroutineDump(dumpText)), inService, 100);
  assert.equal(fromProfile.length, 1);
  assert.equal(fromDump.length, 1);
  for (const pileup of [fromProfile[0]!, fromDump[0]!]) {
    assert.equal(pileup.count, 150);
    assert.equal(pileup.functionName, 'main.leakyWait');
    assert.equal(pileup.localPath, join(serviceDir, 'main.go'));
    assert.deepEqual(pileup.reasons, [{ reason: 'chan receive', count: 150 }]);
  }
  assert.equal(fromProfile[0]!.line, fromDump[0]!.line);
  assert.equal(findPileups(goroutineGroupsFromProfile(decodeProfileBytes(profileBytes)), inService, 151).length, 0, 'the threshold hides smaller groups');
});

test('messages say how many, why, how long, and when a CPU profile shows the leak pattern', () => {
  const pileup = { localPath: '/w/a.go', line: 3, functionName: 'main.wait', count: 1024, reasons: [{ reason: 'chan receive', count: 1024 }], maxMinutes: 12 };
  assert.equal(pileupMessage(pileup).split('.')[0], '1,024 goroutines blocked here (chan receive, up to 12 minutes)');
  const withCpu = pileupMessage(pileup, { functionName: 'runtime.selectgo', share: 0.173 });
  assert.match(withCpu, /spends 17\.30% in runtime\.selectgo/);
  assert.match(withCpu, /goroutine leak/);
  const mixed = pileupMessage({ ...pileup, reasons: [{ reason: 'select', count: 1000 }, { reason: 'chan send', count: 24 }], maxMinutes: 0 });
  assert.match(mixed, /^1,024 goroutines blocked here \(select ×1,000, chan send ×24\)\./);
});

test('wait reasons are inferred from runtime frames in profiles', () => {
  const f = (functionName: string) => ({ functionName, file: '', line: 0 });
  assert.equal(inferWaitReason([f('runtime.gopark'), f('runtime.chanrecv'), f('runtime.chanrecv1'), f('main.wait')]), 'chan receive');
  assert.equal(inferWaitReason([f('runtime.gopark'), f('runtime.selectgo'), f('main.loop')]), 'select');
  assert.equal(inferWaitReason([f('runtime.gopark'), f('internal/poll.runtime_pollWait'), f('net.(*conn).Read')]), 'IO wait');
  assert.equal(inferWaitReason([f('main.busy')]), undefined);
});

test('text that is not a dump is refused with advice', () => {
  assert.equal(looksLikeGoroutineDump('<html>'), false);
  assert.throws(() => parseGoroutineDump('goroutine profile: total 3\n3 @ 0x1 0x2\n'), GoroutineDumpError);
  assert.throws(() => parseGoroutineDump(''), /debug=2/);
});

test('a dump converted to a profile keeps every goroutine, its stack and its state as a label', async (t) => {
  if (!service) return t.skip('the Go toolchain is not installed');
  const { goroutineDumpToProfile } = await import('../../core/profiles/dumpProfile');
  const { ProfileView } = await import('../../server/src/profiles/profileView');
  const dump = parseGoroutineDump(dumpText);
  const profile = goroutineDumpToProfile(dump, Date.now());
  assert.equal(profile.samples.count, dump.length);
  const view = new ProfileView(profile);
  assert.equal(view.total, dump.length);
  assert.equal(view.functions.find((f) => f.functionName === 'main.leakyWait')?.cum, 150);
  const filtered = new ProfileView(profile, { labelFilter: 'state=chan receive' });
  assert.ok(filtered.functions.find((f) => f.functionName === 'main.leakyWait')!.cum >= 150);
  assert.equal(filtered.functions.find((f) => f.functionName === 'main.main'), undefined, 'main is not waiting on a channel');
});

/** The dump as a goroutine profile in protobuf (samples, locations, functions, labels), decoded: the oracle. */
function decodedFromProtobuf(goroutines: readonly DumpGoroutine[], timeMs: number) {
  const strings = new StringTable();
  const str = (text: string) => strings.intern(text);
  const functions: { id: number; name: number; systemName: number; filename: number }[] = [];
  const locations: { id: number; line: { functionId: number; line: number }[] }[] = [];
  const functionIds = new Map<string, number>();
  const locationIds = new Map<string, number>();
  const locationOf = (name: string, file: string, line: number) => {
    let functionId = functionIds.get(`${name}\0${file}`);
    if (functionId === undefined) {
      functionIds.set(`${name}\0${file}`, (functionId = functions.length + 1));
      functions.push({ id: functionId, name: str(name), systemName: str(name), filename: str(file) });
    }
    let locationId = locationIds.get(`${functionId}:${line}`);
    if (locationId === undefined) {
      locationIds.set(`${functionId}:${line}`, (locationId = locations.length + 1));
      locations.push({ id: locationId, line: [{ functionId, line }] });
    }
    return locationId;
  };
  const sample = goroutines.map((g) => ({
    locationId: g.frames.map((f) => locationOf(f.functionName, f.file, f.line)),
    value: [1],
    label: [{ key: str('state'), str: str(g.state) }, ...(g.minutes > 0 ? [{ key: str('wait'), num: g.minutes, numUnit: str('minutes') }] : [])],
  }));
  const goroutineType = { type: str('goroutine'), unit: str('count') };
  const message = profileMessageType('Profile');
  const object = { sampleType: [goroutineType], sample, location: locations, function: functions, stringTable: strings.strings, timeNanos: timeMs * 1e6, periodType: goroutineType, period: 1, comment: [str('converted from a goroutine dump (debug=2)')] };
  return decodeProfile(message.encode(message.fromObject(object)).finish());
}

test('a dump\'s profile is built as the decoder builds the same profile from protobuf', () => {
  const frame = (functionName: string, file: string, line: number) => ({ functionName, file, line });
  const dump: DumpGoroutine[] = [
    { id: 1, state: 'chan receive', minutes: 3, frames: [frame('main.wait', '/src/main.go', 12), frame('main.main', '/src/main.go', 5)] },
    { id: 2, state: 'running', minutes: 0, frames: [frame('main.work', '/src/work.go', 40), frame('main.main', '/src/main.go', 6)] },
    { id: 3, state: 'chan receive', minutes: 3, frames: [frame('main.wait', '/src/main.go', 12), frame('main.main', '/src/main.go', 5)] },
    { id: 4, state: 'select', minutes: 12, frames: [frame('main.wait', '/src/other.go', 12)] },
    { id: 5, state: '', minutes: 0, frames: [] },
  ];
  const built = goroutineDumpToProfile(dump, 1_700_000_000_123);
  const decoded = decodedFromProtobuf(dump, 1_700_000_000_123);
  assert.deepEqual(normalizeProfile(built), normalizeProfile(decoded));
  assert.deepEqual(built.strings, decoded.strings);
  assert.deepEqual(built.labelSets, decoded.labelSets);
  for (const table of ['functions', 'locations', 'samples'] as const) {
    for (const [column, value] of Object.entries(decoded[table])) assert.deepEqual((built[table] as unknown as Record<string, unknown>)[column], value, `${table}.${column}`);
  }
});
