// Finds broken chains in span traces, trace by trace: spans whose parent is missing (orphans), traces
// with several roots, services connected to nothing, children outside their parent's time (clock skew,
// beyond a tolerance), services whose spans are missing (inconsistent sampling) and duplicate span IDs.

import type { SpanFacts } from './spanModelBuilder';
import {
  clockSkewText,
  disconnectedServiceText,
  duplicateSpanIdText,
  multipleRootsText,
  orphanText,
  partialSamplingText,
  type ProblemText,
} from './problemExplanations';
import { SpanKind, type SpanProblem, type SpanProblemType, type SpanTraceModel } from './spanTraceModel';

export interface SpanProblemOptions {
  /** How far (ns) a child may start before or end after its parent before it counts as clock skew. */
  readonly clockSkewToleranceNs?: number;
}

export const DEFAULT_CLOCK_SKEW_TOLERANCE_NS = 1_000_000;

export function findSpanProblems(model: Omit<SpanTraceModel, 'problems'>, facts: SpanFacts, options: SpanProblemOptions = {}): SpanProblem[] {
  const tolerance = options.clockSkewToleranceNs ?? DEFAULT_CLOCK_SKEW_TOLERANCE_NS;
  const { spans, traces, strings } = model;
  const problems: SpanProblem[] = [];
  const name = (row: number) => strings[spans.name[row]!]!;
  const service = (row: number) => strings[spans.service[row]!]!;
  const add = (type: SpanProblemType, trace: number, row: number, highlight: number[], text: ProblemText) => {
    problems.push({ type, traceId: traces.traceId[trace]!, spanId: spans.spanId[row]!, spans: highlight, ...text });
  };
  // Services that record spans somewhere in the file, for "the callee recorded nothing in this trace".
  const servicesInFile = new Set(model.services.map((s) => strings[s]!));

  for (let t = 0; t < traces.count; t++) {
    const first = traces.firstSpan[t]!;
    const last = first + traces.spanCount[t]!;
    const rows: number[] = [];
    for (let row = first; row < last; row++) rows.push(row);

    // Duplicate span IDs (Zipkin's shared server half is not a duplicate of its client half).
    const byId = new Map<string, number[]>();
    for (const row of rows) {
      const list = byId.get(spans.spanId[row]!) ?? [];
      list.push(row);
      byId.set(spans.spanId[row]!, list);
    }
    for (const [id, list] of byId) {
      if (list.length < 2) continue;
      const shared = list.filter((row) => facts.sharedWithClient[row]).length;
      if (list.length - shared <= 1 && shared <= 1) continue;
      add('duplicate-span-id', t, list[0]!, list, duplicateSpanIdText(id, list.length, [...new Set(list.map(service))]));
    }

    // Roots and orphans.
    const roots = rows.filter((row) => spans.parentSpanId[row] === '' && !facts.sharedWithClient[row]);
    const rootSet = new Set(roots);
    const orphans = rows.filter((row) => spans.parent[row]! < 0 && (spans.parentSpanId[row] !== '' || facts.brokenParent[row]) && !rootSet.has(row));
    for (const row of orphans) add('orphan', t, row, [row], orphanText(name(row), service(row), spans.parentSpanId[row]!));
    if (roots.length > 1) {
      for (const row of roots.slice(1)) add('multiple-roots', t, row, roots, multipleRootsText(roots.length, name(row), service(row)));
    }

    // Services connected to no other service.
    const traceServices = traces.services[t]!;
    if (traceServices.length > 1) {
      const connected = new Set<number>();
      for (const row of rows) {
        const parent = spans.parent[row]!;
        if (parent >= 0 && spans.service[parent] !== spans.service[row]) {
          connected.add(spans.service[parent]!);
          connected.add(spans.service[row]!);
        }
      }
      // The service where the trace starts is its origin; the ghosts are the others.
      const origin = roots.length > 0 ? spans.service[roots.reduce((a, b) => (spans.start[b]! < spans.start[a]! ? b : a))]! : -1;
      for (const s of traceServices) {
        if (connected.has(s) || s === origin) continue;
        const own = rows.filter((row) => spans.service[row] === s);
        add('disconnected-service', t, own[0]!, own, disconnectedServiceText(strings[s]!, own.length));
      }
    }

    // Clock skew.
    for (const row of rows) {
      const parent = spans.parent[row]!;
      if (parent < 0) continue;
      const early = spans.start[parent]! - spans.start[row]!;
      // Ending after the parent is normal for asynchronous work, and within one service (one clock) it
      // means the work outlived its parent rather than a clock error; across services it is skew.
      const asynchronous = facts.asyncParent[row] || spans.kind[parent] === SpanKind.Producer;
      const crossService = spans.service[row] !== spans.service[parent];
      const late = asynchronous || !crossService ? 0 : spans.end[row]! - spans.end[parent]!;
      if (early > tolerance || late > tolerance) {
        add('clock-skew', t, row, [parent, row], clockSkewText(name(row), service(row), name(parent), service(parent), early > tolerance ? early : 0, late));
      }
    }

    // Inconsistent sampling.
    const rootServices = new Set(roots.map((row) => spans.service[row]!));
    const strayOrphans = roots.length > 0 ? orphans.filter((row) => !rootServices.has(spans.service[row]!)) : [];
    if (strayOrphans.length > 0) {
      const missingUnder = [...new Set(strayOrphans.map(service))];
      add('partial-sampling', t, strayOrphans[0]!, strayOrphans, partialSamplingText({ kind: 'missing-middle', services: missingUnder, rootService: service(roots[0]!) }));
    }
    const traceServiceNames = new Set(traceServices.map((s) => strings[s]!));
    for (const row of rows) {
      const peer = facts.peerService[row]!;
      if (!peer || traceServiceNames.has(peer) || !servicesInFile.has(peer)) continue;
      const hasChild = row + 1 < last && spans.parent[row + 1] === row;
      if (hasChild) continue;
      add('partial-sampling', t, row, [row], partialSamplingText({ kind: 'peer-missing', span: name(row), service: service(row), peer }));
    }
    const samplerOf = new Map<string, { sampler: string; row: number }>();
    for (const row of rows) {
      const sampler = facts.sampler[row]!;
      if (sampler && !samplerOf.has(service(row))) samplerOf.set(service(row), { sampler, row });
    }
    const distinct = new Set([...samplerOf.values()].map((v) => v.sampler));
    if (distinct.size > 1) {
      const entries = [...samplerOf.entries()];
      const firstSampler = entries[0]![1].sampler;
      const odd = entries.find(([, v]) => v.sampler !== firstSampler)!;
      add(
        'partial-sampling',
        t,
        odd[1].row,
        entries.map(([, v]) => v.row),
        partialSamplingText({ kind: 'sampler-mismatch', samplers: entries.map(([s, v]) => `${s}: ${v.sampler}`) }),
      );
    }
  }
  return problems;
}
