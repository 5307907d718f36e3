// Where a fetched trace or profile goes: the captures folder, named like a capture
// (`<backend>-<kind>-<timestamp>.json` for a span trace, `<backend>-cpu-<timestamp>.pb.gz` for a merged
// CPU profile, so the Captures view lists and groups it), written whole or not at all: into a hidden
// partial file first, then linked to its final name (never over an existing file) and the partial file
// removed. Also which saved kind a merged profile's type is, and the ranges a person picks.

import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import type { BackendKind, ProfileTypeInfo, TimeRange } from '../../../core/backends';
import { captureFileName, partialFileName, type SavedKindId } from '../../../core/capture';

/** The capture kind a merged profile's type is (so a Pyroscope CPU profile is a `cpu` file), else the backend's kind. */
export function savedKindOfProfile(backendKind: BackendKind, type: Pick<ProfileTypeInfo, 'name' | 'sampleType'>): SavedKindId {
  const sample = type.sampleType.toLowerCase();
  const name = type.name.toLowerCase();
  if (sample === 'cpu' || sample === 'samples' && name.includes('cpu')) return 'cpu';
  if (sample === 'inuse_space' || sample === 'inuse_objects') return 'heap';
  if (sample === 'alloc_space' || sample === 'alloc_objects') return 'allocs';
  if (name === 'goroutine' || name === 'goroutines' || sample === 'goroutine' || sample === 'goroutines') return 'goroutine';
  if (name === 'mutex') return 'mutex';
  if (name === 'block') return 'block';
  return backendKind;
}

export interface FetchedFile {
  /** The backend's configured name: the `<backend>` part of the file name. */
  readonly backendName: string;
  readonly kind: SavedKindId;
  readonly extension: 'json' | 'pb.gz';
  readonly data: Uint8Array | string;
  readonly time: Date;
}

const MAX_SEQUENCE = 1000;

/** Saves `file` in `folder` whole; returns its path. Throws a plain Error saying which folder failed and why. */
export async function saveFetchedFile(folder: string, file: FetchedFile): Promise<string> {
  const first = captureFileName({ endpointName: file.backendName, kind: file.kind, time: file.time, sequence: 1, extension: file.extension });
  const partial = path.join(folder, partialFileName(first, randomBytes(6).toString('hex')));
  try {
    await fs.mkdir(folder, { recursive: true });
    await fs.writeFile(partial, file.data, { flag: 'wx' });
    for (let sequence = 1; sequence <= MAX_SEQUENCE; sequence++) {
      const target = path.join(folder, sequence === 1 ? first : captureFileName({ endpointName: file.backendName, kind: file.kind, time: file.time, sequence, extension: file.extension }));
      try {
        await fs.link(partial, target);
        return target;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
    }
    throw new Error(`${MAX_SEQUENCE} files of that second already exist`);
  } catch (error) {
    throw new Error(`Cannot save into the captures folder ${folder} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); choose another folder with goTraceLens.capture.folder.`);
  } finally {
    await fs.rm(partial, { force: true }).catch(() => undefined);
  }
}

export interface RangeChoice {
  readonly label: string;
  /** The look-back duration (`parseTimeRange`'s `since`), or undefined for "type a range". */
  readonly since?: string;
}

export const RANGE_CHOICES: readonly RangeChoice[] = [
  { label: 'Last 15 minutes', since: '15m' },
  { label: 'Last hour', since: '1h' },
  { label: 'Last 6 hours', since: '6h' },
  { label: 'Last 24 hours', since: '24h' },
  { label: 'Last 7 days', since: '7d' },
  { label: 'Another range…' },
];

export interface EarlierRange {
  readonly label: string;
  readonly range: TimeRange;
}

/** The ranges a profile's range is compared with: the one just before it, and the same time a day and a week earlier. */
export function earlierRanges(range: TimeRange): EarlierRange[] {
  const length = range.endMs - range.startMs;
  const shift = (ms: number): TimeRange => ({ startMs: range.startMs - ms, endMs: range.endMs - ms });
  return [
    { label: 'The range just before', range: shift(length) },
    { label: 'The same range a day earlier', range: shift(86_400_000) },
    { label: 'The same range a week earlier', range: shift(7 * 86_400_000) },
  ];
}

/** `10:00–11:00 UTC, 2026-08-21` style text for a range, in UTC. */
export function describeRange(range: TimeRange): string {
  const start = new Date(range.startMs).toISOString();
  const end = new Date(range.endMs).toISOString();
  const day = start.slice(0, 10);
  const time = (iso: string) => iso.slice(11, 19);
  return end.slice(0, 10) === day ? `${day} ${time(start)}–${time(end)} UTC` : `${start.slice(0, 19)}Z – ${end.slice(0, 19)}Z`;
}
