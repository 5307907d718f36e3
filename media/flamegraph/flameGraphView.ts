// The flame graph view: owns the decoded graph, its layout, the zoom, search, orientation and keyboard
// focus, and wires the header, toolbar, canvas and tooltip together. Messages to the host go through the
// `post` it is given; what must survive the panel being hidden is saved through `saveState`.

import type { FlameGraphData, FlameGraphState, FlameGraphToHost, ProfileSummaryView } from '../../common/flameGraphProtocol';
import { createSizedCanvas, type SizedCanvas } from '../shared/canvas';
import { el } from '../shared/dom';
import { watchTheme } from '../shared/theme';
import { FlameColours } from './colours';
import { shareText, valueText } from './format';
import { SummaryHeader } from './header';
import { ROW_HEIGHT, computeLayout, contentHeight, depthAt, nodeAt, rowTop, viewportOf, type FlameLayout, type Orientation, type Viewport } from './layout';
import { decodeFlameModel, fileOf, findByNamePath, heaviestNodeOf, nameOf, namePath, pathTo, type FlameModel } from './model';
import { moveForKey, moveFrom } from './navigation';
import { renderFlameGraph } from './renderer';
import { searchGraph, type SearchResult } from './search';
import { Toolbar } from './toolbar';
import { Tooltip } from '../shared/tooltip';
import { describeFrame, frameSummaryText } from './tooltip';
import { ZoomAnimation, type AnimationFigures } from './zoomAnimation';

const POINTER_HINT = 'Click to zoom · double-click or Ctrl+click to open the source';
const KEYBOARD_HINT = 'Enter zooms · Shift+Enter opens the source · Escape zooms out';

interface Loaded {
  readonly model: FlameModel;
  readonly layout: FlameLayout;
  readonly summary: ProfileSummaryView;
}

export class FlameGraphView {
  private readonly emptyPanel: HTMLElement;
  private readonly emptyMessage: HTMLElement;
  private readonly openAsTextButton: HTMLButtonElement;
  private readonly viewPanel: HTMLElement;
  private readonly header: SummaryHeader;
  private readonly toolbar: Toolbar;
  private readonly graph: HTMLElement;
  private readonly spacer: HTMLElement;
  private readonly notice: HTMLElement;
  private readonly live: HTMLElement;
  private readonly tooltip: Tooltip;
  private readonly canvas: SizedCanvas;
  private readonly animation = new ZoomAnimation();
  private colours = FlameColours.fromTheme();

  private loaded: Loaded | null = null;
  private viewport: Viewport = { start: 0, span: 1 };
  private zoomNode = 0;
  private zoomHistory: number[] = [];
  private orientation: Orientation;
  private searchText: string;
  private search: SearchResult | null = null;
  private focusedNode = -1;
  private revealedNode = -1;
  private hoveredNode = -1;
  private pendingReveal: string | null = null;
  private restoredState: FlameGraphState | undefined;
  private drawScheduled = false;

