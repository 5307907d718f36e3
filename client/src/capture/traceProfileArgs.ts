// What "Show Trace Profile on the Code…" is given (by the timeline, a key binding or nothing) and how the
// profile it derives is named in the captures folder. Pure: no vscode import.

import * as path from 'node:path';
import type { TraceProfileScope, TraceProfileType } from '../../../common/timelineProtocol';
import { parseCaptureFileName, sanitizeEndpointName } from '../../../core/capture';

export interface TraceProfileArgs {
  /** The execution trace: a local path or a file URI. */
  readonly trace?: string;
  readonly type?: TraceProfileType;
  readonly scope?: TraceProfileScope;
  /** How the scope reads in messages ("goroutines of main.worker", "12.0ms–40.0ms"). */
  readonly scopeLabel?: string;
}

const TYPES: readonly TraceProfileType[] = ['net', 'sync', 'syscall', 'sched'];

/** Checks what a key binding or the timeline passed; anything else is ignored field by field. */
export function parseTraceProfileArgs(raw: unknown): TraceProfileArgs {
  if (typeof raw !== 'object' || raw === null) return {};
  const r = raw as Record<string, unknown>;
  const number = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
  const text = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
  const s = typeof r.scope === 'object' && r.scope !== null ? (r.scope as Record<string, unknown>) : undefined;
  const scope: TraceProfileScope | undefined = s
    ? { goroutineName: text(s.goroutineName), regionType: text(s.regionType), taskId: number(s.taskId), fromNs: number(s.fromNs), toNs: number(s.toNs) }
    : undefined;
  return {
    trace: text(r.trace),
    type: TYPES.includes(r.type as TraceProfileType) ? (r.type as TraceProfileType) : undefined,
    scope,
    scopeLabel: text(r.scopeLabel),
  };
}

/** The endpoint part of the derived profile's name: the trace capture's endpoint, or the trace file's name. */
export function derivedEndpointName(tracePath: string): string {
  const base = path.basename(tracePath);
  const parsed = parseCaptureFileName(base);
  if (parsed?.kind === 'trace') return parsed.endpointName;
  return sanitizeEndpointName(base.replace(/\.(trace|out)$/i, ''));
}
