// A goroutine dump (debug=2 text) as a goroutine profile, so every profile feature works on it: one
// sample per goroutine with its stack, and its state and wait minutes as labels ("state=chan receive"),
// which the label filter can then select.

import { StringTable } from '../../common/stringTable';
import { decodeProfile } from './decode';
import type { Profile } from './profile';
import { profileMessageType } from './profileSchema';
import type { DumpGoroutine } from './goroutineDump';

export function goroutineDumpToProfile(goroutines: readonly DumpGoroutine[], timeMs: number): Profile {
  const strings = new StringTable();
  const str = (s: string) => strings.intern(s);
  const functions: { id: number; name: number; systemName: number; filename: number }[] = [];
  const functionIds = new Map<string, number>();
  const locations: { id: number; line: { functionId: number; line: number }[] }[] = [];
  const locationIds = new Map<string, number>();
  const locationOf = (functionName: string, file: string, line: number) => {
    const fnKey = `${functionName}\0${file}`;
    let functionId = functionIds.get(fnKey);
    if (functionId === undefined) {
      functionIds.set(fnKey, (functionId = functions.length + 1));
      functions.push({ id: functionId, name: str(functionName), systemName: str(functionName), filename: str(file) });
    }
    const locKey = `${functionId}:${line}`;
    let locationId = locationIds.get(locKey);
    if (locationId === undefined) {
      locationIds.set(locKey, (locationId = locations.length + 1));
      locations.push({ id: locationId, line: [{ functionId, line }] });
    }
    return locationId;
  };
  const sample = goroutines.map((g) => ({
    locationId: g.frames.map((f) => locationOf(f.functionName, f.file, f.line)),
    value: [1],
    label: [
      { key: str('state'), str: str(g.state) },
      ...(g.minutes > 0 ? [{ key: str('wait'), num: g.minutes, numUnit: str('minutes') }] : []),
    ],
  }));
  const goroutineType = { type: str('goroutine'), unit: str('count') };
  const message = profileMessageType('Profile');
  const bytes = message
    .encode(message.fromObject({
      sampleType: [goroutineType],
      sample,
      location: locations,
      function: functions,
      stringTable: strings.strings,
      timeNanos: timeMs * 1e6,
      periodType: goroutineType,
      period: 1,
      comment: [str('converted from a goroutine dump (debug=2)')],
    }))
    .finish();
  return decodeProfile(bytes);
}
