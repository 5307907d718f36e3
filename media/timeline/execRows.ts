// The rows of an execution-trace timeline, top to bottom: the GC / stop-the-world band, a lane per P,
// the user-task rows, then the goroutines group by group (each group collapsible, goroutines sorted by
// busy time or by ID). A goroutine's lane is taller when it has regions: one sub-row per nesting level.

import type { ExecIndex } from './execIndex';
import { RowLayout } from './rowLayout';

export const RowKind = {
  Section: 0,
  GC: 1,
  Proc: 2,
  TaskRow: 3,
  Group: 4,
  Goroutine: 5,
} as const;

export const Section = { Procs: 0, Tasks: 1, Goroutines: 2 } as const;
export const SECTION_NAMES = ['Processors', 'Tasks', 'Goroutines'] as const;

export const STATE_BAR_TOP = 3;
export const STATE_BAR_HEIGHT = 12;
export const REGION_ROW_HEIGHT = 13;
const HEIGHTS = { section: 20, gc: 26, proc: 20, taskRow: 17, group: 20, goroutine: 20 } as const;

export type SortBy = 'busy' | 'id';

/** Groups are collapsed at first when the trace has more goroutines than this… */
const MANY_GOROUTINES = 400;
/** …and they have more than this many. */
const BIG_GROUP = 40;

export interface ExecRows {
  readonly kind: Uint8Array;
  /** Section number, P row, task row, group number or goroutine row. */
  readonly ref: Int32Array;
  readonly layout: RowLayout;
  /** Row of each goroutine's lane (-1 when its group or section is collapsed). */
  readonly goroutineRow: Int32Array;
  readonly procRow: Int32Array;
  readonly taskRowStart: number;
}

export function defaultCollapsedGroups(index: ExecIndex): Set<string> {
  const collapsed = new Set<string>();
  if (index.model.goroutines.count <= MANY_GOROUTINES) return collapsed;
  for (const group of index.groups) if (group.goroutines.length > BIG_GROUP) collapsed.add(group.name);
  return collapsed;
}

export function buildExecRows(index: ExecIndex, collapsedSections: ReadonlySet<number>, collapsedGroups: ReadonlySet<string>, sortBy: SortBy): ExecRows {
  const model = index.model;
  const kinds: number[] = [];
  const refs: number[] = [];
  const heights: number[] = [];
  const goroutineRow = new Int32Array(model.goroutines.count).fill(-1);
  const procRow = new Int32Array(model.procs.count).fill(-1);
  const push = (kind: number, ref: number, height: number) => {
    kinds.push(kind);
    refs.push(ref);
    heights.push(height);
    return kinds.length - 1;
  };

  push(RowKind.GC, 0, HEIGHTS.gc);

  push(RowKind.Section, Section.Procs, HEIGHTS.section);
  if (!collapsedSections.has(Section.Procs)) {
    const procs = Array.from({ length: model.procs.count }, (_, p) => p).sort((a, b) => model.procs.id[a]! - model.procs.id[b]!);
    for (const p of procs) procRow[p] = push(RowKind.Proc, p, HEIGHTS.proc);
  }

  let taskRowStart = -1;
  if (model.tasks.count > 0) {
    push(RowKind.Section, Section.Tasks, HEIGHTS.section);
    if (!collapsedSections.has(Section.Tasks)) {
      for (let row = 0; row < index.taskRowCount; row++) {
        const at = push(RowKind.TaskRow, row, HEIGHTS.taskRow);
        if (row === 0) taskRowStart = at;
      }
    }
  }

  push(RowKind.Section, Section.Goroutines, HEIGHTS.section);
  if (!collapsedSections.has(Section.Goroutines)) {
    const ids = model.goroutines.id;
    index.groups.forEach((group, number) => {
      push(RowKind.Group, number, HEIGHTS.group);
      if (collapsedGroups.has(group.name)) return;
      const members = [...group.goroutines];
      if (sortBy === 'busy') members.sort((a, b) => index.busyNs[b]! - index.busyNs[a]! || ids[a]! - ids[b]!);
      else members.sort((a, b) => ids[a]! - ids[b]!);
      for (const g of members) goroutineRow[g] = push(RowKind.Goroutine, g, HEIGHTS.goroutine + index.regionDepth[g]! * REGION_ROW_HEIGHT);
    });
  }

  return {
    kind: Uint8Array.from(kinds),
    ref: Int32Array.from(refs),
    layout: new RowLayout(heights),
    goroutineRow,
    procRow,
    taskRowStart,
  };
}
