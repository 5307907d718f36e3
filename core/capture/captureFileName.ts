// Names of saved captures: `<endpoint>-<kind>-<timestamp>[-n].<ext>`, e.g.
// `localhost-6060-cpu-20250131T154501Z.pb.gz`. The timestamp is UTC in ISO 8601 basic form, so names sort
// by time; `-n` tells apart captures of the same second. `parseCaptureFileName` reads a name back, which
// the Captures view uses to group captures by endpoint and kind. Also the name of the temporary file a
// capture streams into, which every listing should ignore.

import { SAVED_KIND_IDS, type SavedKindId } from './captureKinds';

export interface CaptureFileNameParts {
  readonly endpointName: string;
  readonly kind: SavedKindId;
  readonly time: Date;
  /** 1 for the first capture of a second, 2, 3… for the next ones. */
  readonly sequence: number;
  /** Without the dot: `pb.gz`, `pb`, `trace`, or `json` (a span trace fetched from a backend). */
  readonly extension: string;
}

const MAX_ENDPOINT_NAME = 64;

/** An endpoint name made safe for a file name on every OS: letters, digits, `.`, `_`, `-`. */
export function sanitizeEndpointName(name: string): string {
  const safe = name
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .replace(/^[._-]+|[._-]+$/g, '')
    .slice(0, MAX_ENDPOINT_NAME)
    .replace(/[._-]+$/, '');
  return safe === '' ? 'endpoint' : safe;
}

/** `20250131T154501Z` for 2025-01-31 15:45:01 UTC. */
export function formatCaptureTimestamp(time: Date): string {
  return time.toISOString().replace(/\.\d+Z$/, 'Z').replace(/[-:]/g, '');
}

export function captureFileName(parts: CaptureFileNameParts): string {
  const sequence = parts.sequence > 1 ? `-${parts.sequence}` : '';
  return `${sanitizeEndpointName(parts.endpointName)}-${parts.kind}-${formatCaptureTimestamp(parts.time)}${sequence}.${parts.extension}`;
}

const KIND_ALTERNATION = [...SAVED_KIND_IDS].sort((a, b) => b.length - a.length).join('|');
const NAME_PATTERN = new RegExp(`^(.+)-(${KIND_ALTERNATION})-(\\d{8}T\\d{6}Z)(?:-(\\d+))?\\.(pb\\.gz|pb|trace|json)$`);

/** The parts of a capture file name, or undefined for any other name. */
export function parseCaptureFileName(fileName: string): CaptureFileNameParts | undefined {
  const match = NAME_PATTERN.exec(fileName);
  if (!match) return undefined;
  const [, endpointName, kind, stamp, sequence, extension] = match;
  const iso = `${stamp!.slice(0, 4)}-${stamp!.slice(4, 6)}-${stamp!.slice(6, 8)}T${stamp!.slice(9, 11)}:${stamp!.slice(11, 13)}:${stamp!.slice(13, 15)}Z`;
  const time = new Date(iso);
  if (Number.isNaN(time.getTime())) return undefined;
  return { endpointName: endpointName!, kind: kind as SavedKindId, time, sequence: sequence ? Number(sequence) : 1, extension: extension! };
}

const PARTIAL_SUFFIX = '.partial';

/** The hidden temporary file a capture streams into before it is validated and renamed. */
export function partialFileName(finalName: string, unique: string): string {
  return `.${finalName}.${unique}${PARTIAL_SUFFIX}`;
}

/** True for a capture's temporary file (listings of the captures folder skip these). */
export function isPartialCaptureFile(fileName: string): boolean {
  return fileName.startsWith('.') && fileName.endsWith(PARTIAL_SUFFIX);
}
