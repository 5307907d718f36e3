// The arguments the capture commands accept, so that a key binding can capture without any question:
//   { "key": "ctrl+alt+p", "command": "goTraceLens.capture.cpu", "args": { "endpoint": "shop", "seconds": 10 } }
// `endpoint` is a configured endpoint's name or a URL; `kind` is only for goTraceLens.capture.profile.
// Anything else that reaches a command (a Uri from a context menu, a tree element) carries no arguments.
// Pure: no vscode import.

import { CAPTURE_KIND_IDS, MAX_CAPTURE_SECONDS, findCaptureKind, type CaptureKind } from '../../../core/capture';

export interface CaptureCommandArgs {
  readonly kind?: CaptureKind;
  readonly endpoint?: string;
  readonly seconds?: number;
}

const KNOWN = ['kind', 'endpoint', 'seconds'];

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * Reads a capture command's first argument. `fixedKind` is the kind of a per-kind command (which then
 * refuses a different `kind`). Returns the arguments, or a sentence saying what is wrong with them.
 */
export function parseCaptureCommandArgs(raw: unknown, fixedKind?: CaptureKind): { args: CaptureCommandArgs } | { error: string } {
  if (!isPlainObject(raw)) return { args: fixedKind ? { kind: fixedKind } : {} };
  const unknown = Object.keys(raw).filter((k) => !KNOWN.includes(k));
  if (unknown.length > 0) return { error: `Unknown capture argument "${unknown[0]}": the arguments are kind, endpoint and seconds.` };
  let kind = fixedKind;
  if (raw.kind !== undefined) {
    const found = typeof raw.kind === 'string' ? findCaptureKind(raw.kind) : undefined;
    if (!found) return { error: `"kind" must be one of ${CAPTURE_KIND_IDS.join(', ')} (got ${JSON.stringify(raw.kind)}).` };
    if (fixedKind && found.id !== fixedKind.id) return { error: `This command captures ${fixedKind.id}; "kind": "${found.id}" does not fit it. Use goTraceLens.capture.profile for any kind.` };
    kind = found;
  }
  if (raw.endpoint !== undefined && (typeof raw.endpoint !== 'string' || raw.endpoint.trim() === '')) {
    return { error: '"endpoint" must be the name of a configured endpoint or a URL such as http://localhost:6060/debug/pprof.' };
  }
  let seconds: number | undefined;
  if (raw.seconds !== undefined) {
    if (typeof raw.seconds !== 'number' || !Number.isInteger(raw.seconds) || raw.seconds < 1 || raw.seconds > MAX_CAPTURE_SECONDS) {
      return { error: `"seconds" must be a whole number from 1 to ${MAX_CAPTURE_SECONDS} (got ${JSON.stringify(raw.seconds)}).` };
    }
    if (kind && !kind.timed) return { error: `A ${kind.label} profile is a snapshot and takes no "seconds".` };
    seconds = raw.seconds;
  }
  return {
    args: {
      ...(kind ? { kind } : {}),
      ...(typeof raw.endpoint === 'string' ? { endpoint: raw.endpoint.trim() } : {}),
      ...(seconds !== undefined ? { seconds } : {}),
    },
  };
}
