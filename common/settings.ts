// Every `goTraceLens.*` setting, once: its key, its default and how a value is validated — what
// package.json's `contributes.configuration` declares (test/unit/settingsSchema.test.ts keeps the two in
// agreement, and the restricted ones in agreement with `restrictedConfigurations`). The extension host
// reads settings only through it (client/src/config.ts); the language server parses the `goTraceLens`
// section it pulls through it (server/src/lsp/settings.ts). A value that is not valid is replaced by the
// default, with a warning that says what is wrong; nothing throws. Plain data and functions: no vscode,
// Node or LSP imports.

import { isRuleId, type RuleId, type Severity } from './rules';

/** The configuration section every setting lives in (also the language client's id). */
export const SETTINGS_SECTION = 'goTraceLens';

export type SettingKey = `${typeof SETTINGS_SECTION}.${string}`;
export type Warn = (message: string) => void;

export interface Setting<T> {
  readonly key: SettingKey;
  /** The JSON type package.json declares. */
  readonly type: 'boolean' | 'number' | 'string' | 'array' | 'object';
  readonly default: T;
  /** The values package.json allows, for a string setting that has a fixed set. */
  readonly enum?: readonly string[];
  /**
   * Decides where requests go or files are written: a workspace value counts only in a trusted workspace
   * (package.json's `capabilities.untrustedWorkspaces.restrictedConfigurations`).
   */
  readonly restricted: boolean;
  /** The value to use for what the configuration holds (undefined or null: not set). */
  read(raw: unknown, warn: Warn): T;
}

/** Reads a setting's validated value: the client's Config, or a section the server pulled. */
export type SettingReader = <T>(setting: Setting<T>) => T;

const unset = (raw: unknown): raw is undefined | null => raw === undefined || raw === null;

function setting<T>(key: SettingKey, type: Setting<T>['type'], fallback: T, read: (raw: unknown, warn: Warn, key: SettingKey) => T, extra: { enum?: readonly string[]; restricted?: boolean } = {}): Setting<T> {
  return {
    key,
    type,
    default: fallback,
    ...(extra.enum ? { enum: extra.enum } : {}),
    restricted: extra.restricted ?? false,
    read: (raw, warn) => (unset(raw) ? fallback : read(raw, warn, key)),
  };
}

interface NumberBounds {
  readonly minimum?: number;
  readonly exclusiveMinimum?: number;
  readonly maximum?: number;
}

function describeBounds({ minimum, exclusiveMinimum, maximum }: NumberBounds): string {
  if (minimum !== undefined && maximum !== undefined) return `from ${minimum} to ${maximum}`;
  if (exclusiveMinimum !== undefined) return `above ${exclusiveMinimum}`;
  return `of at least ${minimum}`;
}

function number(key: SettingKey, fallback: number, bounds: NumberBounds): Setting<number> {
  const { minimum = -Infinity, exclusiveMinimum = -Infinity, maximum = Infinity } = bounds;
  return setting(key, 'number', fallback, (raw, warn) => {
    if (typeof raw === 'number' && Number.isFinite(raw) && raw >= minimum && raw > exclusiveMinimum && raw <= maximum) return raw;
    warn(`${key}: ${JSON.stringify(raw)} is not a number ${describeBounds(bounds)}; using ${fallback}.`);
    return fallback;
  });
}

function boolean(key: SettingKey, fallback: boolean): Setting<boolean> {
  return setting(key, 'boolean', fallback, (raw, warn) => {
    if (typeof raw === 'boolean') return raw;
    warn(`${key}: "${String(raw)}" is not true or false; using ${fallback}.`);
    return fallback;
  });
}

function string(key: SettingKey, fallback: string, extra: { enum?: readonly string[]; restricted?: boolean } = {}): Setting<string> {
  return setting(key, 'string', fallback, (raw, warn) => {
    if (typeof raw === 'string' && (!extra.enum || extra.enum.includes(raw))) return raw;
    warn(`${key}: ${JSON.stringify(raw)} is not ${extra.enum ? `one of ${extra.enum.join(', ')}` : 'a string'}; using ${JSON.stringify(fallback)}.`);
    return fallback;
  }, extra);
}

/** A list of strings; `what` names them in the warning ("glob patterns"). */
function stringList(key: SettingKey, fallback: readonly string[], what: string): Setting<readonly string[]> {
  return setting(key, 'array', fallback, (raw, warn) => {
    if (Array.isArray(raw) && raw.every((v) => typeof v === 'string')) return raw as string[];
    warn(`${key}: expected a list of ${what}; using ${JSON.stringify(fallback)}.`);
    return fallback;
  });
}

