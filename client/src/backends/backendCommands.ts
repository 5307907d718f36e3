// The backends feature's commands: "Open Trace by ID…", "Search Traces…", "Open Profile from Backend…",
// "Compare Backend Profile with an Earlier Range…" and "Set Backend Credentials…". Each request runs
// through the backends core (core/backends, Node's http(s)) with progress and a Cancel button; what is
// fetched is saved whole into the captures folder and handed to the timeline or the Profile feature as
// a capture is. A failure shows the core's message with the buttons that fix it (errors stay in the log).

import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import * as vscode from 'vscode';
import { BackendCommands } from '../../../common/ids';
import { CountSpanProblemsRequest } from '../../../common/backendProtocol';
import { BackendSettings, TimelineSettings } from '../../../common/settings';
import { formatSelector, isBackendError, normalizeTraceId, parseDuration, parseTimeRange, type BackendSource, type FetchedProfile, type ProfileTypeInfo, type TimeRange } from '../../../core/backends';
import { fetchProfile, fetchTrace, listProfileLabelValues, listProfileTypes, listTraceServices, searchTraceSpans, type BackendProgress, type TransportOptions } from '../../../core/backends/index.node';
import { formatBytes, type SavedKindId } from '../../../core/capture';
import type { CapturesFolderApi } from '../capture';
import { compareSavedCaptures, openSavedCapture, type CaptureDestinations, type SavedFile } from '../capture/openCapture';
import type { Config } from '../config';
import { send, type MessageClient } from '../lspMessages';
import { BACKEND_ERROR_ACTION_LABELS, backendErrorActions } from './backendErrorActions';
import { buildBackendList, profileBackends, traceBackends, type ConfiguredBackend } from './backendList';
import { promptForBackendCredentials, type BackendSecretStore } from './backendCredentialsUi';
import { backendSource } from './backendSecrets';
import { RANGE_CHOICES, describeRange, earlierRanges, saveFetchedFile, savedKindOfProfile } from './fetchedFiles';
import { parseTagText } from './searchItems';
import { pickSearchedTrace } from './searchResultsPick';
import { traceIdInWord } from './traceIdText';

/** What `openTrace` takes from a link or hover: the ID, and the backend's name when it is known. */
export interface OpenTraceArgs {
  readonly traceId?: string;
  readonly backend?: string;
}

interface OpenedProfile {
  readonly backend: ConfiguredBackend;
  readonly service: string;
  readonly type: ProfileTypeInfo;
  readonly range: TimeRange;
  readonly file: SavedFile;
}

export interface BackendCommandsDeps {
  readonly output: vscode.LogOutputChannel;
  readonly config: Config;
  readonly secrets: BackendSecretStore;
  readonly destinations: CaptureDestinations;
  readonly captures: CapturesFolderApi | undefined;
  /** The language server, which counts the broken chains of searched traces. */
  readonly client: MessageClient;
}

type Operation<T> = (source: BackendSource, options: TransportOptions) => Promise<T>;

/** The message of the BackendError `check` throws, for an input box's validation; undefined when it passes. */
function problemOf(check: () => unknown): string | undefined {
  try {
    check();
    return undefined;
  } catch (error) {
    if (isBackendError(error)) return error.message;
    throw error;
  }
}

export class BackendCommandRunner {
  private readonly logged = new Set<string>();
  private lastProfile: OpenedProfile | undefined;

  constructor(private readonly deps: BackendCommandsDeps) {}

  /** The configured backends; problems and ignored workspace entries are logged once each. */
  backends(): ConfiguredBackend[] {
    const list = buildBackendList(this.deps.config.inspect(BackendSettings.backends), this.deps.config.trusted);
    const notes = [...list.problems];
    if (list.ignoredWorkspaceEntries > 0) notes.push(`${BackendSettings.backends.key}: ${list.ignoredWorkspaceEntries} entr${list.ignoredWorkspaceEntries === 1 ? 'y' : 'ies'} of the workspace settings ignored: the workspace is not trusted (trust it to use them, or put them in user settings).`);
    for (const note of notes) {
      if (this.logged.has(note)) continue;
      this.logged.add(note);
      this.deps.output.warn(note);
    }
    return list.backends;
  }

