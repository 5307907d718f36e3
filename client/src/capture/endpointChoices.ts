// The endpoints a capture can be taken from, as the endpoint picker lists them: the last one used first,
// then `goTraceLens.endpoints` from workspace settings (only in a trusted workspace) and from user
// settings, then the default `http://localhost:6060/debug/pprof`. Also reads what a user types into the
// picker as an endpoint, finds an endpoint named in a command's arguments, and adds one to the setting.
// Pure: no vscode import; the caller passes what `WorkspaceConfiguration.inspect()` returned.

import { CaptureSettings } from '../../../common/settings';
import { CaptureError, checkHeaders, DEFAULT_ENDPOINT_URL, defaultEndpointName, parseEndpointUrl, isLoopbackHost, isSensitiveHeader, redactUrl } from '../../../core/capture';

/** Where an endpoint in the picker comes from. */
export type EndpointSource = 'workspace' | 'user' | 'default' | 'recent' | 'typed' | 'discovered';

export interface EndpointChoice {
  /** Shown in the picker and progress, and the `<endpoint>` part of capture file names. */
  readonly name: string;
  /** The URL as configured or typed (it may carry user info, which the capture core turns into a header). */
  readonly url: string;
  /** The pprof base URL without user info: the endpoint's identity (credentials, last used, duplicates). */
  readonly key: string;
  /** The URL for display: no user info, sensitive query values masked. */
  readonly displayUrl: string;
  /** Extra request headers from the setting. */
  readonly headers: Readonly<Record<string, string>>;
  readonly source: EndpointSource;
  /** The host name (no port), for the first-capture confirmation of hosts other than this machine. */
  readonly host: string;
  readonly loopback: boolean;
}

/** One entry of `goTraceLens.endpoints` as saved in settings. */
export interface EndpointSettingEntry {
  readonly name?: string;
  readonly url: string;
  readonly headers?: Record<string, string>;
}

/** The parts of `inspect('endpoints')` this module reads. */
export interface EndpointSettingInspection {
  readonly globalValue?: unknown;
  readonly workspaceValue?: unknown;
  readonly workspaceFolderValue?: unknown;
}

/** What the picker remembers of the last endpoint used (never user info or headers). */
export interface RecentEndpoint {
  readonly key: string;
  readonly name: string;
  readonly source: EndpointSource;
}

export interface EndpointSettingProblem {
  readonly severity: 'error' | 'warning';
  /** A sentence naming the entry and what to do; never contains a header value or password. */
  readonly message: string;
}

export interface EndpointList {
  readonly choices: EndpointChoice[];
  /** Entries of workspace settings not offered because the workspace is not trusted. */
  readonly ignoredWorkspaceEntries: number;
  readonly problems: EndpointSettingProblem[];
}

/** An endpoint from a URL; throws a `bad-url` or `bad-header` CaptureError. */
export function endpointChoice(url: string, source: EndpointSource, options: { name?: string; headers?: Readonly<Record<string, string>> } = {}): EndpointChoice {
  const parsed = parseEndpointUrl(url);
  const headers = { ...(options.headers ?? {}) };
  checkHeaders(headers);
  const name = options.name?.trim() || defaultEndpointName(parsed.base);
  return {
    name,
    url: url.trim(),
    key: parsed.base.href,
    displayUrl: redactUrl(parsed.base),
    headers,
    source,
    host: parsed.base.hostname.replace(/^\[|\]$/g, '').toLowerCase(),
    loopback: isLoopbackHost(parsed.base.hostname),
  };
}