  constructor(
    root: HTMLElement,
    private readonly post: (message: FlameGraphToHost) => void,
    private readonly saveState: (state: FlameGraphState) => void,
    restored: FlameGraphState | undefined,
  ) {
    this.restoredState = restored;
    this.orientation = restored?.orientation === 'flame' ? 'flame' : 'icicle';
    this.searchText = typeof restored?.search === 'string' ? restored.search : '';

    this.emptyMessage = el('p', { class: 'empty-message' });
    this.openAsTextButton = el('button', { type: 'button', class: 'open-as-text', hidden: true }, 'Open as Text');
    this.openAsTextButton.addEventListener('click', () => this.post({ type: 'openAsText' }));
    this.emptyPanel = el('div', { class: 'empty' }, this.emptyMessage, this.openAsTextButton);
    this.emptyMessage.textContent = 'Waiting for the profile…';

    this.viewPanel = el('div', { class: 'view', hidden: true });
    this.header = new SummaryHeader(this.viewPanel, (name) => this.reveal(name));
    this.toolbar = new Toolbar(this.viewPanel, {
      search: (text) => this.setSearch(text),
      toggleOrientation: () => this.setOrientation(this.orientation === 'icicle' ? 'flame' : 'icicle'),
      resetZoom: () => this.zoomTo(0, { history: 'clear' }),
      switchSampleType: (type) => this.post({ type: 'switchSampleType', sampleType: type }),
      zoomToPathStep: (index) => {
        if (this.loaded) this.zoomTo(pathTo(this.loaded.model, this.zoomNode)[index] ?? 0, { history: 'push' });
      },
    });
    this.toolbar.setOrientation(this.orientation);
    this.toolbar.setSearchText(this.searchText);
    this.notice = el('div', { class: 'notice', role: 'status', hidden: true });
    const canvasHost = el('div', { class: 'canvas-host' });
    this.spacer = el('div', { class: 'spacer' });
    this.graph = el(
      'div',
      { class: 'graph', tabindex: 0, role: 'application', 'aria-label': `Flame graph. Arrow keys move between frames; ${KEYBOARD_HINT}.` },
      canvasHost,
      this.spacer,
    );
    this.live = el('div', { class: 'visually-hidden', role: 'status' });
    this.viewPanel.append(this.notice, this.graph, this.live);
    root.append(this.emptyPanel, this.viewPanel);
    this.tooltip = new Tooltip(document.body);
    this.canvas = createSizedCanvas(canvasHost, () => this.onResize());

    this.graph.addEventListener('scroll', () => this.scheduleDraw());
    this.graph.addEventListener('mousemove', (event) => this.onPointerMove(event));
    this.graph.addEventListener('mouseleave', () => this.setHovered(-1));
    this.graph.addEventListener('click', (event) => this.onClick(event));
    this.graph.addEventListener('dblclick', (event) => this.onDoubleClick(event));
    this.graph.addEventListener('keydown', (event) => this.onKeyDown(event));
    this.graph.addEventListener('focus', () => this.scheduleDraw());
    this.graph.addEventListener('blur', () => {
      this.tooltip.hide();
      this.scheduleDraw();
    });
    document.addEventListener('keydown', (event) => {
      if (event.key === '/' && document.activeElement !== this.toolbar.searchInput && !this.viewPanel.hidden) {
        event.preventDefault();
        this.toolbar.searchInput.focus();
      }
    });
    watchTheme(() => this.onThemeChange());
  }

  // --- Host messages ----------------------------------------------------------------------------------

  load(data: FlameGraphData, summary: ProfileSummaryView): void {
    const received = performance.now();
    let model: FlameModel;
    try {
      model = decodeFlameModel(data);
    } catch (error) {
      this.showEmpty(`The flame graph data could not be read: ${(error as Error).message}. Reopen the profile; if it happens again, report it with the profile file.`, false);
      return;
    }
    const previous = this.loaded;
    const layout = computeLayout(model);
    this.animation.cancel();
    this.loaded = { model, layout, summary };

    // Keep the zoom across reloads (a new sample type, a new filter) by following the same path.
    let zoom = 0;
    if (previous) zoom = findByNamePath(model, namePath(previous.model, this.zoomNode));
    else if (this.restoredState) zoom = this.restoredZoom(model, this.restoredState);
    this.restoredState = undefined;
    this.zoomNode = zoom;
    this.zoomHistory = [];
    this.viewport = viewportOf(layout, zoom);
    this.focusedNode = -1;
    this.revealedNode = -1;
    this.hoveredNode = -1;
    this.tooltip.hide();
    this.runSearch();

    this.header.render(summary);
    this.toolbar.setSampleTypes(summary.sampleTypes.length > 0 ? summary.sampleTypes : [summary.sampleType], summary.sampleType);
    this.toolbar.setDiffLegend(model.diff ? { baseLabel: model.diff.baseLabel, grew: this.colours.grew, shrank: this.colours.shrank, neutral: this.colours.neutral } : null);
    this.toolbar.setZoomPath(this.zoomPathNames());
    this.showNotice(model.total === 0 && !model.diff ? 'This profile has no samples of this type: nothing to draw.' : '');
    this.emptyPanel.hidden = true;
    this.viewPanel.hidden = false;
    this.measureCanvas();
    this.sizeSpacer();
    if (this.orientation === 'flame') this.graph.scrollTop = this.graph.scrollHeight;
    this.draw();
    this.persist();
    requestAnimationFrame(() =>
      setTimeout(() => {
        this.post({ type: 'metrics', name: 'flamegraph.loadToFirstFrameMs', value: performance.now() - received });
        this.post({ type: 'metrics', name: 'flamegraph.firstFrameAt', value: performance.now() });
      }, 0),
    );
    if (this.pendingReveal !== null) {
      const name = this.pendingReveal;
      this.pendingReveal = null;
      this.reveal(name);
    }
  }

