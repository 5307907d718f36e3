// The nodes pprof aggregates into: every (location, line) frame maps to a node whose identity depends on
// the granularity — `functions` (one node per function name, like `go tool pprof -top`) or `lines` (one per
// function, file and line, like `-list` and `-lines`). Frames without a function fall back to their object
// file ("[service]") or "<unknown>", exactly as pprof names them.
//
// Tens of thousands of nodes are common, so the table is columnar: a node belongs to a function-level
// group (name, file, or object file) plus a line, and names are built only when asked for.

import type { Profile } from './profile';
import { PairIndex } from './pairIndex';
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
}

/** Nodes shared by every profile of a query (a profile and its diff base map into one table). */
export class NodeTable {
  // Groups: the function-level part of a node's identity.
  private readonly groupName: string[] = [];
  private readonly groupRawFile: string[] = [];
  private readonly groupStartLine: number[] = [];
  private readonly groupObjfile: string[] = [];
  private readonly groupHasFunction: boolean[] = [];
  private readonly groupByName = new Map<string, number>();
  private readonly groupByKey = new Map<string, number>();
  // Nodes: a group and, for `lines`, a line.
  private readonly nodeGroup: number[] = [];
  private readonly nodeLine: number[] = [];
  private readonly lineNodes = new PairIndex(1024);
  /** Nodes at line numbers beyond 32 bits (only in odd profiles), which PairIndex cannot key. */
  private readonly wideLineNodes = new Map<string, number>();
  /** PairIndex ids → node ids (they differ once wide-line nodes exist). */
  private readonly slotNode: number[] = [];
  private readonly names: (string | undefined)[] = [];
  private readonly cleanFiles = new Map<string, string>();

  constructor(readonly granularity: Granularity) {}

  get size(): number {
    return this.nodeGroup.length;
  }

  private cleanFile(raw: string): string {
    let clean = this.cleanFiles.get(raw);
    if (clean === undefined) {
      clean = reportedFileName(raw);
      this.cleanFiles.set(raw, clean);
    }
    return clean;
  }

  /**
   * The group of a function (or, with `hasFunction` false, of a location without line information). Call
   * once per function and location, not per frame.
   */
  groupFor(name: string, rawFile: string, startLine: number, objfile: string, hasFunction: boolean): number {
    const byLine = this.granularity === 'lines';
    let key: string | null = null;
    if (hasFunction && name !== '') {
      if (!byLine) {
        const existing = this.groupByName.get(name);
        if (existing !== undefined) return existing;
      } else {
        key = `${name}\0${this.cleanFile(rawFile)}`;
      }
    } else {
      // pprof's NodeInfo for a nameless frame: its object file and the function's start line (and file).
      const file = hasFunction && byLine ? this.cleanFile(rawFile) : '';
      key = `\0${file}\0${objfile}\0${hasFunction ? startLine : 0}`;
    }
    if (key !== null) {
      const existing = this.groupByKey.get(key);
      if (existing !== undefined) return existing;
    }
    const group = this.groupName.length;
    this.groupName.push(hasFunction ? name : '');
    this.groupRawFile.push(hasFunction ? rawFile : '');
    this.groupStartLine.push(hasFunction ? startLine : 0);
    this.groupObjfile.push(hasFunction && name !== '' ? '' : objfile);
    this.groupHasFunction.push(hasFunction);
    if (key === null) this.groupByName.set(name, group);
    else this.groupByKey.set(key, group);
    return group;
  }

  /** The node of a frame in `group` at `line` (the line only counts for `lines` granularity). */
  nodeFor(group: number, line: number): number {
    const nodeLine = this.granularity === 'lines' ? line : 0;
    let slot: number;
    if ((nodeLine | 0) === nodeLine) {
      const before = this.lineNodes.size;
      slot = this.lineNodes.intern(group, nodeLine);
      if (this.lineNodes.size === before) return this.slotNode[slot]!;
    } else {
      const key = `${group}:${nodeLine}`;
      const existing = this.wideLineNodes.get(key);
      if (existing !== undefined) return existing;
      this.wideLineNodes.set(key, this.nodeGroup.length);
      slot = -1;
    }
    const node = this.nodeGroup.length;
    this.nodeGroup.push(group);
    this.nodeLine.push(nodeLine);
    if (slot >= 0) this.slotNode[slot] = node;
    return node;
  }

  functionName(node: number): string {
    return this.groupName[this.nodeGroup[node]!]!;
  }

  /** The reported (cleaned) file name, "" when unknown. */
  file(node: number): string {
    return this.cleanFile(this.groupRawFile[this.nodeGroup[node]!]!);
  }

  line(node: number): number {
    return this.nodeLine[node]!;
  }

  startLine(node: number): number {
    return this.groupStartLine[this.nodeGroup[node]!]!;
  }

  objfile(node: number): string {
    return this.groupObjfile[this.nodeGroup[node]!]!;
  }

  /** The name pprof prints for the node. */
  name(node: number): string {
    const cached = this.names[node];
    if (cached !== undefined) return cached;
    const group = this.nodeGroup[node]!;
    const fn = this.groupName[group]!;
    const line = this.nodeLine[node]!;
    const file = this.granularity === 'lines' ? this.cleanFile(this.groupRawFile[group]!) : '';
    let name: string;
    if (line !== 0) name = fn !== '' ? `${fn} ${file}:${line}` : `${file}:${line}`;
    else if (file !== '') name = fn !== '' ? `${fn} ${file}` : file;
    else if (fn !== '') name = fn;
    else if (this.groupObjfile[group] !== '') name = `[${baseName(this.groupObjfile[group]!)}]`;
    else name = '<unknown>';
    this.names[node] = name;
    return name;
  }

  /** Deterministic tie-break between nodes of equal value and name, in the spirit of pprof's. */
  sortKey(node: number): string {
    const group = this.nodeGroup[node]!;
    const file = this.granularity === 'lines' ? this.file(node) : '';
    const named = this.groupName[group] !== '';
    return `{${this.groupName[group]}  0 ${file} ${named ? 0 : this.groupStartLine[group]} ${this.nodeLine[node]} 0 ${this.groupObjfile[group]}}`;
  }

  info(node: number): FrameNode {
    return {
      name: this.name(node),
      functionName: this.functionName(node),
      file: this.file(node),
      line: this.line(node),
      startLine: this.startLine(node),
      objfile: this.objfile(node),
    };
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
  // Groups per function, computed once; nameless functions depend on the location's object file too.
  const functionGroup = new Int32Array(fns.count).fill(-1);
  let out = 0;
  for (let l = 0; l < locs.count; l++) {
    start[l] = out;
    const m = locs.mapping[l]!;
    const objfile = m >= 0 ? mappings[m]!.file : '';
    const first = locs.lineStart[l]!;
    const last = locs.lineStart[l + 1]!;
    if (first === last) {
      nodes[out++] = table.nodeFor(table.groupFor('', '', 0, objfile, false), 0);
      continue;
    }
    for (let i = first; i < last; i++) {
      const f = locs.lineFunction[i]!;
      const name = strings[fns.name[f]!]!;
      let group = name !== '' ? functionGroup[f]! : -1;
      if (group < 0) {
        group = table.groupFor(name, strings[fns.filename[f]!]!, fns.startLine[f]!, objfile, true);
        if (name !== '') functionGroup[f] = group;
      }
      nodes[out++] = table.nodeFor(group, locs.lineNumber[i]!);
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