  private async pickBackend(serves: 'traces' | 'profiles', preferred?: string): Promise<ConfiguredBackend | undefined> {
    const all = this.backends();
    const candidates = serves === 'traces' ? traceBackends(all) : profileBackends(all);
    const named = preferred !== undefined ? candidates.find((b) => b.name === preferred) : undefined;
    if (named) return named;
    if (candidates.length === 1) return candidates[0];
    if (candidates.length === 0) {
      const kinds = serves === 'traces' ? 'jaeger, tempo or zipkin' : 'pyroscope or parca';
      const message = `No ${serves === 'traces' ? 'trace' : 'profile'} backend is configured: add one to ${BackendSettings.backends.key}, e.g. {"name": "${serves === 'traces' ? 'tempo' : 'pyroscope'}", "kind": "${serves === 'traces' ? 'tempo' : 'pyroscope'}", "url": "${serves === 'traces' ? 'http://localhost:3200' : 'http://localhost:4040'}"} (kind ${kinds}).`;
      this.deps.output.warn(message);
      void vscode.window.showWarningMessage(message, 'Open Settings').then((c) => c && this.openSettings());
      return undefined;
    }
    const picked = await vscode.window.showQuickPick(
      candidates.map((b) => ({ label: b.name, description: `${b.info.label} · ${b.key.replace(/\/$/, '')}`, backend: b })),
      { title: serves === 'traces' ? 'Which trace backend?' : 'Which profile backend?', ignoreFocusOut: true },
    );
    return picked?.backend;
  }

  private openSettings(): void {
    void vscode.commands.executeCommand('workbench.action.openSettings', BackendSettings.backends.key);
  }

