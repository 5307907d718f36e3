// The Goroutines table of the Analysis view: one row per group (or task, or region type) with the
// breakdown columns of analysisBreakdown.ts, sortable by any column (a button in each header, with
// aria-sort on the header cell), each row expandable to its goroutines. A row's name shows it on the
// timeline (a group's or task's lanes, a goroutine's lane); a group's Code button opens its start
// function. Durations read as the timeline writes them; the exact number is on the cell (data-value).

import { el, replaceChildren } from '../shared/dom';
import { BREAKDOWN_COLUMNS, type BreakdownRow, type ColumnKey } from './analysisBreakdown';
import { durationText } from './timeFormat';

export interface BreakdownActions {
  /** Shows a group's, task's or region type's goroutines on the timeline. */
  reveal(row: BreakdownRow): void;
  revealGoroutine(goroutine: number): void;
  /** Opens a start function's code; false when the trace has no location for it. */
  canOpenFunction(name: string): boolean;
  openFunction(name: string): void;
}

type SortKey = ColumnKey | 'name';

/** A cell with a number: its text as the timeline writes it, the exact value in data-value. */
export function numberCell(value: number, text: string): HTMLTableCellElement {
  const cell = el('td', { class: 'num' }, text);
  cell.dataset.value = String(value);
  return cell;
}

/** The ▸/▾ button of an expandable row. */
export function twisty(expanded: boolean, what: string, toggle: () => void): HTMLButtonElement {
  const button = el('button', { type: 'button', class: 'twisty-button', 'aria-expanded': String(expanded), 'aria-label': `${expanded ? 'Collapse' : 'Expand'} ${what}` }, expanded ? '▾' : '▸');
  button.addEventListener('click', toggle);
  return button;
}

export class BreakdownTable {
  readonly element: HTMLTableElement;
  private rows: readonly BreakdownRow[] = [];
  private nameHeader = 'Group';
  private sort: { key: SortKey; descending: boolean } = { key: 'exec', descending: true };
  private readonly expanded = new Set<string>();

  constructor(private readonly actions: BreakdownActions) {
    this.element = el('table', { class: 'analysis-table breakdown' });
  }

  /** New rows (a new scope or grouping); the sort order and the expanded rows stay. */
  show(rows: readonly BreakdownRow[], nameHeader: string): void {
    this.rows = rows;
    this.nameHeader = nameHeader;
    this.render();
  }

  private sorted(rows: readonly BreakdownRow[]): BreakdownRow[] {
    const { key, descending } = this.sort;
    const sign = descending ? -1 : 1;
    const compare =
      key === 'name'
        ? (a: BreakdownRow, b: BreakdownRow) => sign * (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)
        : (a: BreakdownRow, b: BreakdownRow) => sign * (a.values[key] - b.values[key]);
    // Stable: equal rows keep the core's order.
    return [...rows].sort(compare);
  }

  private header(key: SortKey, label: string, title: string): HTMLTableCellElement {
    const active = this.sort.key === key;
    const th = el('th', { class: key === 'name' ? 'name' : 'num', title });
    th.setAttribute('aria-sort', active ? (this.sort.descending ? 'descending' : 'ascending') : 'none');
    th.dataset.column = key;
    const button = el('button', { type: 'button', class: 'sort-button', title: `Sort by ${label.toLowerCase()}` }, label, active ? (this.sort.descending ? ' ↓' : ' ↑') : '');
    button.addEventListener('click', () => {
      this.sort = active ? { key, descending: !this.sort.descending } : { key, descending: key !== 'name' };
      this.render();
      (this.element.querySelector(`th[data-column="${key}"] button`) as HTMLButtonElement | null)?.focus();
    });
    th.appendChild(button);
    return th;
  }

  private row(row: BreakdownRow, child: boolean): HTMLTableRowElement {
    const tr = el('tr', { class: child ? 'breakdown-row child-row' : 'breakdown-row' });
    tr.dataset.key = row.key;
    const nameCell = el('td', { class: 'name' });
    if (child) {
      const button = el('button', { type: 'button', class: 'link row-name', title: `Show ${row.name}'s lane on the timeline` }, row.name);
      button.addEventListener('click', () => this.actions.revealGoroutine(row.goroutine!));
      nameCell.appendChild(button);
    } else {
      const expanded = this.expanded.has(row.key);
      nameCell.appendChild(
        twisty(expanded, `${row.name}'s goroutines`, () => {
          if (expanded) this.expanded.delete(row.key);
          else this.expanded.add(row.key);
          this.render();
          (this.element.querySelector(`tr[data-key="${CSS.escape(row.key)}"] .twisty-button`) as HTMLButtonElement | null)?.focus();
        }),
      );
      const button = el('button', { type: 'button', class: 'link row-name', title: `Show ${row.name} on the timeline` }, row.name);
      button.addEventListener('click', () => this.actions.reveal(row));
      nameCell.appendChild(button);
      const start = row.startFunction;
      if (start) {
        const code = el('button', { type: 'button', class: 'link open-code', title: `Open ${start}`, disabled: !this.actions.canOpenFunction(start) }, 'code');
        code.addEventListener('click', () => this.actions.openFunction(start));
        nameCell.appendChild(code);
      }
    }
    tr.appendChild(nameCell);
    for (const column of BREAKDOWN_COLUMNS) {
      const value = row.values[column.key];
      const cell = numberCell(value, column.key === 'count' ? value.toLocaleString('en-US') : durationText(value));
      cell.dataset.column = column.key;
      tr.appendChild(cell);
    }
    return tr;
  }

  private render(): void {
    const head = el('tr', {}, this.header('name', this.nameHeader, 'Sort by name'), ...BREAKDOWN_COLUMNS.map((c) => this.header(c.key, c.label, c.title)));
    const body: HTMLTableRowElement[] = [];
    for (const row of this.sorted(this.rows)) {
      body.push(this.row(row, false));
      if (this.expanded.has(row.key)) for (const child of this.sorted(row.children)) body.push(this.row(child, true));
    }
    if (body.length === 0) body.push(el('tr', {}, el('td', { class: 'muted', colspan: BREAKDOWN_COLUMNS.length + 1 }, 'Nothing in this scope.')));
    replaceChildren(this.element, el('thead', {}, head), el('tbody', {}, ...body));
  }
}
