// The timeline webview's controller: takes the host's messages, hands trace bytes to the decoding
// worker, shows the decoded trace (an execution trace or a span trace) in the timeline shell or the
// decoder's message when it cannot, relays span details, function searches and source openings, and
// matches a span trace with an execution trace of the same run when the host offers one.

import type { FunctionMatch, FunctionSearchResult, HostToTimeline, TimelineState, TimelineToHost, TimelineViewSettings, TraceFileInfo } from '../../common/timelineProtocol';
import type { SpanDetails } from '../../core/timeline';
import { el, replaceChildren } from '../shared/dom';
import { ExecContent } from './execContent';
import { SpanContent } from './spanContent';
import { TimelineView, type ViewPosition } from './timelineView';
import { TraceWorker, ownBuffer } from './traceWorker';
import type { FromWorker } from './workerProtocol';

const NOT_A_TRACE_CODES = new Set(['invalid-json', 'unknown-span-format', 'not-an-execution-trace']);

function sizeText(bytes: number): string {
  if (bytes >= 1 << 20) return `${(bytes / (1 << 20)).toFixed(1)} MiB`;
  if (bytes >= 1 << 10) return `${(bytes / (1 << 10)).toFixed(1)} KiB`;
  return `${bytes} bytes`;
}

export class TimelineApp {
  private readonly emptyPanel: HTMLElement;
  private readonly emptyMessage: HTMLElement;
  private readonly openAsText: HTMLButtonElement;
  private readonly viewHost: HTMLElement;
  private worker: TraceWorker | null = null;
  private workerStarting: Promise<TraceWorker> | null = null;
  private state: TimelineState;
  private file: TraceFileInfo | null = null;
  private openedAt = 0;
  private view: TimelineView | null = null;
  private content: ExecContent | SpanContent | null = null;
  private pendingCompanion: { file: TraceFileInfo; bytes: Uint8Array } | null = null;
  private settings: TimelineViewSettings = { clockSkewToleranceNs: 1_000_000, matchToleranceNs: 2_000_000 };
  private nextRequest = 1;
  private readonly detailRequests = new Map<number, (details: SpanDetails | null) => void>();
  private readonly functionRequests = new Map<number, (result: FunctionSearchResult) => void>();
  /** The side panel of the content being shown (the view puts it in its side column). */
  private sideTarget: HTMLElement | null = null;

  constructor(
    private readonly root: HTMLElement,
    private readonly scriptUrl: string,
    private readonly post: (message: TimelineToHost) => void,
    private readonly saveState: (state: TimelineState) => void,
    restored: TimelineState | undefined,
  ) {
    this.state = restored && typeof restored === 'object' ? restored : {};
    this.emptyMessage = el('p', { class: 'empty-message', role: 'status' }, 'Waiting for the trace…');
    this.openAsText = el('button', { type: 'button', hidden: true }, 'Open as Text');
    this.openAsText.addEventListener('click', () => this.post({ type: 'openAsText' }));
    this.emptyPanel = el('div', { class: 'empty' }, this.emptyMessage, this.openAsText);
    this.viewHost = el('div', { class: 'view-host', hidden: true });
    root.append(this.emptyPanel, this.viewHost);
  }

  receive(message: HostToTimeline): void {
    switch (message.type) {
      case 'open':
        this.settings = message.settings;
        void this.open(message.file, message.bytes);
        break;
      case 'message':
        this.showMessage(message.message, message.offerOpenAsText);
        break;
      case 'settings':
        this.settings = message.settings;
        break;
      case 'companion':
        this.pendingCompanion = { file: message.file, bytes: message.bytes };
        this.matchCompanion();
        break;
      case 'companionClosed':
        this.pendingCompanion = null;
        if (this.content instanceof SpanContent) this.content.setMatch(null);
        break;
      case 'functions':
        this.functionRequests.get(message.requestId)?.(message.result);
        this.functionRequests.delete(message.requestId);
        break;
      case 'revealTask':
        if (this.content instanceof ExecContent) {
          const task = this.content.taskById(message.taskId);
          if (task >= 0) this.content.revealTask(task);
        }
        break;
    }
  }

  private showMessage(message: string, offerOpenAsText: boolean): void {
    this.emptyMessage.textContent = message;
    this.openAsText.hidden = !offerOpenAsText;
    this.emptyPanel.hidden = false;
    this.viewHost.hidden = true;
  }

  private async ensureWorker(): Promise<TraceWorker> {
    if (this.worker) return this.worker;
    this.workerStarting ??= TraceWorker.start(
      this.scriptUrl,
      (message) => this.fromWorker(message),
      (message) => {
        this.post({ type: 'log', level: 'error', message });
        this.showMessage(message, false);
      },
    );
    this.worker = await this.workerStarting;
    return this.worker;
  }

  private async open(file: TraceFileInfo, bytes: Uint8Array): Promise<void> {
    this.openedAt = performance.now();
    this.file = file;
    this.showMessage(`Decoding ${file.name} (${sizeText(file.sizeBytes)})…`, false);
    let worker: TraceWorker;
    try {
      worker = await this.ensureWorker();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.post({ type: 'failed', code: 'worker-unavailable', message });
      this.showMessage(message, false);
      return;
    }
    let buffer: ArrayBuffer;
    try {
      buffer = ownBuffer(bytes);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.post({ type: 'failed', code: 'bad-message', message });
      this.showMessage(message, false);
      return;
    }
    worker.post({ type: 'decode', bytes: buffer, clockSkewToleranceNs: this.settings.clockSkewToleranceNs }, [buffer]);
  }

