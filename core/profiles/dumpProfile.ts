// A goroutine dump (debug=2 text) as a goroutine profile, so every profile feature works on it: one
// sample per goroutine with its stack, and its state and wait minutes as labels ("state=chan receive"),
// which the label filter can then select. The profile's tables are built directly, as the decoder would
// have built them from the same profile in protobuf (the tests check that they are); no protobuf library is
// needed, so the portable face stays free of one (protobufjs's `long` compiles WebAssembly as it loads,
// which a webview's Content-Security-Policy refuses).

import { StringTable } from '../../common/stringTable';
import type { DumpGoroutine } from './goroutineDump';
import { LabelSetBuilder } from './labelSets';
import type { Profile } from './profile';
import { profileFromTables } from '../../common/profileTables';

export function goroutineDumpToProfile(goroutines: readonly DumpGoroutine[], timeMs: number): Profile {
  const strings = new StringTable();
  const str = (s: string) => strings.intern(s);
  // Functions by (name, file) and locations by (function, line), positions in order of first use.
  const functionName: number[] = [];
  const functionFile: number[] = [];
  const functionOf = new Map<string, number>();
  const locationFunction: number[] = [];
  const locationLine: number[] = [];
  const locationOf = new Map<string, number>();
  const location = (name: string, file: string, line: number): number => {
    const fnKey = `${name}\0${file}`;
    let fn = functionOf.get(fnKey);
    if (fn === undefined) {
      functionOf.set(fnKey, (fn = functionName.length));
      functionName.push(str(name));
      functionFile.push(str(file));
    }
    const locKey = `${fn}:${line}`;
    let loc = locationOf.get(locKey);
    if (loc === undefined) {
      locationOf.set(locKey, (loc = locationFunction.length));
      locationFunction.push(fn);
      locationLine.push(line);
    }
    return loc;
  };

  const sampleLocations: number[] = [];
  const locationStart = new Uint32Array(goroutines.length + 1);
  const labelSet = new Uint32Array(goroutines.length);
  const labels = new LabelSetBuilder();
  goroutines.forEach((g, s) => {
    locationStart[s] = sampleLocations.length;
    for (const f of g.frames) sampleLocations.push(location(f.functionName, f.file, f.line));
    // As the decoder keeps labels: a string label without a string carries nothing.
    const stateKey = str('state');
    const state = str(g.state);
    if (state !== 0) labels.add(stateKey, state, 0, 0);
    if (g.minutes > 0) labels.add(str('wait'), 0, g.minutes, str('minutes'));
    labelSet[s] = labels.finishSample();
  });
  locationStart[goroutines.length] = sampleLocations.length;
  const goroutineType = { type: strings.strings[str('goroutine')]!, unit: strings.strings[str('count')]! };
  const comment = strings.strings[str('converted from a goroutine dump (debug=2)')]!;

  return profileFromTables({
    strings: strings.strings,
    sampleTypes: [goroutineType],
    periodType: goroutineType,
    timeNanos: BigInt(Math.trunc(timeMs * 1e6)),
    comments: [comment],
    functionName,
    functionFile,
    locationFunction,
    locationLine,
    sampleStart: locationStart,
    sampleLocations,
    values: new Int32Array(goroutines.length).fill(1),
    labelSet,
    labelSets: labels.table(),
  });
}
