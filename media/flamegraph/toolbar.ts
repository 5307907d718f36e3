// The toolbar above the canvas: the search box and what it matched, the sample-type selector, the
// icicle/flame toggle, reset zoom, the diff legend, and the zoom path (each step a button back to it).

import type { ValueTypeView } from '../../common/flameGraphProtocol';
import { el, replaceChildren } from '../shared/dom';
import type { Orientation } from './layout';

export interface ToolbarActions {
  search(text: string): void;
  toggleOrientation(): void;
  resetZoom(): void;
  switchSampleType(type: string): void;
  /** Zoom to the `index`-th step of the zoom path (0 = the root). */
  zoomToPathStep(index: number): void;
}

const SEARCH_DELAY_MS = 120;

export class Toolbar {
  readonly element: HTMLElement;
  readonly searchInput: HTMLInputElement;
  private readonly searchStatus: HTMLSpanElement;
  private readonly sampleTypeSelect: HTMLSelectElement;
  private readonly orientationButton: HTMLButtonElement;
  private readonly legend: HTMLDivElement;
  private readonly breadcrumb: HTMLElement;
  private searchTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(parent: HTMLElement, actions: ToolbarActions) {
    this.searchInput = el('input', { type: 'search', class: 'search', placeholder: 'Search functions (text or /regex/)', 'aria-label': 'Search functions', spellcheck: 'false' });
    this.searchStatus = el('span', { class: 'search-status', role: 'status' });
    this.sampleTypeSelect = el('select', { class: 'sample-type', 'aria-label': 'Sample type' });
    this.orientationButton = el('button', { type: 'button', class: 'orientation', 'aria-pressed': 'false', title: 'Flame graph: the root at the bottom (off: an icicle, the root at the top)' }, 'Flame');
    const resetButton = el('button', { type: 'button', class: 'reset-zoom', title: 'Show the whole graph (Escape zooms out one step)' }, 'Reset zoom');
    this.legend = el('div', { class: 'legend', hidden: true });
    this.breadcrumb = el('nav', { class: 'breadcrumb', 'aria-label': 'Zoom path' });
    this.element = el(
      'div',
      { class: 'toolbar', role: 'toolbar', 'aria-label': 'Flame graph' },
      el('div', { class: 'toolbar-row' }, this.searchInput, this.searchStatus, el('label', { class: 'sample-type-label' }, 'Sample type ', this.sampleTypeSelect), this.orientationButton, resetButton, this.legend),
      this.breadcrumb,
    );
    parent.appendChild(this.element);

    this.searchInput.addEventListener('input', () => {
      clearTimeout(this.searchTimer);
      this.searchTimer = setTimeout(() => actions.search(this.searchInput.value), SEARCH_DELAY_MS);
    });
    this.searchInput.addEventListener('keydown', (event) => {
      if (event.key === 'Enter') {
        clearTimeout(this.searchTimer);
        actions.search(this.searchInput.value);
      } else if (event.key === 'Escape' && this.searchInput.value !== '') {
        event.stopPropagation();
        clearTimeout(this.searchTimer);
        this.searchInput.value = '';
        actions.search('');
      }
    });
    this.sampleTypeSelect.addEventListener('change', () => actions.switchSampleType(this.sampleTypeSelect.value));
    this.orientationButton.addEventListener('click', () => actions.toggleOrientation());
    resetButton.addEventListener('click', () => actions.resetZoom());
    this.breadcrumb.addEventListener('click', (event) => {
      const target = (event.target as HTMLElement).closest('button');
      const index = target?.getAttribute('data-index');
      if (index !== null && index !== undefined) actions.zoomToPathStep(Number(index));
    });
  }

  setSampleTypes(types: readonly ValueTypeView[], current: ValueTypeView): void {
    replaceChildren(this.sampleTypeSelect, ...types.map((t) => el('option', { value: t.type }, `${t.type} (${t.unit})`)));
    this.sampleTypeSelect.value = current.type;
    this.sampleTypeSelect.disabled = types.length < 2;
  }

  /** The toggle is pressed for a flame graph (root at the bottom), released for an icicle. */
  setOrientation(orientation: Orientation): void {
    this.orientationButton.setAttribute('aria-pressed', String(orientation === 'flame'));
  }

  setSearchText(text: string): void {
    this.searchInput.value = text;
  }

  setSearchStatus(text: string, isError: boolean): void {
    this.searchStatus.textContent = text;
    this.searchStatus.classList.toggle('error', isError);
  }

  /** The diff legend (null hides it): swatches in the canvas's colours. */
  setDiffLegend(legend: { baseLabel: string; grew: string; shrank: string; neutral: string } | null): void {
    this.legend.hidden = legend === null;
    if (!legend) return;
    const swatch = (colour: string) => {
      const s = el('span', { class: 'swatch' });
      s.style.backgroundColor = colour;
      return s;
    };
    replaceChildren(
      this.legend,
      el('span', { class: 'legend-item' }, swatch(legend.grew), 'grew'),
      el('span', { class: 'legend-item' }, swatch(legend.shrank), 'shrank'),
      el('span', { class: 'legend-item' }, swatch(legend.neutral), 'unchanged'),
      el('span', { class: 'legend-note' }, `vs ${legend.baseLabel}; width is the larger of the two`),
    );
  }

  /** The zoom path, root first; the last step is where the graph is zoomed. */
  setZoomPath(names: readonly string[]): void {
    replaceChildren(
      this.breadcrumb,
      ...names.flatMap((name, index) => [
        index > 0 ? el('span', { class: 'separator' }, '›') : null,
        index === names.length - 1 ? el('span', { class: 'current', 'aria-label': `Zoomed into ${name}` }, name) : el('button', { type: 'button', class: 'link', 'data-index': index }, name),
      ]),
    );
  }
}
