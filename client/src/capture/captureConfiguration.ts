// Reads the capture settings from VS Code, honouring workspace trust: `goTraceLens.endpoints`,
// `goTraceLens.capture.folder` and `goTraceLens.capture.caFile` decide where requests go and files are
// written, so their workspace values count only in a trusted workspace (they are also declared as
// restricted in package.json). The decisions themselves live in the pure modules this calls.

import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { CaptureSettings } from '../../../common/ids';
import { DEFAULT_CAPTURE_TIMEOUT_MS, DEFAULT_MAX_CAPTURE_BYTES } from '../../../core/capture/index.node';
import { resolveCaptureFolder, type CaptureFolder } from './captureFolder';
import { buildEndpointList, type EndpointList, type RecentEndpoint } from './endpointChoices';
import { trustedSettingValue } from './trustedSetting';

export interface CaptureConfiguration {
  readonly endpoints: EndpointList;
  readonly folder: CaptureFolder;
  readonly maxBytes: number;
  /** Time allowed beyond a capture's duration. */
  readonly timeoutMs: number;
  /** A PEM file of extra trusted CA certificates, when set. */
  readonly caFile?: string;
  readonly openAfterCapture: boolean;
  /** Settings whose workspace value was ignored because the workspace is not trusted. */
  readonly ignoredUntrustedSettings: string[];
}

function positiveNumber(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : fallback;
}

/** Where captures go when no workspace folder is open. */
export function fallbackCaptureFolder(extension: vscode.ExtensionContext): string {
  return path.join(extension.globalStorageUri.fsPath, 'captures');
}

export function readCaptureFolder(extension: vscode.ExtensionContext): { folder: CaptureFolder; ignoredWorkspaceValue: boolean } {
  const config = vscode.workspace.getConfiguration();
  const setting = trustedSettingValue(config.inspect<string>(CaptureSettings.folder), vscode.workspace.isTrusted);
  const folder = resolveCaptureFolder({
    setting: typeof setting.value === 'string' ? setting.value : undefined,
    workspaceFolders: (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath),
    home: os.homedir(),
    fallback: fallbackCaptureFolder(extension),
  });
  return { folder, ignoredWorkspaceValue: setting.ignoredWorkspaceValue };
}

/** `~/…` from the home folder, a relative path from the first workspace folder. */
function resolveCaFile(value: string): string {
  const expanded = value.replace(/^~(?=$|[\\/])/, os.homedir());
  if (path.isAbsolute(expanded)) return expanded;
  const first = vscode.workspace.workspaceFolders?.find((f) => f.uri.scheme === 'file');
  return first ? path.resolve(first.uri.fsPath, expanded) : path.resolve(expanded);
}

export function readCaptureConfiguration(extension: vscode.ExtensionContext, recent?: RecentEndpoint): CaptureConfiguration {
  const config = vscode.workspace.getConfiguration();
  const trusted = vscode.workspace.isTrusted;
  const ignored: string[] = [];
  const endpointInspection = config.inspect<unknown>(CaptureSettings.endpoints);
  const endpoints = buildEndpointList({ inspection: endpointInspection ?? {}, trusted, ...(recent ? { recent } : {}) });
  if (endpoints.ignoredWorkspaceEntries > 0) ignored.push(CaptureSettings.endpoints);
  const folder = readCaptureFolder(extension);
  if (folder.ignoredWorkspaceValue) ignored.push(CaptureSettings.folder);
  const ca = trustedSettingValue(config.inspect<string>(CaptureSettings.caFile), trusted);
  if (ca.ignoredWorkspaceValue) ignored.push(CaptureSettings.caFile);
  const caFile = typeof ca.value === 'string' && ca.value.trim() !== '' ? resolveCaFile(ca.value.trim()) : undefined;
  return {
    endpoints,
    folder: folder.folder,
    maxBytes: positiveNumber(config.get(CaptureSettings.maxSizeMb), DEFAULT_MAX_CAPTURE_BYTES / 1024 / 1024) * 1024 * 1024,
    timeoutMs: positiveNumber(config.get(CaptureSettings.timeoutSeconds), DEFAULT_CAPTURE_TIMEOUT_MS / 1000) * 1000,
    ...(caFile !== undefined ? { caFile } : {}),
    openAfterCapture: config.get<boolean>(CaptureSettings.openAfterCapture) !== false,
    ignoredUntrustedSettings: ignored,
  };
}
