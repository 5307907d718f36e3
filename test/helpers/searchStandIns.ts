// The traces a search test serves from each backend's stand-in, so each kind lists a trace with broken
// chains and one without: for Tempo and Jaeger's API v3, the traces of test/fixtures/traces/problems.otlp.json
// (one clean, the others each with a kind of broken chain); for Jaeger's UI API, its real otlp2jaeger
// trace (a duplicated span whose parent is missing) and the same trace with its root received (one span,
// no parent, its own ID); for Zipkin, its real messaging trace (whole) and the same trace without the
// frontend's "publish" span (its own ID), so the backend's half hangs from a parent nobody sent.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { splitOtlpTraces, type OtlpDocument } from './backendServers';
import { sharedFixture } from './sharedFixtures';

export interface SearchStandInTraces {
  readonly otlp: ReadonlyMap<string, OtlpDocument>;
  readonly jaegerUi: readonly Record<string, unknown>[];
  readonly zipkin: readonly Record<string, unknown>[][];
}

const readJson = <T>(file: string): T => JSON.parse(readFileSync(file, 'utf8')) as T;

/** `value` as JSON with every `from` replaced by `to` (a trace given another ID). */
function renamed<T>(value: T, from: string, to: string): T {
  return JSON.parse(JSON.stringify(value).replaceAll(from, to)) as T;
}

export function searchStandInTraces(): SearchStandInTraces {
  const otlp = splitOtlpTraces(readJson<OtlpDocument>(join(__dirname, '..', 'fixtures', 'traces', 'problems.otlp.json')));

  const [jaegerTrace] = readJson<{ data: Record<string, unknown>[] }>(sharedFixture('spans', 'jaeger-ui-otlp2jaeger-out.json')).data as [Record<string, unknown>];
  const jaegerId = String(jaegerTrace.traceID);
  const rooted = renamed(jaegerTrace, jaegerId, `${jaegerId.slice(0, 30)}00`);
  const [span] = rooted.spans as [Record<string, unknown>];
  rooted.spans = [{ ...span, references: [] }];

  const messaging = readJson<Record<string, unknown>[]>(sharedFixture('spans', 'zipkin-messaging.json'));
  const zipkinId = String(messaging[0]!.traceId);
  const unpublished = renamed(messaging.filter((s) => s.name !== 'publish'), zipkinId, `${zipkinId.slice(0, 30)}00`);

  return { otlp, jaegerUi: [jaegerTrace, rooted], zipkin: [messaging, unpublished] };
}