/** The identity of an endpoint URL (its pprof base without user info), or undefined when it is not one. */
export function endpointKey(url: string): string | undefined {
  try {
    return parseEndpointUrl(url).base.href;
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const SOURCE_WORDS: Record<'workspace' | 'user', string> = { workspace: 'workspace settings', user: 'user settings' };

/** The valid endpoints of one settings level, with a problem for every entry that cannot be used. */
export function parseEndpointSettings(value: unknown, source: 'workspace' | 'user'): { choices: EndpointChoice[]; problems: EndpointSettingProblem[] } {
  const choices: EndpointChoice[] = [];
  const problems: EndpointSettingProblem[] = [];
  if (value === undefined || value === null) return { choices, problems };
  const where = `${CaptureSettings.endpoints.key} in ${SOURCE_WORDS[source]}`;
  if (!Array.isArray(value)) {
    problems.push({ severity: 'error', message: `${where} must be a list of {"name", "url"} entries; it is ignored.` });
    return { choices, problems };
  }
  value.forEach((entry: unknown, index) => {
    const label = `entry ${index + 1} of ${where}`;
    if (typeof entry === 'string') entry = { url: entry };
    if (!isRecord(entry) || typeof entry.url !== 'string') {
      problems.push({ severity: 'error', message: `${label} has no "url" (e.g. "${DEFAULT_ENDPOINT_URL}"); it is not offered.` });
      return;
    }
    if (entry.name !== undefined && typeof entry.name !== 'string') {
      problems.push({ severity: 'error', message: `${label}: "name" must be text; the entry is not offered.` });
      return;
    }
    let headers: Record<string, string> = {};
    if (entry.headers !== undefined) {
      if (!isRecord(entry.headers) || !Object.values(entry.headers).every((v) => typeof v === 'string')) {
        problems.push({ severity: 'error', message: `${label}: "headers" must map header names to text values; the entry is not offered.` });
        return;
      }
      headers = entry.headers as Record<string, string>;
    }
    let choice: EndpointChoice;
    try {
      choice = endpointChoice(entry.url, source, { ...(entry.name !== undefined ? { name: entry.name } : {}), headers });
    } catch (error) {
      const why = error instanceof CaptureError ? error.message : String(error);
      problems.push({ severity: 'error', message: `${label} is not offered: ${why}` });
      return;
    }
    const shown = `"${choice.name}" (${where})`;
    const sensitive = Object.keys(headers).filter(isSensitiveHeader);
    if (sensitive.length > 0) {
      problems.push({
        severity: 'warning',
        message: `Endpoint ${shown} keeps the header${sensitive.length > 1 ? 's' : ''} ${sensitive.join(', ')} in a settings file, readable by anyone who can read it. Use "Go Trace Lens: Set Credentials…" instead (kept in VS Code's secret storage).`,
      });
    }
    if (parseEndpointUrl(entry.url).basicAuthorization !== undefined) {
      problems.push({
        severity: 'warning',
        message: `Endpoint ${shown} has a user name and password in its URL, in a settings file. Use "Go Trace Lens: Set Credentials…" instead (kept in VS Code's secret storage).`,
      });
    }
    choices.push(choice);
  });
  return { choices, problems };
}

function countEntries(value: unknown): number {
  return Array.isArray(value) ? value.length : value === undefined || value === null ? 0 : 1;
}

/** Sources a remembered endpoint may come back from even when no setting lists it. */
const RESTORABLE: ReadonlySet<EndpointSource> = new Set<EndpointSource>(['typed', 'discovered', 'recent', 'default']);

/**
 * The picker's endpoints, in order: the last used, workspace settings (trusted workspaces only), user
 * settings, the default. Duplicates (same base URL) keep their first place.
 */
export function buildEndpointList(input: { inspection: EndpointSettingInspection; trusted: boolean; recent?: RecentEndpoint }): EndpointList {
  const problems: EndpointSettingProblem[] = [];
  const configured: EndpointChoice[] = [];
  let ignoredWorkspaceEntries = 0;
  for (const value of [input.inspection.workspaceFolderValue, input.inspection.workspaceValue]) {
    if (!input.trusted) {
      ignoredWorkspaceEntries += countEntries(value);
      continue;
    }
    const parsed = parseEndpointSettings(value, 'workspace');
    configured.push(...parsed.choices);
    problems.push(...parsed.problems);
  }
  const user = parseEndpointSettings(input.inspection.globalValue, 'user');
  configured.push(...user.choices);
  problems.push(...user.problems);
  configured.push(endpointChoice(DEFAULT_ENDPOINT_URL, 'default'));

  const choices: EndpointChoice[] = [];
  const seen = new Set<string>();
  const add = (choice: EndpointChoice): void => {
    if (seen.has(choice.key)) return;
    seen.add(choice.key);
    choices.push(choice);
  };
  const recent = input.recent;
  if (recent) {
    const match = configured.find((c) => c.key === recent.key);
    if (match) add(match);
    else if (RESTORABLE.has(recent.source)) {
      try {
        add(endpointChoice(recent.key, 'recent', { name: recent.name }));
      } catch {
        // A remembered URL that no longer parses is simply not offered.
      }
    }
  }
  configured.forEach(add);
  return { choices, ignoredWorkspaceEntries, problems };
}

/** What to remember of an endpoint once a capture from it was saved. */
export function recentEndpoint(choice: EndpointChoice): RecentEndpoint {
  return { key: choice.key, name: choice.name, source: choice.source };
}

/** Reads a remembered endpoint back from storage (anything malformed is forgotten). */
export function parseRecentEndpoint(value: unknown): RecentEndpoint | undefined {
  if (!isRecord(value) || typeof value.key !== 'string' || typeof value.name !== 'string' || typeof value.source !== 'string') return undefined;
  const sources: readonly string[] = ['workspace', 'user', 'default', 'recent', 'typed', 'discovered'];
  if (!sources.includes(value.source)) return undefined;
  return { key: value.key, name: value.name, source: value.source as EndpointSource };
}

/** Whether typed text is meant as a URL (rather than as filter text for the list). */
function looksLikeUrl(text: string): boolean {
  return text.includes('://') || /^(\[[0-9a-f:.]+\]|[\w.-]+):\d+(\/|$)/i.test(text) || /^(localhost|127\.|\[::1\])/i.test(text);
}

/**
 * Reads what the user typed into the endpoint picker: an endpoint when it is a URL we can capture from
 * (`host:port` gets `http://`), an error sentence when it looks like a URL but is not one, undefined when
 * it is just filter text.
 */
export function interpretTypedEndpoint(text: string): { choice: EndpointChoice } | { error: string } | undefined {
  const trimmed = text.trim();
  if (trimmed === '' || !looksLikeUrl(trimmed)) return undefined;
  const url = trimmed.includes('://') ? trimmed : `http://${trimmed}`;
  try {
    return { choice: endpointChoice(url, 'typed') };
  } catch (error) {
    return { error: error instanceof CaptureError ? error.message : String(error) };
  }
}

/** The endpoint a command argument names: a configured name (any case), or a URL. */
export function findEndpoint(choices: readonly EndpointChoice[], nameOrUrl: string): EndpointChoice | undefined {
  const wanted = nameOrUrl.trim();
  const byName = choices.find((c) => c.name.toLowerCase() === wanted.toLowerCase());
  if (byName) return byName;
  const key = endpointKey(wanted.includes('://') ? wanted : `http://${wanted}`);
  if (key === undefined) return undefined;
  return choices.find((c) => c.key === key);
}

/**
 * `goTraceLens.endpoints` (user settings) with `entry` added, or replacing an entry of the same base URL.
 * Entries that are not understood are kept as they are.
 */
export function addEndpointSetting(current: unknown, entry: EndpointSettingEntry): { list: unknown[]; replaced: boolean } {
  const list: unknown[] = Array.isArray(current) ? [...(current as unknown[])] : [];
  const key = endpointKey(entry.url);
  const index = list.findIndex((existing) => {
    const url = typeof existing === 'string' ? existing : isRecord(existing) && typeof existing.url === 'string' ? existing.url : undefined;
    return url !== undefined && key !== undefined && endpointKey(url) === key;
  });
  const clean: EndpointSettingEntry = { ...(entry.name ? { name: entry.name } : {}), url: entry.url, ...(entry.headers && Object.keys(entry.headers).length > 0 ? { headers: entry.headers } : {}) };
  if (index === -1) return { list: [...list, clean], replaced: false };
  list[index] = clean;
  return { list, replaced: true };
}
