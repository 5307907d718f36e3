// Reads a trace file's bytes for the webview (any file system VS Code knows, not only disk), refusing
// files larger than goTraceLens.timeline.maxFileSizeMiB with a message that says how to open them.

import * as vscode from 'vscode';
import { TimelineSettings } from '../../../common/settings';
import type { TraceFileInfo } from '../../../common/timelineProtocol';
import { baseNameOf } from './traceFileDetection';

export class TraceFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TraceFileError';
  }
}

function mib(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}

export function describeUri(uri: vscode.Uri): string {
  return uri.scheme === 'file' ? uri.fsPath : uri.toString();
}

export async function readTraceFile(uri: vscode.Uri, maxBytes: number): Promise<{ info: TraceFileInfo; bytes: Uint8Array }> {
  const path = describeUri(uri);
  let size: number;
  try {
    size = (await vscode.workspace.fs.stat(uri)).size;
  } catch (error) {
    throw new TraceFileError(`${path} cannot be read: ${error instanceof Error ? error.message : String(error)}.`);
  }
  if (size > maxBytes) {
    throw new TraceFileError(
      `${baseNameOf(path)} is ${mib(size)}, more than the ${mib(maxBytes)} the timeline reads (${TimelineSettings.maxFileSizeMiB.key}). Raise that setting to open it, or capture a shorter trace.`,
    );
  }
  let bytes: Uint8Array;
  try {
    bytes = await vscode.workspace.fs.readFile(uri);
  } catch (error) {
    throw new TraceFileError(`${path} cannot be read: ${error instanceof Error ? error.message : String(error)}.`);
  }
  // A plain Uint8Array of its own: VS Code transfers typed arrays to webviews as binary, but a Node
  // Buffer would be serialized through its toJSON() as a list of numbers.
  return { info: { name: baseNameOf(path), path, sizeBytes: bytes.byteLength }, bytes: new Uint8Array(bytes) };
}