  reveal(functionName: string): void {
    if (!this.loaded) {
      this.pendingReveal = functionName;
      return;
    }
    const node = heaviestNodeOf(this.loaded.model, functionName);
    if (node < 0) {
      this.showNotice(`${functionName} has no samples in this flame graph.`);
      return;
    }
    this.showNotice('');
    this.revealedNode = node;
    this.focusedNode = node;
    this.zoomTo(node, { history: 'push', keepReveal: true });
    this.scrollRowIntoView(node);
    this.announce(node);
  }

  showEmpty(message: string, offerOpenAsText: boolean): void {
    this.animation.cancel();
    this.tooltip.hide();
    // What was shown is gone: a `reveal` now waits for the next graph.
    this.loaded = null;
    this.emptyMessage.textContent = message;
    this.openAsTextButton.hidden = !offerOpenAsText;
    this.viewPanel.hidden = true;
    this.emptyPanel.hidden = false;
  }

  // --- Zoom, search, orientation ----------------------------------------------------------------------

  private zoomTo(node: number, options: { history: 'push' | 'none' | 'clear'; keepReveal?: boolean }): void {
    if (!this.loaded) return;
    // A revealed function stays outlined until the user zooms somewhere else.
    if (!options.keepReveal) this.revealedNode = -1;
    if (options.history === 'clear') this.zoomHistory = [];
    else if (options.history === 'push' && node !== this.zoomNode) this.zoomHistory.push(this.zoomNode);
    this.zoomNode = node;
    const target = viewportOf(this.loaded.layout, node);
    this.toolbar.setZoomPath(this.zoomPathNames());
    this.persist();
    this.animation.start(
      this.viewport,
      target,
      (viewport) => {
        this.viewport = viewport;
        this.draw();
      },
      (figures) => this.reportAnimation(figures),
    );
  }

  private zoomOut(): void {
    if (!this.loaded || (this.zoomNode === 0 && this.zoomHistory.length === 0)) return;
    const target = this.zoomHistory.pop() ?? this.loaded.model.parent[this.zoomNode]!;
    this.zoomTo(Math.max(0, target), { history: 'none' });
  }

  private reportAnimation(figures: AnimationFigures): void {
    this.post({ type: 'metrics', name: 'flamegraph.zoomFps', value: figures.fps });
    this.post({ type: 'metrics', name: 'flamegraph.zoomFrames', value: figures.frames });
    this.post({ type: 'metrics', name: 'flamegraph.zoomWorstFrameGapMs', value: figures.worstFrameGapMs });
    this.post({ type: 'metrics', name: 'flamegraph.zoomWorstRenderMs', value: figures.worstRenderMs });
  }

  private zoomPathNames(): string[] {
    if (!this.loaded) return [];
    const { model } = this.loaded;
    return pathTo(model, this.zoomNode).map((n) => nameOf(model, n));
  }

  private restoredZoom(model: FlameModel, state: FlameGraphState): number {
    if (Array.isArray(state.zoomPath)) return findByNamePath(model, state.zoomPath);
    return Number.isInteger(state.zoom) && state.zoom >= 0 && state.zoom < model.nodeCount ? state.zoom : 0;
  }

  private setSearch(text: string): void {
    this.searchText = text;
    this.runSearch();
    this.persist();
    this.scheduleDraw();
  }

  private runSearch(): void {
    if (!this.loaded) return;
    const { model } = this.loaded;
    const outcome = searchGraph(model, this.searchText);
    if (!outcome.ok) {
      this.search = null;
      this.toolbar.setSearchStatus(outcome.message, true);
      return;
    }
    this.search = outcome.result;
    if (!this.search) {
      this.toolbar.setSearchStatus('', false);
      return;
    }
    const { functionCount, matchedTotal } = this.search;
    if (functionCount === 0) {
      this.toolbar.setSearchStatus('No matching functions', false);
      return;
    }
    const unit = model.sampleType.unit;
    let text = `${functionCount} ${functionCount === 1 ? 'function' : 'functions'} · ${valueText(matchedTotal, unit)} · ${shareText(matchedTotal, model.total)} of total`;
    if (model.diff) text += ` (${model.diff.baseLabel}: ${valueText(this.search.matchedBaseTotal, unit)}, ${shareText(this.search.matchedBaseTotal, model.diff.baseTotal)})`;
    this.toolbar.setSearchStatus(text, false);
  }

