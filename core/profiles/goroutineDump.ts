// Go's goroutine dump (`/debug/pprof/goroutine?debug=2`, and the same text in panics): one block per
// goroutine with its state ("chan receive", "select", "IO wait"…), how long it has waited ("12 minutes",
// shown once a goroutine has been blocked for a minute) and its stack with file:line per frame.

export interface DumpFrame {
  readonly functionName: string;
  readonly file: string;
  readonly line: number;
}

export interface DumpGoroutine {
  readonly id: number;
  /** The wait reason or state: "chan receive", "running", "select (no cases)"… */
  readonly state: string;
  /** Minutes blocked, 0 when Go did not print any (under a minute). */
  readonly minutes: number;
  /** Innermost first. */
  readonly frames: readonly DumpFrame[];
  readonly createdBy?: DumpFrame;
}

export class GoroutineDumpError extends Error {
  override readonly name = 'GoroutineDumpError';
}

const HEADER = /^goroutine (\d+)(?: gp=\S+)?(?: m=\S+)?(?: mp=\S+)? \[([^\]]*)\]:$/;
const LOCATION = /^\t(.+?):(\d+)(?: \+0x[0-9a-f]+)?(?: fp=\S+ sp=\S+ pc=\S+)?$/;
const CALL = /^(.+)\(([^()]*)\)$/;
const CREATED_BY = /^created by (.+?)(?: in goroutine \d+)?$/;

/** True when the text looks like a goroutine dump (its first goroutine header appears early). */
export function looksLikeGoroutineDump(text: string): boolean {
  return /^goroutine \d+(?: gp=\S+)?(?: m=\S+)?(?: mp=\S+)? \[[^\]]*\]:$/m.test(text.slice(0, 4096));
}

function parseState(raw: string): { state: string; minutes: number } {
  const parts = raw.split(', ');
  let minutes = 0;
  const kept: string[] = [];
  for (const part of parts) {
    const m = /^(\d+) minutes?$/.exec(part);
    if (m) minutes = Number(m[1]);
    else if (part !== 'locked to thread' && !part.startsWith('syscall ')) kept.push(part);
  }
  return { state: kept.join(', ') || raw, minutes };
}

/** Parses a debug=2 dump. Throws GoroutineDumpError when the text is not one. */
export function parseGoroutineDump(text: string): DumpGoroutine[] {
  if (!looksLikeGoroutineDump(text)) {
    throw new GoroutineDumpError('This is not a goroutine dump: expected lines like "goroutine 1 [running]:". Capture one from /debug/pprof/goroutine?debug=2.');
  }
  const goroutines: DumpGoroutine[] = [];
  const lines = text.split(/\r?\n/);
  let i = 0;
  while (i < lines.length) {
    const header = HEADER.exec(lines[i]!);
    i++;
    if (!header) continue;
    const { state, minutes } = parseState(header[2]!);
    const frames: DumpFrame[] = [];
    let createdBy: DumpFrame | undefined;
    while (i < lines.length && lines[i] !== '' && !HEADER.test(lines[i]!)) {
      const callLine = lines[i]!;
      const location = i + 1 < lines.length ? LOCATION.exec(lines[i + 1]!) : null;
      const created = CREATED_BY.exec(callLine);
      if (location) {
        const frame = { file: location[1]!, line: Number(location[2]) };
        if (created) createdBy = { functionName: created[1]!, ...frame };
        else {
          const call = CALL.exec(callLine);
          frames.push({ functionName: call ? call[1]! : callLine, ...frame });
        }
        i += 2;
      } else {
        i++; // "...additional frames elided..." and other lines without a location
      }
    }
    goroutines.push({ id: Number(header[1]), state, minutes, frames, createdBy });
  }
  return goroutines;
}
