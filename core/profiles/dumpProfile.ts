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

  const functionCount = functionName.length;
  const locationCount = locationFunction.length;
  return {
    strings: strings.strings,
    sampleTypes: [goroutineType],
    defaultSampleType: '',
    periodType: goroutineType,
    period: 1,
    timeNanos: BigInt(Math.trunc(timeMs * 1e6)),
    durationNanos: 0n,
    dropFrames: '',
    keepFrames: '',
    comments: [comment],
    docUrl: '',
    mappings: [],
    functions: {
      count: functionCount,
      id: Float64Array.from({ length: functionCount }, (_, f) => f + 1),
      name: Int32Array.from(functionName),
      systemName: Int32Array.from(functionName),
      filename: Int32Array.from(functionFile),
      startLine: new Float64Array(functionCount),
    },
    locations: {
      count: locationCount,
      id: Float64Array.from({ length: locationCount }, (_, l) => l + 1),
      mapping: new Int32Array(locationCount).fill(-1),
      address: new BigUint64Array(locationCount),
      isFolded: new Uint8Array(locationCount),
      lineStart: Uint32Array.from({ length: locationCount + 1 }, (_, l) => l),
      lineFunction: Int32Array.from(locationFunction),
      lineNumber: Float64Array.from(locationLine),
      lineColumn: new Float64Array(locationCount),
    },
    samples: {
      count: goroutines.length,
      locationStart,
      locations: locationCount <= 0x10000 ? Uint16Array.from(sampleLocations) : Uint32Array.from(sampleLocations),
      values: new Int32Array(goroutines.length).fill(1),
      labelSet,
    },
    labelSets: labels.table(),
  };
}
