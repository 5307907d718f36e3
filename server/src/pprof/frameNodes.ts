// The nodes pprof aggregates into: every (location, line) frame maps to a node whose identity depends on
// the granularity — `functions` (one node per function name, like `go tool pprof -top`) or `lines` (one per
// function, file and line, like `-list` and `-granularity=lines`). Frames without a function fall back to
// their object file ("[service]") or "<unknown>", exactly as pprof names them.

import type { Profile } from './profile';
import { baseName, reportedFileName } from './pathUtil';

export type Granularity = 'functions' | 'lines';

export interface FrameNode {
  /** The name pprof prints: "main.burnCPU", "main.mix main.go:39", "[service]", "<unknown>". */
  readonly name: string;
  /** The function name, "" when the frame has none. */
  readonly functionName: string;
  /** The file as pprof reports it (cleaned); for function nodes, the file of the first frame seen. */
  readonly file: string;
  /** Line number for line nodes; 0 for function nodes. */
  readonly line: number;
  /** The function's first line (`start_line`), 0 when unknown. */
  readonly startLine: number;
  readonly objfile: string;
  /** Deterministic tie-break, in the spirit of pprof's `fmt.Sprint(node.Info)`. */
  readonly sortKey: string;
}

/** Nodes shared by every profile of a query (a profile and its diff base map into one table). */
export class NodeTable {
  readonly nodes: FrameNode[] = [];
  private readonly byKey = new Map<string, number>();

  constructor(readonly granularity: Granularity) {}

  get size(): number {
    return this.nodes.length;
  }

  /** The node of one frame. `functionIndex` -1 means the location has no line information. */
  nodeFor(name: string, filename: string, line: number, startLine: number, objfile: string, hasFunction: boolean): number {
    const byLine = this.granularity === 'lines';
    let infoName = '';
    let infoFile = '';
    let infoStart = 0;
    let infoLine = 0;
    let infoObj = '';
    if (!hasFunction) {
      infoObj = objfile;
    } else {
      infoName = name;
      if (byLine) {
        infoFile = reportedFileName(filename);
        infoLine = line;
      }
      if (name === '') {
        infoObj = objfile;
        infoStart = startLine;
      }
    }
    const key = `${infoName}\0${infoFile}\0${infoStart}\0${infoLine}\0${infoObj}`;
    const existing = this.byKey.get(key);
    if (existing !== undefined) return existing;
    const parts: string[] = [];
    if (infoName !== '') parts.push(infoName);
    if (infoLine !== 0) parts.push(`${infoFile}:${infoLine}`);
    else if (infoFile !== '') parts.push(infoFile);
    else if (infoName !== '') {
      // the function name says it all
    } else if (infoObj !== '') parts.push(`[${baseName(infoObj)}]`);
    else parts.push('<unknown>');
    const id = this.nodes.length;
    this.nodes.push({
      name: parts.join(' '),
      functionName: hasFunction ? name : '',
      file: hasFunction ? reportedFileName(filename) : '',
      line: infoLine,
      startLine: hasFunction ? startLine : 0,
      objfile: infoObj,
      sortKey: `{${infoName}  0 ${infoFile} ${infoStart} ${infoLine} 0 ${infoObj}}`,
    });
    this.byKey.set(key, id);
    return id;
  }
}

/**
 * For each location, its frames' nodes innermost first: location `l` has nodes
 * `nodes[start[l] .. start[l+1]-1]`. A location without lines has one node (its object file).
 */
export interface LocationNodes {
  readonly start: Uint32Array;
  readonly nodes: Int32Array;
}

export function mapLocationsToNodes(profile: Profile, table: NodeTable): LocationNodes {
  const { locations: locs, functions: fns, strings, mappings } = profile;
  const start = new Uint32Array(locs.count + 1);
  let total = 0;
  for (let l = 0; l < locs.count; l++) total += Math.max(1, locs.lineStart[l + 1]! - locs.lineStart[l]!);
  const nodes = new Int32Array(total);
  // One lookup per function (and per distinct line) rather than per frame.
  const functionNode = table.granularity === 'functions' ? new Int32Array(fns.count).fill(-1) : null;
  let out = 0;
  for (let l = 0; l < locs.count; l++) {
    start[l] = out;
    const m = locs.mapping[l]!;
    const objfile = m >= 0 ? mappings[m]!.file : '';
    const first = locs.lineStart[l]!;
    const last = locs.lineStart[l + 1]!;
    if (first === last) {
      nodes[out++] = table.nodeFor('', '', 0, 0, objfile, false);
      continue;
    }
    for (let i = first; i < last; i++) {
      const f = locs.lineFunction[i]!;
      const name = strings[fns.name[f]!]!;
      if (functionNode && name !== '') {
        let n = functionNode[f]!;
        if (n < 0) {
          n = table.nodeFor(name, strings[fns.filename[f]!]!, 0, fns.startLine[f]!, objfile, true);
          functionNode[f] = n;
        }
        nodes[out++] = n;
      } else {
        nodes[out++] = table.nodeFor(name, strings[fns.filename[f]!]!, locs.lineNumber[i]!, fns.startLine[f]!, objfile, true);
      }
    }
  }
  start[locs.count] = out;
  return { start, nodes };
}

/** Go's string order (bytewise UTF-8), which differs from JavaScript's for characters beyond U+FFFF. */
export function compareGoStrings(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // Surrogates (U+D800–DFFF) encode code points above every BMP character.
    const xs = x >= 0xd800 && x <= 0xdfff;
    const ys = y >= 0xd800 && y <= 0xdfff;
    if (xs !== ys) return xs ? 1 : -1;
    return x < y ? -1 : 1;
  }
  return a.length - b.length;
}