  private setOrientation(orientation: Orientation): void {
    if (orientation === this.orientation) return;
    // Keep the same rows in view: mirror the scroll position.
    const maxScroll = Math.max(0, this.graph.scrollHeight - this.graph.clientHeight);
    const mirrored = maxScroll - this.graph.scrollTop;
    this.orientation = orientation;
    this.toolbar.setOrientation(orientation);
    this.graph.scrollTop = mirrored;
    this.persist();
    this.draw();
  }

  private persist(): void {
    const zoomPath = this.loaded ? namePath(this.loaded.model, this.zoomNode) : [];
    this.saveState({ orientation: this.orientation, search: this.searchText, zoom: this.zoomNode, zoomPath });
  }

  // --- Drawing ----------------------------------------------------------------------------------------

  private onThemeChange(): void {
    this.colours = FlameColours.fromTheme();
    const model = this.loaded?.model;
    this.toolbar.setDiffLegend(model?.diff ? { baseLabel: model.diff.baseLabel, grew: this.colours.grew, shrank: this.colours.shrank, neutral: this.colours.neutral } : null);
    this.draw();
  }

  private onResize(): void {
    this.sizeSpacer();
    this.draw();
  }

  /** The spacer below the canvas gives the scroll area the graph's full height. */
  private sizeSpacer(): void {
    if (!this.loaded) return;
    const height = contentHeight(this.loaded.model.maxDepth);
    this.spacer.style.height = `${Math.max(0, height - this.graph.clientHeight)}px`;
  }

  /**
   * Sizes the canvas to its host now. The resize observer does this too, but only after layout, and the
   * first frame of a graph that was hidden until this message must not wait for it.
   */
  private measureCanvas(): void {
    const rect = this.canvas.canvas.parentElement!.getBoundingClientRect();
    const width = Math.max(1, Math.floor(rect.width));
    const height = Math.max(1, Math.floor(rect.height));
    if (width === this.canvas.width && height === this.canvas.height) return;
    const ratio = window.devicePixelRatio || 1;
    this.canvas.width = width;
    this.canvas.height = height;
    this.canvas.canvas.width = Math.floor(width * ratio);
    this.canvas.canvas.height = Math.floor(height * ratio);
    this.canvas.context.setTransform(ratio, 0, 0, ratio, 0, 0);
  }

  /** Vertical offset that puts a short flame graph at the bottom of the canvas. */
  private flameOffset(): number {
    if (!this.loaded || this.orientation === 'icicle') return 0;
    return Math.max(0, this.canvas.height - contentHeight(this.loaded.model.maxDepth));
  }

  private scheduleDraw(): void {
    if (this.drawScheduled || this.animation.active) return;
    this.drawScheduled = true;
    requestAnimationFrame(() => {
      this.drawScheduled = false;
      this.draw();
    });
  }

  private draw(): void {
    if (!this.loaded || this.viewPanel.hidden) return;
    const { model, layout } = this.loaded;
    const outlined: number[] = [];
    if (this.revealedNode >= 0) outlined.push(this.revealedNode);
    if (this.focusedNode >= 0 && document.activeElement === this.graph) outlined.push(this.focusedNode);
    renderFlameGraph(this.canvas.context, {
      model,
      layout,
      colours: this.colours,
      viewport: this.viewport,
      orientation: this.orientation,
      scrollTop: this.graph.scrollTop - this.flameOffset(),
      width: this.canvas.width,
      height: this.canvas.height,
      search: this.search,
      outlined,
    });
  }

  // --- Pointer and keyboard ---------------------------------------------------------------------------

  private nodeAtPointer(event: MouseEvent): number {
    if (!this.loaded) return -1;
    const rect = this.canvas.canvas.getBoundingClientRect();
    const x = event.clientX - rect.left;
    const y = event.clientY - rect.top;
    if (x < 0 || y < 0 || x >= rect.width || y >= rect.height) return -1;
    const { model, layout } = this.loaded;
    const depth = depthAt(y + this.graph.scrollTop - this.flameOffset(), this.orientation, model.maxDepth);
    return nodeAt(model, layout, this.viewport, this.canvas.width, x, depth);
  }