  /**
   * Runs one request with progress and Cancel; on failure shows the error with its buttons and, when the
   * user fixes the cause ("Set Backend Credentials…", "Retry"), runs it again. Undefined when it did not succeed.
   */
  private async run<T>(backend: ConfiguredBackend, title: string, operation: Operation<T>): Promise<T | undefined> {
    for (;;) {
      const source = backendSource(backend, await this.deps.secrets.get(backend));
      try {
        return await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
          const controller = new AbortController();
          const subscription = token.onCancellationRequested(() => controller.abort());
          let reported = 0;
          try {
            return await operation(source, {
              signal: controller.signal,
              log: (line) => this.deps.output.info(`  ${line}`),
              onProgress: (p: BackendProgress) => {
                const share = p.expectedBytes ? Math.min(100, (p.bytes / p.expectedBytes) * 100) : undefined;
                const increment = share !== undefined ? Math.max(0, share - reported) : undefined;
                if (share !== undefined) reported = share;
                progress.report({ message: `${p.what}: ${formatBytes(p.bytes)}${p.expectedBytes ? ` of ${formatBytes(p.expectedBytes)}` : ''}`, ...(increment !== undefined ? { increment } : {}) });
              },
            });
          } finally {
            subscription.dispose();
          }
        });
      } catch (error) {
        if (!isBackendError(error)) throw error;
        if (error.code === 'cancelled') {
          this.deps.output.info(`Cancelled: ${title}; nothing was saved.`);
          return undefined;
        }
        this.deps.output.error(`${title} failed (${error.code}): ${error.message}`);
        const actions = backendErrorActions(error.code);
        const chosen = await vscode.window.showErrorMessage(error.message, ...actions.map((a) => BACKEND_ERROR_ACTION_LABELS[a]));
        const action = actions.find((a) => BACKEND_ERROR_ACTION_LABELS[a] === chosen);
        if (action === 'set-credentials') {
          if (await promptForBackendCredentials(this.deps.secrets, backend, this.deps.output)) continue;
          return undefined;
        }
        if (action === 'retry') continue;
        if (action === 'open-settings') this.openSettings();
        if (action === 'show-output') this.deps.output.show(true);
        return undefined;
      }
    }
  }

  private captureFolder(): string | undefined {
    const folder = this.deps.captures?.folder().folder;
    if (!folder) {
      const message = 'Fetched traces and profiles are saved in the captures folder, but the capture feature did not register; see the output.';
      this.deps.output.error(message);
      void vscode.window.showErrorMessage(message, 'Show Output').then((c) => c && this.deps.output.show(true));
    }
    return folder;
  }

  private async save(backend: ConfiguredBackend, kind: SavedKindId, extension: 'json' | 'pb.gz', data: Uint8Array | string): Promise<string | undefined> {
    const folder = this.captureFolder();
    if (!folder) return undefined;
    try {
      return await saveFetchedFile(folder, { backendName: backend.name, kind, extension, data, time: new Date() });
    } catch (error) {
      const message = (error as Error).message;
      this.deps.output.error(message);
      void vscode.window.showErrorMessage(message);
      return undefined;
    }
  }

  private revealer(): { reveal(path: string): Promise<void>; log: vscode.LogOutputChannel } {
    return { reveal: (path) => this.deps.captures?.reveal(path) ?? Promise.resolve(), log: this.deps.output };
  }

  /** The trace ID in the active editor's selection, or the word under its cursor, when it is 16 or 32 hex digits. */
  private traceIdInEditor(): string | undefined {
    const editor = vscode.window.activeTextEditor;
    if (!editor) return undefined;
    const selected = editor.document.getText(editor.selection);
    if (selected !== '') return traceIdInWord(selected);
    const range = editor.document.getWordRangeAtPosition(editor.selection.active, /[0-9A-Fa-f]+/);
    return range ? traceIdInWord(editor.document.getText(range)) : undefined;
  }

  async openTrace(args?: OpenTraceArgs): Promise<void> {
    const backend = await this.pickBackend('traces', args?.backend);
    if (!backend) return;
    let traceId = args?.traceId;
    if (traceId === undefined) {
      traceId = await vscode.window.showInputBox({
        title: `Open a trace from ${backend.name}`,
        prompt: '32 hex digits (16 for 64-bit IDs), a traceparent header, or base64.',
        value: this.traceIdInEditor() ?? '',
        ignoreFocusOut: true,
        validateInput: (text) => problemOf(() => normalizeTraceId(text)),
      });
      if (traceId === undefined) return;
    }
    await this.fetchAndOpenTrace(backend, traceId);
  }

  private async fetchAndOpenTrace(backend: ConfiguredBackend, traceId: string): Promise<void> {
    const trace = await this.run(backend, `Fetching trace ${traceId.trim()} from ${backend.name}`, (source, options) => fetchTrace(source, traceId, options));
    if (!trace) return;
    const path = await this.save(backend, backend.kind, 'json', trace.text);
    if (!path) return;
    this.deps.output.info(`Saved trace ${trace.traceId} (${trace.spanCount} spans, ${formatBytes(trace.bytes)} from ${trace.url}) as ${path}.`);
    if (trace.partial) {
      this.deps.output.warn(`${backend.name} returned part of trace ${trace.traceId} only: ${trace.partial}`);
      void vscode.window.showWarningMessage(`${backend.name} returned part of trace ${trace.traceId} only: ${trace.partial}`);
    }
    await openSavedCapture({ path, type: 'trace', kind: backend.kind }, this.deps.destinations, this.revealer(), { explicit: true });
  }

  private async pickRange(title: string): Promise<TimeRange | undefined> {
    const picked = await vscode.window.showQuickPick(RANGE_CHOICES.map((c) => ({ label: c.label, choice: c })), { title, ignoreFocusOut: true });
    if (!picked) return undefined;
    if (picked.choice.since !== undefined) return parseTimeRange({ since: picked.choice.since });
    const read = (text: string): TimeRange => {
      const parts = text.trim().split(/\s+/);
      return parts.length === 2 ? parseTimeRange({ from: parts[0]!, to: parts[1]! }) : parseTimeRange({ since: text.trim() });
    };
    const typed = await vscode.window.showInputBox({
      title,
      prompt: 'A look-back duration (90m, 2d) or a start and an end, RFC 3339 or Unix seconds: 2026-08-21T10:00:00Z 2026-08-21T11:00:00Z',
      ignoreFocusOut: true,
      validateInput: (text) => problemOf(() => read(text)),
    });
    return typed === undefined ? undefined : read(typed);
  }

  async searchTraces(): Promise<void> {
    const backend = await this.pickBackend('traces');
    if (!backend) return;
    const services = await this.run(backend, `Listing the services of ${backend.name}`, (source, options) => listTraceServices(source, options));
    if (!services) return;
    const service = services.length > 0
      ? (await vscode.window.showQuickPick(services.sort(), { title: `Search traces in ${backend.name}: which service?`, ignoreFocusOut: true }))
      : await vscode.window.showInputBox({ title: `Search traces in ${backend.name}: which service?`, prompt: `${backend.name} lists no services; type one.`, ignoreFocusOut: true, validateInput: (t) => (t.trim() === '' ? 'Type a service name.' : undefined) });
    if (!service) return;
    const operation = await vscode.window.showInputBox({ title: `Traces of ${service}: operation (span name)`, prompt: 'Only traces with a span of this name; empty for any.', ignoreFocusOut: true });
    if (operation === undefined) return;
    const tagText = await vscode.window.showInputBox({ title: `Traces of ${service}: tags`, prompt: 'Only traces with a span that has all these key=value tags, e.g. http.status_code=500 error=true; empty for none.', ignoreFocusOut: true, validateInput: (t) => (typeof parseTagText(t) === 'string' ? (parseTagText(t) as string) : undefined) });
    if (tagText === undefined) return;
    const minText = await vscode.window.showInputBox({
      title: `Traces of ${service}: minimum duration`,
      prompt: 'Only traces with a span at least this long (100ms, 1.5s); empty for any.',
      ignoreFocusOut: true,
      validateInput: (t) => (t.trim() === '' ? undefined : problemOf(() => parseDuration(t, 'minimum duration'))),
    });
    if (minText === undefined) return;
    const range = await this.pickRange(`Traces of ${service}: when?`);
    if (!range) return;
    const query = {
      service,
      ...(operation.trim() !== '' ? { operation: operation.trim() } : {}),
      tags: parseTagText(tagText) as Record<string, string>,
      ...(minText.trim() !== '' ? { minDurationNs: parseDuration(minText, 'minimum duration') } : {}),
      range,
    };
    const result = await this.run(backend, `Searching traces of ${service} in ${backend.name}`, (source, options) => searchTraceSpans(source, query, options));
    if (!result) return;
    const traces = result.summaries;
    if (traces.length === 0) {
      void vscode.window.showInformationMessage(`No traces of ${service} match in ${describeRange(range)}.`);
      return;
    }
    // Tempo's traces are fetched for their broken chains with the credentials the search went with.
    const source = backendSource(backend, await this.deps.secrets.get(backend));
    const clockSkewToleranceNs = Math.round(this.deps.config.get(TimelineSettings.clockSkewToleranceMs) * 1e6);
    const title = `${traces.length} trace${traces.length === 1 ? '' : 's'} of ${service} in ${backend.name} (${describeRange(range)})`;
    const picked = await pickSearchedTrace(title, result, {
      fetch: (traceId, signal) => fetchTrace(source, traceId, { signal }),
      count: (text, traceId) => send(this.deps.client, CountSpanProblemsRequest, { text, traceId, clockSkewToleranceNs }),
    }, this.deps.output);
    if (picked) await this.fetchAndOpenTrace(backend, picked);
  }

  async openProfile(): Promise<void> {
    const backend = await this.pickBackend('profiles');
    if (!backend) return;
    const range = await this.pickRange(`Profile from ${backend.name}: which time range?`);
    if (!range) return;
    const services = await this.run(backend, `Listing the services of ${backend.name}`, (source, options) => listProfileLabelValues(source, 'service_name', range, options));
    if (!services) return;
    if (services.length === 0) {
      void vscode.window.showWarningMessage(`${backend.name} has no profiles (no service_name values) in ${describeRange(range)}: widen the time range.`);
      return;
    }
    const service = await vscode.window.showQuickPick(services, { title: `Profile from ${backend.name}: which service?`, ignoreFocusOut: true });
    if (!service) return;
    const selector = formatSelector([{ name: 'service_name', op: '=', value: service }]);
    const types = await this.run(backend, `Listing the profile types of ${backend.name}`, (source, options) => listProfileTypes(source, range, options));
    if (!types) return;
    if (types.length === 0) {
      void vscode.window.showWarningMessage(`${backend.name} lists no profile types in ${describeRange(range)}: widen the time range.`);
      return;
    }
    const ordered = [...types].sort((a, b) => Number(b.sampleType === 'cpu') - Number(a.sampleType === 'cpu'));
    const type = types.length === 1 ? types[0]! : (await vscode.window.showQuickPick(ordered.map((t) => ({ label: `${t.name}: ${t.sampleType}`, description: t.id, type: t })), { title: `Profile of ${service}: which type?`, ignoreFocusOut: true }))?.type;
    if (!type) return;
    const opened = await this.fetchProfileFile(backend, service, selector, type, range);
    if (!opened) return;
    await openSavedCapture(opened.file, this.deps.destinations, this.revealer(), { explicit: true });
    this.lastProfile = opened;
    const compare = 'Compare with an Earlier Range…';
    void vscode.window.showInformationMessage(`Opened the ${type.sampleType} profile of ${service} from ${backend.name} (${describeRange(range)}).`, compare).then((c) => c && vscode.commands.executeCommand(BackendCommands.compareEarlier));
  }

  private async fetchProfileFile(backend: ConfiguredBackend, service: string, selector: string, type: ProfileTypeInfo, range: TimeRange): Promise<OpenedProfile | undefined> {
    const fetched: FetchedProfile | undefined = await this.run(backend, `Fetching the ${type.sampleType} profile of ${service} from ${backend.name}`, (source, options) => fetchProfile(source, { type: type.id, selector, range }, options));
    if (!fetched) return undefined;
    const gzipped = fetched.gzipped ? fetched.bytes : await promisify(gzip)(fetched.bytes);
    const kind = savedKindOfProfile(backend.kind, fetched.type);
    const path = await this.save(backend, kind, 'pb.gz', gzipped);
    if (!path) return undefined;
    this.deps.output.info(`Saved the merged ${fetched.type.id} profile of ${selector} (${describeRange(range)}, ${formatBytes(gzipped.length)} from ${fetched.url}) as ${path}.`);
    return { backend, service, type: fetched.type, range, file: { path, type: 'pprof', kind } };
  }

  async compareEarlier(): Promise<void> {
    const last = this.lastProfile;
    if (!last) {
      void vscode.window.showInformationMessage('Open a profile from a backend first ("Go Trace Lens: Open Profile from Backend…"); then compare it with an earlier range.', 'Open Profile from Backend…').then((c) => c && vscode.commands.executeCommand(BackendCommands.openProfile));
      return;
    }
    const picked = await vscode.window.showQuickPick(earlierRanges(last.range).map((r) => ({ label: r.label, description: describeRange(r.range), range: r.range })), { title: `Compare the ${last.type.sampleType} profile of ${last.service} with…`, ignoreFocusOut: true });
    if (!picked) return;
    const selector = formatSelector([{ name: 'service_name', op: '=', value: last.service }]);
    const base = await this.fetchProfileFile(last.backend, last.service, selector, last.type, picked.range);
    if (!base) return;
    await compareSavedCaptures(last.file, base.file, this.deps.destinations, this.revealer());
  }

  async setCredentials(name?: unknown): Promise<void> {
    const all = this.backends();
    if (all.length === 0) {
      await this.pickBackend('traces');
      return;
    }
    const named = typeof name === 'string' ? all.find((b) => b.name === name) : undefined;
    const backend = named ?? (all.length === 1 ? all[0] : (await vscode.window.showQuickPick(all.map((b) => ({ label: b.name, description: `${b.info.label} · ${b.key.replace(/\/$/, '')}`, backend: b })), { title: 'Set credentials of which backend?', ignoreFocusOut: true }))?.backend);
    if (backend) await promptForBackendCredentials(this.deps.secrets, backend, this.deps.output);
  }
}
