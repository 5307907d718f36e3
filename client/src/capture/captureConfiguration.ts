// Reads the capture settings (through Config, honouring workspace trust: `goTraceLens.endpoints`,
// `goTraceLens.capture.folder` and `goTraceLens.capture.caFile` decide where requests go and files are
// written, so their workspace values count only in a trusted workspace — restricted in the schema and in
// package.json). The decisions themselves live in the pure modules this calls.

import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { CaptureSettings } from '../../../common/settings';
import type { Config } from '../config';
import { resolveCaptureFolder, type CaptureFolder } from './captureFolder';
import { buildEndpointList, type EndpointList, type RecentEndpoint } from './endpointChoices';

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

/** Where captures go when no workspace folder is open. */
export function fallbackCaptureFolder(extension: vscode.ExtensionContext): string {
  return path.join(extension.globalStorageUri.fsPath, 'captures');
}

export function readCaptureFolder(extension: vscode.ExtensionContext, config: Config): { folder: CaptureFolder; ignoredWorkspaceValue: boolean } {
  const setting = config.read(CaptureSettings.folder);
  const folder = resolveCaptureFolder({
    setting: setting.value,
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

export function readCaptureConfiguration(extension: vscode.ExtensionContext, config: Config, recent?: RecentEndpoint): CaptureConfiguration {
  const ignored: string[] = [];
  const endpoints = buildEndpointList({ inspection: config.inspect(CaptureSettings.endpoints), trusted: config.trusted, ...(recent ? { recent } : {}) });
  if (endpoints.ignoredWorkspaceEntries > 0) ignored.push(CaptureSettings.endpoints.key);
  const folder = readCaptureFolder(extension, config);
  if (folder.ignoredWorkspaceValue) ignored.push(CaptureSettings.folder.key);
  const ca = config.read(CaptureSettings.caFile);
  if (ca.ignoredWorkspaceValue) ignored.push(CaptureSettings.caFile.key);
  const caFile = ca.value.trim() !== '' ? resolveCaFile(ca.value.trim()) : undefined;
  return {
    endpoints,
    folder: folder.folder,
    maxBytes: config.get(CaptureSettings.maxSizeMb) * 1024 * 1024,
    timeoutMs: config.get(CaptureSettings.timeoutSeconds) * 1000,
    ...(caFile !== undefined ? { caFile } : {}),
    openAfterCapture: config.get(CaptureSettings.openAfterCapture),
    ignoredUntrustedSettings: ignored,
  };
}
