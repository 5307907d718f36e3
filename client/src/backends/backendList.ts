// The backends `goTraceLens.backends` lists, checked entry by entry: `{name, kind, url}` with a known kind
// and an http(s) URL without credentials (those go in SecretStorage, "Set Backend Credentials…"), names
// unique. Workspace entries count only in a trusted workspace (the setting is restricted), as the capture
// endpoints do; what is left out is said in a problem. Pure: no vscode import; the caller passes what
// `WorkspaceConfiguration.inspect()` returned.

import { BackendSettings } from '../../../common/settings';
import { BACKEND_KINDS, BackendError, backendKindInfo, resolveBackend, type BackendKind, type BackendKindInfo } from '../../../core/backends';

export interface ConfiguredBackend {
  /** Shown in pickers and the `<backend>` part of fetched file names; unique in the list. */
  readonly name: string;
  readonly kind: BackendKind;
  readonly info: BackendKindInfo;
  /** As configured (trimmed). */
  readonly url: string;
  /** The base URL, normalized: the key its credentials are stored under. */
  readonly key: string;
  readonly scope: 'workspace' | 'user';
}

export interface BackendList {
  readonly backends: ConfiguredBackend[];
  /** Entries of workspace settings not used because the workspace is not trusted. */
  readonly ignoredWorkspaceEntries: number;
  /** One sentence per entry left out: which entry, what is wrong, what to write instead. */
  readonly problems: string[];
}

export interface BackendSettingInspection {
  readonly globalValue?: unknown;
  readonly workspaceValue?: unknown;
  readonly workspaceFolderValue?: unknown;
}

const KEY = BackendSettings.backends.key;
const KINDS = BACKEND_KINDS.map((k) => k.kind).join(', ');

function describeEntry(scope: string, index: number, entry: unknown): string {
  const name = typeof (entry as { name?: unknown })?.name === 'string' ? ` "${(entry as { name: string }).name}"` : '';
  return `${KEY} (${scope} settings) entry ${index + 1}${name}`;
}

/** One entry checked: a backend, or why it cannot be used. */
export function checkBackendEntry(entry: unknown, scope: ConfiguredBackend['scope'], index: number): ConfiguredBackend | string {
  const where = describeEntry(scope, index, entry);
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return `${where} is not an object: write {"name": "tempo", "kind": "tempo", "url": "http://localhost:3200"}.`;
  const record = entry as Record<string, unknown>;
  const unknownKeys = Object.keys(record).filter((k) => !['name', 'kind', 'url'].includes(k));
  if (unknownKeys.length > 0) {
    const secretHint = unknownKeys.some((k) => /token|password|secret|auth|header|tenant/i.test(k)) ? ' Credentials and the tenant are set with "Go Trace Lens: Set Backend Credentials…" and kept in secret storage, not in settings.' : '';
    return `${where} has ${unknownKeys.map((k) => `"${k}"`).join(', ')}, which a backend does not take (only name, kind and url).${secretHint}`;
  }
  if (record.name !== undefined && (typeof record.name !== 'string' || record.name.trim() === '')) return `${where}: "name" must be a non-empty string, or left out.`;
  if (typeof record.kind !== 'string') return `${where} has no "kind": one of ${KINDS}.`;
  const info = backendKindInfo(record.kind);
  if (!info) return `${where}: "${record.kind.slice(0, 40)}" is not a backend kind; use one of ${KINDS}.`;
  if (typeof record.url !== 'string' || record.url.trim() === '') return `${where} has no "url": the backend's query API, e.g. ${info.exampleUrl}.`;
  const url = record.url.trim();
  let key: string;
  try {
    const resolved = resolveBackend({ kind: info.kind, url });
    key = resolved.base.href;
  } catch (error) {
    if (error instanceof BackendError) return `${where}: ${error.message}`;
    throw error;
  }
  if (/^[a-z]+:\/\/[^/]*@/i.test(url)) return `${where}: the URL carries a user name or password; remove it and use "Go Trace Lens: Set Backend Credentials…" (kept in secret storage).`;
  const name = typeof record.name === 'string' ? record.name.trim() : info.kind;
  return { name, kind: info.kind, info, url, key, scope };
}

function entriesOf(value: unknown, scope: string, problems: string[]): unknown[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return value;
  problems.push(`${KEY} (${scope} settings) must be a list of {"name", "kind", "url"}; ignored.`);
  return [];
}

/** The backends in effect: workspace entries first (when trusted), then user entries; a name used twice keeps its first. */
export function buildBackendList(inspection: BackendSettingInspection | undefined, trusted: boolean): BackendList {
  const problems: string[] = [];
  const workspace = [...entriesOf(inspection?.workspaceFolderValue, 'folder', problems), ...entriesOf(inspection?.workspaceValue, 'workspace', problems)];
  const user = entriesOf(inspection?.globalValue, 'user', problems);
  const backends: ConfiguredBackend[] = [];
  const take = (entries: unknown[], scope: ConfiguredBackend['scope']): void => {
    entries.forEach((entry, index) => {
      const checked = checkBackendEntry(entry, scope, index);
      if (typeof checked === 'string') return void problems.push(checked);
      if (backends.some((b) => b.name === checked.name)) return void problems.push(`${describeEntry(scope, index, entry)}: another backend is already named "${checked.name}"; give each a different "name".`);
      backends.push(checked);
    });
  };
  if (trusted) take(workspace, 'workspace');
  take(user, 'user');
  return { backends, ignoredWorkspaceEntries: trusted ? 0 : workspace.length, problems };
}

export function traceBackends(list: readonly ConfiguredBackend[]): ConfiguredBackend[] {
  return list.filter((b) => b.info.serves === 'traces');
}

export function profileBackends(list: readonly ConfiguredBackend[]): ConfiguredBackend[] {
  return list.filter((b) => b.info.serves === 'profiles');
}
