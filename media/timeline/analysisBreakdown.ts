// The Goroutines table of the Analysis view as numbers (no DOM): where goroutines spent their time, by
// group (start function), by user task or by region type, each row expandable to its goroutines, for
// an AnalysisScope. The columns fold the core's GoroutineExecStats (summarizeGoroutines, go tool trace's
// numbers) into what the article asks about:
//
// - Execution, Sched wait: as the core has them.
// - Sync block: blocked for a reason that mentions "chan", "select" or "sync" (chan send/receive,
//   select, sync.Mutex, sync.RWMutex, sync.WaitGroup, sync.Cond…): the rule of go tool trace's sync
//   blocking profile (-pprof=sync), so the table and that profile count the same waits.
// - Network wait: blocked with the reason "network".
// - Syscall: syscall execution plus syscall block (the syscall outlived its P).
// - Other wait: every other block reason (sleep, GC assist wait, forever…); with the above and what
//   the core calls unknown it makes up Total.
// - GC: time in GC ranges the goroutine took part in (mark assist, sweep, stop-the-world); it overlaps
//   the other columns.
//
// Whole trace, range and group scopes take each goroutine's numbers (clipped to the range for a range).
// Region and task scopes take the time inside the regions of that type or task: Go's region statistics
// (the goroutine's numbers while the region was active), summed over the outermost such regions of each
// goroutine, so a region nested in one of the same type (or task) is not counted twice. The by-task and
// by-region tables do the same per task and per region type.

import { sumStats, type GoroutineAnalysis, type GoroutineExecStats, type GoroutineSummary, type UserRegionSummary } from '../../core/timeline';
import type { AnalysisScope } from './analysisScope';

export type BreakdownBy = 'group' | 'task' | 'region';

export type ColumnKey = 'count' | 'exec' | 'sched' | 'sync' | 'network' | 'syscall' | 'otherWait' | 'gc' | 'total';

export interface BreakdownColumn {
  readonly key: ColumnKey;
  readonly label: string;
  readonly title: string;
}

/** The numeric columns, in table order (the name column comes first). */
export const BREAKDOWN_COLUMNS: readonly BreakdownColumn[] = [
  { key: 'count', label: 'Count', title: 'Goroutines (by group) or regions (by task and region type)' },
  { key: 'exec', label: 'Execution', title: 'Time running' },
  { key: 'sched', label: 'Sched wait', title: 'Time runnable, waiting to be scheduled' },
  { key: 'sync', label: 'Sync block', title: 'Blocked on a channel, select or sync primitive (block reasons that mention chan, select or sync, as the sync blocking profile counts them)' },
  { key: 'network', label: 'Network wait', title: 'Blocked on the network' },
  { key: 'syscall', label: 'Syscall', title: 'In system calls: executing plus blocked' },
  { key: 'otherWait', label: 'Other wait', title: 'Blocked for any other reason (sleep, GC, …)' },
  { key: 'gc', label: 'GC', title: 'In GC ranges: mark assist, sweep, stop-the-world (overlaps the other columns)' },
  { key: 'total', label: 'Total', title: 'Time in the trace (within the scope)' },
];

/** The sync blocking profile's rule for which block reasons are synchronization. */
export function isSyncReason(reason: string): boolean {
  return reason.includes('chan') || reason.includes('sync') || reason.includes('select');
}

export type ColumnValues = Readonly<Record<ColumnKey, number>>;

export function columnValues(stats: GoroutineExecStats, count: number): ColumnValues {
  let sync = 0;
  let network = 0;
  let otherWait = 0;
  for (const [reason, ns] of Object.entries(stats.blockNsByReason)) {
    if (reason === 'network') network += ns;
    else if (isSyncReason(reason)) sync += ns;
    else otherWait += ns;
  }
  let gc = 0;
  for (const ns of Object.values(stats.rangeNs)) gc += ns;
  return { count, exec: stats.execNs, sched: stats.schedWaitNs, sync, network, syscall: stats.syscallNs + stats.syscallBlockNs, otherWait, gc, total: stats.totalNs };
}

export interface BreakdownRow {
  readonly key: string;
  /** As shown: the start function, the task, the region type, or "G12" for a goroutine. */
  readonly name: string;
  readonly values: ColumnValues;
  /** Model rows of the goroutines it covers (a goroutine row: just its own). */
  readonly goroutines: readonly number[];
  /** A goroutine row's model row, a task row's task ID. */
  readonly goroutine?: number;
  readonly taskId?: number;
  /** A group row's start function (the goroutines' name), for its code. */
  readonly startFunction?: string;
  readonly children: readonly BreakdownRow[];
}