export type RuleSeverity = Severity | 'off';
export const RULE_SEVERITIES: readonly RuleSeverity[] = ['off', 'error', 'warning', 'information', 'hint'];

/** goTraceLens.rules: rule id → severity; unknown ids and values are reported and left out. */
function ruleSeverities(key: SettingKey): Setting<Partial<Record<RuleId, RuleSeverity>>> {
  return setting(key, 'object', {}, (raw, warn) => {
    const severities: Partial<Record<RuleId, RuleSeverity>> = {};
    if (typeof raw !== 'object') return severities;
    for (const [id, value] of Object.entries(raw as Record<string, unknown>)) {
      if (!isRuleId(id)) warn(`${key}: "${id}" is not a rule id; ignored.`);
      else if (typeof value !== 'string' || !(RULE_SEVERITIES as readonly string[]).includes(value)) warn(`${key}.${id}: "${String(value)}" is not one of ${RULE_SEVERITIES.join(', ')}; ignored.`);
      else severities[id] = value as RuleSeverity;
    }
    return severities;
  });
}

export interface PathMapping {
  readonly from: string;
  readonly to: string;
}

/** goTraceLens.profile.pathMappings: entries without both strings are reported and left out. */
function pathMappings(key: SettingKey): Setting<readonly PathMapping[]> {
  return setting(key, 'array', [], (raw, warn) => {
    if (!Array.isArray(raw)) {
      warn(`${key} must be a list of {"from": …, "to": …}; ignored.`);
      return [];
    }
    const mappings: PathMapping[] = [];
    for (const m of raw) {
      const from = (m as { from?: unknown })?.from;
      const to = (m as { to?: unknown })?.to;
      if (typeof from === 'string' && from !== '' && typeof to === 'string' && to !== '') mappings.push({ from, to });
      else warn(`${key}: ${JSON.stringify(m)} needs "from" and "to" strings; ignored.`);
    }
    return mappings;
  });
}

/** goTraceLens.endpoints and goTraceLens.backends: their entries are checked one by one, scope by scope, by their features. */
function entryList(key: SettingKey, extra: { restricted: boolean }): Setting<readonly unknown[]> {
  return setting(key, 'array', [], (raw, warn) => {
    if (Array.isArray(raw)) return raw;
    warn(`${key}: expected a list; using [].`);
    return [];
  }, extra);
}

/** The capture feature (client/src/capture). */
export const CaptureSettings = {
  endpoints: entryList('goTraceLens.endpoints', { restricted: true }),
  folder: string('goTraceLens.capture.folder', '', { restricted: true }),
  maxSizeMb: number('goTraceLens.capture.maxSizeMB', 256, { exclusiveMinimum: 0 }),
  timeoutSeconds: number('goTraceLens.capture.timeoutSeconds', 120, { exclusiveMinimum: 0 }),
  caFile: string('goTraceLens.capture.caFile', '', { restricted: true }),
  openAfterCapture: boolean('goTraceLens.capture.openAfterCapture', true),
} as const;

/** The kinds a `goTraceLens.backends` entry may name (core/backends' BACKEND_KINDS; a unit test keeps them equal). */
export const BACKEND_SETTING_KINDS = ['jaeger', 'tempo', 'zipkin', 'pyroscope', 'parca'] as const;

/**
 * The backends feature (client/src/backends): `goTraceLens.backends`, a list of `{name, kind, url}`.
 * Restricted like the endpoints (it decides where requests go); its entries are checked one by one,
 * scope by scope, by client/src/backends/backendList.ts.
 */
export const BackendSettings = {
  backends: entryList('goTraceLens.backends', { restricted: true }),
} as const;

/** The language client: the JSON-RPC trace it logs (read by vscode-languageclient itself). */
export const LanguageServerSettings = {
  traceServer: string('goTraceLens.trace.server', 'off', { enum: ['off', 'messages', 'verbose'] }),
} as const;