  private onPointerMove(event: MouseEvent): void {
    const node = this.nodeAtPointer(event);
    this.graph.classList.toggle('over-frame', node >= 0);
    this.setHovered(node, event.clientX, event.clientY);
  }

  private setHovered(node: number, x = 0, y = 0): void {
    this.hoveredNode = node;
    if (node < 0 || !this.loaded) {
      this.tooltip.hide();
      return;
    }
    this.tooltip.show(describeFrame(this.loaded.model, node), x, y, POINTER_HINT);
  }

  private onClick(event: MouseEvent): void {
    const node = this.nodeAtPointer(event);
    if (node < 0) return;
    this.focusedNode = node;
    if (event.ctrlKey || event.metaKey) {
      this.openSource(node);
      return;
    }
    if (node !== this.zoomNode) this.zoomTo(node, { history: 'push' });
  }

  private onDoubleClick(event: MouseEvent): void {
    const node = this.nodeAtPointer(event);
    if (node >= 0) this.openSource(node);
  }

  private openSource(node: number): void {
    if (!this.loaded || node <= 0) return;
    const { model } = this.loaded;
    const file = fileOf(model, node);
    const functionName = nameOf(model, node);
    if (file === '') {
      this.showNotice(`${functionName} has no source location in this profile.`);
      return;
    }
    this.post({ type: 'openSource', file, line: model.line[node]!, functionName });
  }

  private onKeyDown(event: KeyboardEvent): void {
    if (!this.loaded) return;
    const { model } = this.loaded;
    const current = this.focusedNode >= 0 ? this.focusedNode : this.zoomNode;
    const move = moveForKey(event.key, this.orientation);
    if (move) {
      event.preventDefault();
      this.focusFrame(moveFrom(model, current, move));
      return;
    }
    switch (event.key) {
      case 'Enter':
      case ' ':
        event.preventDefault();
        if (event.shiftKey || event.ctrlKey || event.metaKey) this.openSource(current);
        else if (current !== this.zoomNode) this.zoomTo(current, { history: 'push' });
        return;
      case 'Escape':
      case 'Backspace':
        event.preventDefault();
        this.zoomOut();
        return;
      case 'Home':
        event.preventDefault();
        this.zoomTo(0, { history: 'clear' });
        return;
    }
  }

  private focusFrame(node: number): void {
    if (!this.loaded) return;
    const { layout } = this.loaded;
    this.focusedNode = node;
    // A frame outside the window, or too narrow to see, brings the zoom to it.
    const left = (layout.x[node]! - this.viewport.start) / this.viewport.span;
    const right = (layout.x[node]! + layout.width[node]! - this.viewport.start) / this.viewport.span;
    const pixels = (right - left) * this.canvas.width;
    if (right <= 0 || left >= 1 || pixels < 2) this.zoomTo(node, { history: 'push' });
    this.scrollRowIntoView(node);
    this.announce(node);
    this.showFocusTooltip(node);
    this.scheduleDraw();
  }

  private showFocusTooltip(node: number): void {
    if (!this.loaded) return;
    const { model, layout } = this.loaded;
    const rect = this.canvas.canvas.getBoundingClientRect();
    const target = viewportOf(layout, this.zoomNode);
    const viewport = this.animation.active ? target : this.viewport;
    const left = Math.max(0, ((layout.x[node]! - viewport.start) / viewport.span) * this.canvas.width);
    const y = rowTop(model.depth[node]!, this.orientation, model.maxDepth) - this.graph.scrollTop + this.flameOffset();
    this.tooltip.show(describeFrame(model, node), rect.left + left, rect.top + y, KEYBOARD_HINT);
  }

  private scrollRowIntoView(node: number): void {
    if (!this.loaded) return;
    const { model } = this.loaded;
    const top = rowTop(model.depth[node]!, this.orientation, model.maxDepth) + this.flameOffset();
    const view = this.graph.clientHeight;
    if (top < this.graph.scrollTop) this.graph.scrollTop = top;
    else if (top + ROW_HEIGHT > this.graph.scrollTop + view) this.graph.scrollTop = top + ROW_HEIGHT - view;
  }

  private announce(node: number): void {
    if (!this.loaded) return;
    this.live.textContent = frameSummaryText(describeFrame(this.loaded.model, node));
  }

  private showNotice(text: string): void {
    this.notice.textContent = text;
    this.notice.hidden = text === '';
  }
}