  private fromWorker(message: FromWorker): void {
    switch (message.type) {
      case 'failed':
        this.post({ type: 'failed', code: message.code, message: message.message });
        this.showMessage(message.message, NOT_A_TRACE_CODES.has(message.code));
        break;
      case 'execution': {
        this.post({ type: 'metrics', name: 'timeline.decodeMs', value: message.decodeMs });
        const content = new ExecContent(
          message.model,
          this.newSide(),
          {
            openFrame: (f) => this.post({ type: 'openSource', file: f.file, line: f.line, functionName: f.func }),
            saveState: (s) => this.persist(s),
            deriveProfile: (profile, scope, scopeLabel) => this.post({ type: 'traceProfile', profile, ...(scope ? { scope } : {}), scopeLabel }),
          },
          this.state,
        );
        this.show(content, content.toolbarItems, { panel: content.analysis.element, rangeChanged: (range) => content.rangeChanged(range) });
        this.post({ type: 'loaded', kind: 'go-execution-trace', description: content.summary });
        break;
      }
      case 'spans': {
        this.post({ type: 'metrics', name: 'timeline.decodeMs', value: message.decodeMs });
        const content = new SpanContent(
          message.model,
          this.newSide(),
          {
            requestDetails: (span) => this.requestDetails(span),
            findFunctions: (name) => this.findFunctions(name),
            openSource: (file, line, functionName) => this.post({ type: 'openSource', file, line, functionName }),
            openFunction: (match: FunctionMatch) => this.post({ type: 'openFunction', path: match.path, line: match.line }),
            revealTask: (activity, spanName) => this.post({ type: 'revealTask', taskId: activity.taskId, spanName }),
            spanProfile: (request) => this.post({ type: 'spanProfile', request }),
            saveState: (s) => this.persist(s),
          },
          this.state,
        );
        this.show(content, content.toolbarItems);
        this.post({ type: 'loaded', kind: 'spans', description: content.summary });
        this.matchCompanion();
        break;
      }
      case 'details':
        this.detailRequests.get(message.requestId)?.(message.details);
        this.detailRequests.delete(message.requestId);
        break;
      case 'matched':
        if (this.content instanceof SpanContent) this.content.setMatch(message.match);
        break;
      case 'matchFailed':
        this.post({ type: 'log', level: 'warn', message: `Spans were not matched with ${message.fileName}: ${message.message}` });
        break;
    }
  }

  private newSide(): HTMLElement {
    this.sideTarget = el('div', { class: 'content-side' });
    return this.sideTarget;
  }

  private show(
    content: ExecContent | SpanContent,
    toolbarItems: readonly HTMLElement[],
    extras: { panel?: HTMLElement; rangeChanged?: (range: [number, number] | null) => void } = {},
  ): void {
    this.view?.dispose();
    replaceChildren(this.viewHost);
    this.emptyPanel.hidden = true;
    this.viewHost.hidden = false;
    this.content = content;
    const openedAt = this.openedAt;
    const view = new TimelineView(this.viewHost, content, {
      toolbarItems,
      ...extras,
      restored: this.state,
      savePosition: (position: ViewPosition) => this.persist(position),
      motionFigures: (name, figures) => {
        this.post({ type: 'metrics', name: `timeline.${name}.frames`, value: figures.frames });
        this.post({ type: 'metrics', name: `timeline.${name}.drawP95Ms`, value: figures.drawP95Ms });
        this.post({ type: 'metrics', name: `timeline.${name}.drawMaxMs`, value: figures.drawMaxMs });
        this.post({ type: 'metrics', name: `timeline.${name}.gapP95Ms`, value: figures.gapP95Ms });
      },
      firstFrame: (at) => {
        this.post({ type: 'metrics', name: 'timeline.openToFirstFrameMs', value: at - openedAt });
        this.post({ type: 'metrics', name: 'timeline.firstFrameAt', value: at });
      },
    });
    view.side.appendChild(this.sideTarget!);
    this.view = view;
    content.attach(view);
  }

  private persist(partial: Partial<TimelineState>): void {
    this.state = { ...this.state, ...partial };
    this.saveState(this.state);
  }

  private requestDetails(span: number): Promise<SpanDetails | null> {
    const worker = this.worker;
    if (!worker) return Promise.resolve(null);
    const requestId = this.nextRequest++;
    return new Promise((resolve) => {
      this.detailRequests.set(requestId, resolve);
      worker.post({ type: 'details', requestId, span });
    });
  }

  private findFunctions(name: string): Promise<FunctionSearchResult> {
    const requestId = this.nextRequest++;
    return new Promise((resolve) => {
      this.functionRequests.set(requestId, resolve);
      this.post({ type: 'findFunctions', requestId, name });
    });
  }

  private matchCompanion(): void {
    const companion = this.pendingCompanion;
    if (!companion || !(this.content instanceof SpanContent) || !this.worker) return;
    const buffer = ownBuffer(companion.bytes).slice(0);
    this.worker.post({ type: 'match', fileName: companion.file.name, bytes: buffer, toleranceNs: this.settings.matchToleranceNs }, [buffer]);
  }

  /** The shell, for the tests' hooks. */
  get timeline(): TimelineView | null {
    return this.view;
  }

  get traceFile(): TraceFileInfo | null {
    return this.file;
  }
}
