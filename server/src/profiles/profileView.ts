// The active profile as the editor shows it: for the chosen sample type, label filter and diff base, the
// flat/cum of every function and every source line (go tool pprof's -top and -list numbers, from the pprof
// core), grouped by the profile's file names, plus the formatting every lens, hover and row uses.
// Pure: a decoded profile in, plain data out.

import { accumulateNodeValues, SampleStacks, mapQueryNodes, type QueryNodes, callersAndCallees, flameGraph, type FlameGraph, type Profile, type ValueType, prepareQuery, type ProfileQuery, formatPercentage, formatValue, sampleTypeLabel, type ProfileKind } from '../../../core/profiles';

export interface ViewOptions {
  readonly sampleIndex?: number;
  readonly base?: Profile;
  /** `key=value` (pprof's -tagfocus), or undefined. */
  readonly labelFilter?: string;
  /** The profile's kind, for what its values are called ("sched wait" for a trace's scheduler latency). */
  readonly kind?: ProfileKind;
}

export interface FunctionStat {
  readonly functionName: string;
  /** The profile's (cleaned) file name. */
  readonly file: string;
  /** 1-based first line of the function (`start_line`), 0 when unknown. */
  readonly startLine: number;
  readonly flat: number;
  readonly cum: number;
}

export interface LineStat {
  /** 1-based. */
  readonly line: number;
  readonly flat: number;
  readonly cum: number;
  /** The function(s) the line belongs to. */
  readonly functionName: string;
}

export interface FileStats {
  readonly file: string;
  readonly functions: FunctionStat[];
  /** By 1-based line. */
  readonly lines: Map<number, LineStat>;
}

export interface CallRow {
  readonly functionName: string;
  readonly file: string;
  readonly startLine: number;
  readonly value: number;
}

export class ProfileView {
  readonly query: ProfileQuery;
  readonly sampleType: ValueType;
  /** The total percentages are of (the base's, when diffing). */
  readonly total: number;
  /** Functions with a non-zero flat or cum, by |cum| then name. */
  readonly functions: FunctionStat[] = [];
  readonly files = new Map<string, FileStats>();
  private readonly functionNodes: QueryNodes;
  private flame?: { graph: FlameGraph; base?: FlameGraph };

  constructor(readonly profile: Profile, readonly options: ViewOptions = {}) {
    this.query = prepareQuery(profile, {
      sampleIndex: options.sampleIndex,
      base: options.base,
      tags: options.labelFilter ? [options.labelFilter] : undefined,
    });
    this.sampleType = this.query.sampleType;
    this.total = this.query.total;

    this.functionNodes = mapQueryNodes(this.query, 'functions');
    const fv = accumulateNodeValues(this.query, this.functionNodes);
    const fnTable = this.functionNodes.table;
    for (let node = 0; node < fnTable.size; node++) {
      const flat = fv.flat[node]!;
      const cum = fv.cum[node]!;
      if (flat === 0 && cum === 0) continue;
      const functionName = fnTable.functionName(node);
      if (functionName === '') continue;
      const stat: FunctionStat = { functionName, file: fnTable.file(node), startLine: fnTable.startLine(node), flat, cum };
      this.functions.push(stat);
      this.fileStats(stat.file).functions.push(stat);
    }
    this.functions.sort((a, b) => Math.abs(b.cum) - Math.abs(a.cum) || Math.abs(b.flat) - Math.abs(a.flat) || (a.functionName < b.functionName ? -1 : 1));

    this.accumulateLines();
  }

