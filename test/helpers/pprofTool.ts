// `go tool pprof` as the reference for the pprof engine's tests: runs the installed toolchain's pprof on a
// file and parses its -top, -list, -peek and -raw output. Values are requested in the sample type's own
// unit (`-unit=<unit>`), so pprof prints exact integers ("310000000ns", "1049728B", "42") rather than
// rounded, scaled ones.

import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { Profile } from '../../core/profiles/profile';
import { goEnv, runGo } from './goToolchain';

let binary: string | undefined;

/** The pprof binary of the installed toolchain (`go tool pprof` without the go command's startup). */
export function pprofBinary(): string {
  binary ??= join(runGo(['env', 'GOTOOLDIR']).trim(), 'pprof');
  return binary;
}

/** Runs pprof offline (`-symbolize=none`) and returns stdout; throws with pprof's stderr on failure. */
export function runPprofTool(args: readonly string[]): string {
  try {
    return execFileSync(pprofBinary(), ['-symbolize=none', ...args], { env: goEnv(), encoding: 'utf8', maxBuffer: 512 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    const e = error as { stderr?: string; message: string };
    throw new Error(`pprof ${args.join(' ')} failed: ${e.stderr || e.message}`);
  }
}

/** A number as pprof printed it with `-unit=<unit>`: "310000000ns", "-42", "1049728B", "." (zero). */
export function parseToolValue(text: string): number {
  if (text === '.' || text === '0') return 0;
  const match = /^(-?\d+)(?:[A-Za-z*μ]+)?$/.exec(text);
  if (!match) throw new Error(`pprof printed a value that is not an integer: "${text}"`);
  return Number(match[1]);
}

export interface ToolTopRow {
  readonly name: string;
  readonly flat: number;
  readonly cum: number;
  readonly inline: '' | 'inline' | 'partial-inline';
}

const TOP_ROW = /^\s*(\S+)\s+(\S+%)\s+(\S+%)\s+(\S+)\s+(\S+%)\s\s(.*?)(?: \((inline|partial-inline)\))?$/;

/** The rows of a `-top` report. */
export function parseTopRows(text: string): ToolTopRow[] {
  const lines = text.split('\n');
  const header = lines.findIndex((l) => /^\s+flat\s+flat%\s+sum%\s+cum\s+cum%$/.test(l));
  if (header === -1) throw new Error(`no -top header in pprof output:\n${text.slice(0, 500)}`);
  return lines
    .slice(header + 1)
    .filter((l) => l.trim() !== '')
    .map((l) => {
      const m = TOP_ROW.exec(l);
      if (!m) throw new Error(`unexpected -top row: ${l}`);
      return { name: m[6]!, flat: parseToolValue(m[1]!), cum: parseToolValue(m[4]!), inline: (m[7] ?? '') as ToolTopRow['inline'] };
    });
}

export interface TopArgs {
  readonly sampleIndex: number;
  readonly unit: string;
  readonly lines?: boolean;
  readonly extra?: readonly string[];
}

/** Every node of `-top` (nothing trimmed), values in the sample type's unit. */
export function toolTop(file: string, args: TopArgs): ToolTopRow[] {
  const out = runPprofTool([
    '-top', ...(args.lines ? ['-lines'] : []), '-nodecount=1000000', '-nodefraction=0', '-edgefraction=0',
    `-sample_index=${args.sampleIndex}`, `-unit=${args.unit}`, ...(args.extra ?? []), file,
  ]);
  return parseTopRows(out);
}

export interface ToolListing {
  readonly functionName: string;
  readonly file: string;
  /** Source lines with a value: line → flat/cum. */
  readonly lines: Map<number, { flat: number; cum: number }>;
}

/** `-list REGEX`: per function and file, the values on each source line. */
export function toolList(file: string, regex: string, sampleIndex: number, unit: string): ToolListing[] {
  const out = runPprofTool(['-list', regex, `-sample_index=${sampleIndex}`, `-unit=${unit}`, file]);
  const listings: ToolListing[] = [];
  let current: ToolListing | null = null;
  for (const line of out.split('\n')) {
    const routine = /^ROUTINE =+ (.+) in (.+)$/.exec(line);
    if (routine) {
      current = { functionName: routine[1]!, file: routine[2]!, lines: new Map() };
      listings.push(current);
      continue;
    }
    const row = /^\s*(\S+)\s+(\S+)\s+(\d+):/.exec(line);
    if (current && row && !line.includes('(flat, cum)')) {
      const flat = parseToolValue(row[1]!);
      const cum = parseToolValue(row[2]!);
      if (flat !== 0 || cum !== 0) current.lines.set(Number(row[3]), { flat, cum });
    }
  }
  return listings;
}

/** The Samples/Locations/Mappings part of `-raw`, which prints the decoded profile field by field. */
export function toolRawBody(file: string): string {
  const out = runPprofTool(['-raw', file]);
  return out.slice(out.indexOf('Samples:'));
}

const hex = (v: bigint) => `0x${v.toString(16)}`;

/**
 * Our decoded profile printed the way pprof's `-raw` prints its own (from "Samples:" on). Like the tool,
 * a profile without mappings is shown with one empty mapping (id 1) that every location points to.
 */
export function renderRawBody(profile: Profile): string {
  const { strings, samples, locations: locs, functions: fns } = profile;
  const fake = profile.mappings.length === 0;
  const mappings = fake
    ? [{ id: 1, memoryStart: 0n, memoryLimit: 0n, fileOffset: 0n, file: '', buildId: '', hasFunctions: false, hasFilenames: false, hasLineNumbers: false, hasInlineFrames: false }]
    : profile.mappings;
  const T = profile.sampleTypes.length;
  const out: string[] = ['Samples:'];
  out.push(profile.sampleTypes.map((t) => `${t.type}/${t.unit}${t.type === profile.defaultSampleType ? '[dflt]' : ''}`).join(' '));
  for (let s = 0; s < samples.count; s++) {
    let line = '';
    for (let k = 0; k < T; k++) line += ' ' + String(samples.values[s * T + k]).padStart(10);
    line += ': ';
    for (let i = samples.locationStart[s]!; i < samples.locationStart[s + 1]!; i++) line += `${locs.id[samples.locations[i]!]} `;
    out.push(line);
    const labels = new Map<string, string[]>();
    const numbers = new Map<string, { v: number; u: string }[]>();
    const sets = profile.labelSets;
    const set = samples.labelSet[s]!;
    for (let i = sets.start[set]!; i < sets.start[set + 1]!; i++) {
      const key = strings[sets.key[i]!]!;
      if (sets.string[i] !== 0) labels.set(key, [...(labels.get(key) ?? []), strings[sets.string[i]!]!]);
      else numbers.set(key, [...(numbers.get(key) ?? []), { v: sets.number[i]!, u: strings[sets.unit[i]!]! }]);
    }
    const goSort = (a: string, b: string) => (Buffer.from(a) < Buffer.from(b) ? -1 : 1);
    if (labels.size > 0) out.push('                ' + [...labels].map(([k, v]) => `${k}:[${v.join(' ')}]`).sort(goSort).join(' '));
    if (numbers.size > 0) {
      out.push('                ' + [...numbers].map(([k, v]) => {
        const withUnits = v.some((x) => x.u !== '');
        return `${k}:[${v.map((x) => (withUnits ? `${x.v} ${x.u}` : String(x.v))).join(' ')}]`;
      }).sort(goSort).join(' '));
    }
  }
  out.push('Locations');
  for (let l = 0; l < locs.count; l++) {
    const m = fake ? 0 : locs.mapping[l]!;
    let head = `${String(locs.id[l]).padStart(6)}: ${hex(locs.address[l]!)} ${m >= 0 ? `M=${mappings[m]!.id} ` : ''}${locs.isFolded[l] ? '[F] ' : ''}`;
    if (locs.lineStart[l] === locs.lineStart[l + 1]) out.push(head);
    for (let i = locs.lineStart[l]!; i < locs.lineStart[l + 1]!; i++) {
      const f = locs.lineFunction[i]!;
      const name = strings[fns.name[f]!]!;
      const system = strings[fns.systemName[f]!]!;
      out.push(`${head}${name} ${strings[fns.filename[f]!]}:${locs.lineNumber[i]}:${locs.lineColumn[i]} s=${fns.startLine[f]}${name !== system ? `(${system})` : ''}`);
      head = '             ';
    }
  }
  out.push('Mappings');
  for (const m of mappings) {
    const bits = `${m.hasFunctions ? '[FN]' : ''}${m.hasFilenames ? '[FL]' : ''}${m.hasLineNumbers ? '[LN]' : ''}${m.hasInlineFrames ? '[IN]' : ''}`;
    out.push(`${m.id}: ${hex(m.memoryStart)}/${hex(m.memoryLimit)}/${hex(m.fileOffset)} ${m.file} ${m.buildId} ${bits}`);
  }
  return out.join('\n') + '\n';
}

export interface ToolPeek {
  readonly callers: Map<string, number>;
  readonly callees: Map<string, number>;
}

/** `-peek REGEX` for one function: its callers' and callees' edge weights. */
export function toolPeek(file: string, functionRegex: string, sampleIndex: number, unit: string): Map<string, ToolPeek> {
  const out = runPprofTool(['-peek', functionRegex, '-nodefraction=0', '-edgefraction=0', `-sample_index=${sampleIndex}`, `-unit=${unit}`, file]);
  const result = new Map<string, ToolPeek>();
  const blocks = out.split(/^-+\+-+$/m).slice(1);
  for (const block of blocks) {
    const rows = block.split('\n').filter((l) => l.includes('|'));
    const center = rows.findIndex((l) => /^\s*\S+\s+\S+%\s+\S+%\s+\S+\s+\S+%\s+\| /.test(l));
    if (center === -1) continue;
    const name = rows[center]!.split('| ')[1]!.replace(/ \((inline|partial-inline)\)$/, '').trim();
    const edge = (l: string): [string, number] => {
      const m = /^\s*(\S+)\s+\S+%\s+\|\s+(.*?)(?: \((?:inline|partial-inline)\))?$/.exec(l);
      if (!m) throw new Error(`unexpected -peek row: ${l}`);
      return [m[2]!.trim(), parseToolValue(m[1]!)];
    };
    result.set(name, { callers: new Map(rows.slice(0, center).map(edge)), callees: new Map(rows.slice(center + 1).map(edge)) });
  }
  return result;
}