/** The context-chain analyzer and the workspace index (the language server). */
export const AnalysisSettings = {
  rules: ruleSeverities('goTraceLens.rules'),
  maxFileSizeKiB: number('goTraceLens.analysis.maxFileSizeKiB', 2048, { exclusiveMinimum: 0 }),
  include: stringList('goTraceLens.analysis.include', ['**/*.go'], 'glob patterns'),
  exclude: stringList('goTraceLens.analysis.exclude', [], 'glob patterns'),
  includeVendor: boolean('goTraceLens.analysis.includeVendor', false),
  includeTestdata: boolean('goTraceLens.analysis.includeTestdata', false),
} as const;

/** Profiles: heat and annotations (client), everything the language server computes from them. */
export const ProfileSettings = {
  heatThreshold: number('goTraceLens.profile.heatThreshold', 0.005, { minimum: 0, maximum: 1 }),
  heatAnnotations: boolean('goTraceLens.profile.heatAnnotations', true),
  pathMappings: pathMappings('goTraceLens.profile.pathMappings'),
  goroot: string('goTraceLens.profile.goroot', ''),
  pileupThreshold: number('goTraceLens.profile.goroutinePileupThreshold', 100, { minimum: 1, maximum: 1e9 }),
  leakCpuShareThreshold: number('goTraceLens.profile.leakCpuShareThreshold', 0.15, { minimum: 0, maximum: 1 }),
  maxSizeMiB: number('goTraceLens.profile.maxSizeMiB', 512, { minimum: 1, maximum: 65536 }),
} as const;

/** The trace timeline (client/src/timeline). */
export const TimelineSettings = {
  clockSkewToleranceMs: number('goTraceLens.timeline.clockSkewToleranceMs', 1, { minimum: 0 }),
  matchToleranceMs: number('goTraceLens.timeline.matchToleranceMs', 2, { minimum: 0 }),
  maxFileSizeMiB: number('goTraceLens.timeline.maxFileSizeMiB', 1024, { minimum: 1 }),
  openExecutionTracesInTimeline: boolean('goTraceLens.timeline.openExecutionTracesInTimeline', true),
} as const;

/**
 * The `go` command the extension runs: `go test` when a test or benchmark is profiled (client/src/testing).
 * Restricted: a workspace value would name a program to run.
 */
export const GoToolSettings = {
  goExecutable: string('goTraceLens.goExecutable', '', { restricted: true }),
} as const;

/** Every setting of the extension. */
export const ALL_SETTINGS: readonly Setting<unknown>[] = [
  ...Object.values(CaptureSettings),
  ...Object.values(BackendSettings),
  ...Object.values(LanguageServerSettings),
  ...Object.values(AnalysisSettings),
  ...Object.values(ProfileSettings),
  ...Object.values(TimelineSettings),
  ...Object.values(GoToolSettings),
];

/** A setting's raw value in the `goTraceLens` section as the server pulls it (nested by the key's dots). */
function rawValueIn(section: unknown, key: SettingKey): unknown {
  let value = section;
  for (const part of key.slice(SETTINGS_SECTION.length + 1).split('.')) {
    value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[part] : undefined;
  }
  return value;
}

/** Reads settings from the `goTraceLens` section (workspace/configuration's answer). */
export function sectionReader(section: unknown, warn: Warn): SettingReader {
  return <T>(s: Setting<T>) => s.read(rawValueIn(section, s.key), warn);
}

/** What VS Code's `WorkspaceConfiguration.inspect()` returns, scope by scope. */
export interface SettingInspection<T> {
  readonly defaultValue?: T;
  readonly globalValue?: T;
  readonly workspaceValue?: T;
  readonly workspaceFolderValue?: T;
}

export interface TrustedSettingValue<T> {
  readonly value: T | undefined;
  /** True when a workspace value was set but ignored because the workspace is not trusted. */
  readonly ignoredWorkspaceValue: boolean;
}

/**
 * The value of a restricted setting: in a trusted workspace the usual precedence (folder, workspace, user,
 * default); in an untrusted one, workspace values are ignored and only user settings and the default count.
 */
export function trustedSettingValue<T>(inspection: SettingInspection<T> | undefined, trusted: boolean): TrustedSettingValue<T> {
  if (!inspection) return { value: undefined, ignoredWorkspaceValue: false };
  const fromWorkspace = inspection.workspaceFolderValue ?? inspection.workspaceValue;
  if (trusted && fromWorkspace !== undefined) return { value: fromWorkspace, ignoredWorkspaceValue: false };
  return { value: inspection.globalValue ?? inspection.defaultValue, ignoredWorkspaceValue: !trusted && fromWorkspace !== undefined };
}