  /**
   * Per source line: a sample's value counts once in the cum of each distinct (file, line) on its stack,
   * and in the flat of its innermost frame's line. Line nodes of different functions on one line (a
   * closure and the call that contains it) share the line, so they are merged before counting.
   */
  private accumulateLines(): void {
    const nodes = mapQueryNodes(this.query, 'lines');
    const table = nodes.table;
    const lineIdOf = new Int32Array(table.size).fill(-1);
    const ids = new Map<string, number>();
    const keys: { file: string; line: number; functionName: string }[] = [];
    for (let node = 0; node < table.size; node++) {
      const file = table.file(node);
      const line = table.line(node);
      if (file === '' || line <= 0) continue;
      const key = `${file}\0${line}`;
      let id = ids.get(key);
      if (id === undefined) {
        ids.set(key, (id = keys.length));
        keys.push({ file, line, functionName: table.functionName(node) });
      }
      lineIdOf[node] = id;
    }
    const flat = new Float64Array(keys.length);
    const cum = new Float64Array(keys.length);
    const seen = new Int32Array(keys.length).fill(-1);
    let stamp = 0;
    for (const stack = new SampleStacks(this.query, nodes, false); stack.next(); ) {
      const { nodes: stackNodes, length, weight: w } = stack;
      if (length === 0) continue;
      stamp++;
      for (let k = 0; k < length; k++) {
        const id = lineIdOf[stackNodes[k]!]!;
        if (id >= 0 && seen[id] !== stamp) {
          seen[id] = stamp;
          cum[id] += w;
        }
      }
      const leaf = lineIdOf[stackNodes[length - 1]!]!;
      if (leaf >= 0) flat[leaf] += w;
    }
    keys.forEach((key, id) => {
      if (flat[id] === 0 && cum[id] === 0) return;
      this.fileStats(key.file).lines.set(key.line, { line: key.line, flat: flat[id]!, cum: cum[id]!, functionName: key.functionName });
    });
  }

  private fileStats(file: string): FileStats {
    let stats = this.files.get(file);
    if (!stats) this.files.set(file, (stats = { file, functions: [], lines: new Map() }));
    return stats;
  }

  format(value: number): string {
    return formatValue(value, this.sampleType.unit);
  }

  percent(value: number): string {
    return formatPercentage(value, this.total).trim();
  }

  /** |value| / |total|, 0..1. */
  share(value: number): number {
    return this.total !== 0 ? Math.min(1, Math.abs(value / this.total)) : 0;
  }

  /** `cpu 1.82s (72.8%) flat · 2.21s (88.4%) cum` (the sample type's name first). */
  /** What the values are called: the sample type, or for a trace-derived profile what was waited for. */
  get sampleLabel(): string {
    return sampleTypeLabel(this.options.kind, this.sampleType.type);
  }

  lensText(stat: { flat: number; cum: number }): string {
    const diff = this.options.base ? 'Δ ' : '';
    return `${diff}${this.sampleLabel} ${this.signed(stat.flat)} (${this.percent(stat.flat)}) flat · ${this.signed(stat.cum)} (${this.percent(stat.cum)}) cum`;
  }

  /** `0.52s flat · 1.10s cum` */
  lineText(stat: { flat: number; cum: number }): string {
    return `${this.signed(stat.flat)} flat · ${this.signed(stat.cum)} cum`;
  }

  private signed(value: number): string {
    const text = this.format(value);
    return this.options.base && value > 0 ? `+${text}` : text;
  }

  /** Callers and callees of a function, heaviest first. */
  callGraph(functionName: string, limit: number): { callers: CallRow[]; callees: CallRow[] } {
    const [entry] = callersAndCallees(this.query, functionName, {}, this.functionNodes);
    if (!entry) return { callers: [], callees: [] };
    const table = this.functionNodes.table;
    const row = (edge: { node: number; functionName: string; file: string; weight: number }): CallRow => ({
      functionName: edge.functionName || edge.file,
      file: edge.file,
      startLine: table.startLine(edge.node),
      value: edge.weight,
    });
    return { callers: entry.callers.slice(0, limit).map(row), callees: entry.callees.slice(0, limit).map(row) };
  }

  /**
   * The flame graph of the profile under the view's sample type and filter, and in diff mode the base's
   * own graph (each drawn with positive values; the webview compares them node by node).
   */
  flameGraphs(): { graph: FlameGraph; base?: FlameGraph } {
    if (!this.flame) {
      const tags = this.options.labelFilter ? [this.options.labelFilter] : undefined;
      if (!this.options.base) {
        this.flame = { graph: flameGraph(this.query, {}, this.functionNodes) };
      } else {
        const sampleIndex = this.query.sampleIndex;
        this.flame = {
          graph: flameGraph(prepareQuery(this.profile, { sampleIndex, tags })),
          base: flameGraph(prepareQuery(this.options.base, { sampleIndex, tags })),
        };
      }
    }
    return this.flame;
  }

  /** Share of the total spent (cum) in a function, 0 when it has no samples. */
  cumShareOf(functionName: string): number {
    const stat = this.functions.find((f) => f.functionName === functionName);
    return stat ? this.share(stat.cum) : 0;
  }
}