/** What a group is called when none of its goroutines had a stack (go tool trace: "Inactive, no stack trace sampled"). */
export const NO_NAME = '(no stack trace sampled)';

/** Per goroutine: its numbers within the scope and how many regions they come from (0: the goroutine itself). */
interface Contribution {
  readonly goroutine: GoroutineSummary;
  readonly stats: GoroutineExecStats;
  readonly regions: number;
}

/** Regions that are not inside another region of the same list on the same goroutine (the list is by start). */
function outermost(regions: readonly UserRegionSummary[]): UserRegionSummary[] {
  const openUntil = new Map<number, number>();
  const out: UserRegionSummary[] = [];
  for (const r of regions) {
    if (r.startNs < (openUntil.get(r.goroutine) ?? -Infinity)) continue;
    openUntil.set(r.goroutine, r.endNs);
    out.push(r);
  }
  return out;
}

function contributions(regions: readonly UserRegionSummary[], byRow: ReadonlyMap<number, GoroutineSummary>): Contribution[] {
  const lists = new Map<number, GoroutineExecStats[]>();
  for (const r of outermost(regions)) {
    const list = lists.get(r.goroutine);
    if (list) list.push(r.stats);
    else lists.set(r.goroutine, [r.stats]);
  }
  const out: Contribution[] = [];
  for (const [row, list] of lists) {
    const goroutine = byRow.get(row);
    if (goroutine) out.push({ goroutine, stats: sumStats(list), regions: list.length });
  }
  return out;
}

function goroutineRow(c: Contribution): BreakdownRow {
  const g = c.goroutine;
  return { key: `g:${g.row}`, name: `G${g.id}`, values: columnValues(c.stats, c.regions || 1), goroutines: [g.row], goroutine: g.row, children: [] };
}

/** A row over several contributions, with one child per goroutine. */
function parentRow(key: string, name: string, list: readonly Contribution[], count: number, extra: Partial<BreakdownRow>): BreakdownRow {
  const children = list.map(goroutineRow);
  return { key, name, values: columnValues(sumStats(list.map((c) => c.stats)), count), goroutines: list.map((c) => c.goroutine.row), children, ...extra };
}

/** The regions a scope covers (all of them for the whole trace and a range: those overlapping it). */
function regionsInScope(analysis: GoroutineAnalysis, scope: AnalysisScope, byRow: ReadonlyMap<number, GoroutineSummary>): readonly UserRegionSummary[] {
  switch (scope.kind) {
    case 'whole':
    case 'range':
      return analysis.regions;
    case 'group':
      return analysis.regions.filter((r) => byRow.get(r.goroutine)?.name === scope.name);
    case 'region':
      return analysis.regions.filter((r) => r.name === scope.type);
    case 'task':
      return analysis.regions.filter((r) => r.taskId === scope.id);
  }
}

function bucket<T>(items: readonly T[], key: (item: T) => string | number): Map<string | number, T[]> {
  const out = new Map<string | number, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}

/** The table's rows for a scope, in the core's order (by execution time, longest first). */
export function breakdown(analysis: GoroutineAnalysis, scope: AnalysisScope, by: BreakdownBy): BreakdownRow[] {
  const byRow = new Map(analysis.goroutines.map((g) => [g.row, g]));
  const regions = regionsInScope(analysis, scope, byRow);
  let rows: BreakdownRow[];
  if (by === 'group') {
    const list: Contribution[] =
      scope.kind === 'region' || scope.kind === 'task'
        ? contributions(regions, byRow)
        : analysis.goroutines.filter((g) => scope.kind !== 'group' || g.name === scope.name).map((g) => ({ goroutine: g, stats: g.stats, regions: 0 }));
    rows = [...bucket(list, (c) => c.goroutine.name)].map(([name, members]) =>
      parentRow(`group:${name}`, (name as string) || NO_NAME, members, members.length, { startFunction: name as string }),
    );
  } else if (by === 'task') {
    const names = new Map(analysis.tasks.map((t) => [t.id, t.name]));
    rows = [...bucket(regions, (r) => r.taskId)]
      .filter(([id]) => names.has(id as number))
      .map(([id, list]) => {
        const members = contributions(list, byRow);
        return parentRow(`task:${id}`, `${names.get(id as number)} (${id})`, members, members.reduce((n, c) => n + c.regions, 0), { taskId: id as number });
      });
  } else {
    rows = [...bucket(regions, (r) => r.name)].map(([name, list]) => {
      const members = contributions(list, byRow);
      return parentRow(`region:${name}`, (name as string) || '(unnamed: goroutines started inside a region)', members, members.reduce((n, c) => n + c.regions, 0), {});
    });
  }
  return rows.sort((a, b) => b.values.exec - a.values.exec || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
