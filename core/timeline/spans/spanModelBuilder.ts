// Builds the span model from the records a format reader produced: groups spans by trace, resolves
// each span's parent within its trace, and lays every trace out as a waterfall (depth-first, children
// in start order, spans whose parent is missing shown as extra roots). Also returns the per-span facts
// the problem detector needs but the UI does not.

import { StringTable } from '../../../common/stringTable';
import { SpanKind, type SpanDetails, type SpanFormat, type SpanTraceModel } from './spanTraceModel';
import type { SpanRecord } from './spanRecord';
import { spanSourceLocation } from './spanSource';

export interface SpanFacts {
  /** Per row: the parent relation is asynchronous (follows-from, or a consumer). */
  readonly asyncParent: Uint8Array;
  /** Per row: Zipkin's server half of an RPC that shares its client's span ID. */
  readonly sharedWithClient: Uint8Array;
  readonly peerService: readonly string[];
  readonly sampler: readonly string[];
  /** The span names itself as its parent (or sits in a parent cycle). */
  readonly brokenParent: Uint8Array;
}

export function buildSpanModel(records: readonly SpanRecord[], format: SpanFormat): { model: Omit<SpanTraceModel, 'problems'>; facts: SpanFacts } {
  const byTrace = new Map<string, number[]>();
  let epoch: bigint | undefined;
  records.forEach((r, i) => {
    let list = byTrace.get(r.traceId);
    if (!list) byTrace.set(r.traceId, (list = []));
    list.push(i);
    if (epoch === undefined || r.start < epoch) epoch = r.start;
  });
  const base = epoch ?? 0n;
  const rel = (t: bigint) => Number(t - base);

  const n = records.length;
  const strings = new StringTable();
  const order: number[] = [];
  const parentRecord = new Int32Array(n).fill(-1);
  const brokenRecord = new Uint8Array(n);
  const depthOf = new Uint16Array(n);
  const subtreeEndOf = new Uint32Array(n);
  const traceOfRecord = new Int32Array(n);
  const traceIds: string[] = [];
  const firstSpan: number[] = [];
  const spanCount: number[] = [];
  const traceStart: number[] = [];
  const traceEnd: number[] = [];
  const traceServices: number[][] = [];
  const allServices = new Set<number>();
  const rowOfRecord = new Int32Array(n);

  for (const [traceId, members] of byTrace) {
    const t = traceIds.length;
    traceIds.push(traceId);
    // Parent lookup: children of a shared RPC hang under its server half.
    const sharedById = new Map<string, number>();
    const firstById = new Map<string, number>();
    for (const i of members) {
      const r = records[i]!;
      traceOfRecord[i] = t;
      if (r.sharedWithClient) {
        if (!sharedById.has(r.spanId)) sharedById.set(r.spanId, i);
      } else if (!firstById.has(r.spanId)) {
        firstById.set(r.spanId, i);
      }
    }
    const children = new Map<number, number[]>();
    const roots: number[] = [];
    for (const i of members) {
      const r = records[i]!;
      let parent = -1;
      if (r.sharedWithClient && firstById.has(r.spanId)) parent = firstById.get(r.spanId)!;
      else if (r.parentSpanId !== '') parent = sharedById.get(r.parentSpanId) ?? firstById.get(r.parentSpanId) ?? -1;
      if (parent === i) {
        parent = -1;
        brokenRecord[i] = 1;
      }
      parentRecord[i] = parent;
      if (parent < 0) roots.push(i);
      else {
        let list = children.get(parent);
        if (!list) children.set(parent, (list = []));
        list.push(i);
      }
    }
    const byStart = (a: number, b: number) => (records[a]!.start < records[b]!.start ? -1 : records[a]!.start > records[b]!.start ? 1 : a - b);
    roots.sort(byStart);
    for (const list of children.values()) list.sort(byStart);
    const visited = new Set<number>();
    const firstRow = order.length;
    const lay = (root: number) => {
      // Iterative depth-first walk: [record, depth, child cursor].
      const stack: [number, number, number][] = [[root, 0, 0]];
      visited.add(root);
      rowOfRecord[root] = order.length;
      depthOf[root] = 0;
      order.push(root);
      while (stack.length > 0) {
        const top = stack[stack.length - 1]!;
        const kids = children.get(top[0]);
        if (kids && top[2] < kids.length) {
          const child = kids[top[2]++]!;
          if (visited.has(child)) continue;
          visited.add(child);
          rowOfRecord[child] = order.length;
          depthOf[child] = Math.min(top[1] + 1, 65535);
          order.push(child);
          stack.push([child, top[1] + 1, 0]);
        } else {
          subtreeEndOf[top[0]] = order.length;
          stack.pop();
        }
      }
    };
    for (const root of roots) lay(root);
    // Spans in a parent cycle are reachable from no root: each becomes a root with a broken parent.
    for (const i of members) {
      if (visited.has(i)) continue;
      brokenRecord[i] = 1;
      parentRecord[i] = -1;
      lay(i);
    }
    firstSpan.push(firstRow);
    spanCount.push(members.length);
    let start = Infinity;
    let end = -Infinity;
    const services: number[] = [];
    const seen = new Set<number>();
    for (let row = firstRow; row < order.length; row++) {
      const r = records[order[row]!]!;
      start = Math.min(start, rel(r.start));
      end = Math.max(end, rel(r.end));
      const s = strings.intern(r.service);
      if (!seen.has(s)) {
        seen.add(s);
        services.push(s);
      }
      allServices.add(s);
    }
    traceStart.push(start);
    traceEnd.push(end);
    traceServices.push(services);
  }

  const trace = new Int32Array(n);
  const parent = new Int32Array(n);
  const name = new Uint32Array(n);
  const service = new Uint32Array(n);
  const kind = new Uint8Array(n);
  const status = new Uint8Array(n);
  const start = new Float64Array(n);
  const end = new Float64Array(n);
  const depth = new Uint16Array(n);
  const subtreeEnd = new Uint32Array(n);
  const spanId: string[] = new Array(n);
  const parentSpanId: string[] = new Array(n);
  const details: SpanDetails[] = new Array(n);
  const asyncParent = new Uint8Array(n);
  const sharedWithClient = new Uint8Array(n);
  const brokenParent = new Uint8Array(n);
  const peerService: string[] = new Array(n);
  const sampler: string[] = new Array(n);
  order.forEach((i, row) => {
    const r = records[i]!;
    trace[row] = traceOfRecord[i]!;
    parent[row] = parentRecord[i]! < 0 ? -1 : rowOfRecord[parentRecord[i]!]!;
    name[row] = strings.intern(r.name);
    service[row] = strings.intern(r.service);
    kind[row] = r.kind;
    status[row] = r.status;
    start[row] = rel(r.start);
    end[row] = rel(r.end);
    depth[row] = depthOf[i]!;
    subtreeEnd[row] = subtreeEndOf[i]!;
    spanId[row] = r.spanId;
    parentSpanId[row] = r.parentSpanId;
    asyncParent[row] = r.asyncParent || r.kind === SpanKind.Consumer ? 1 : 0;
    sharedWithClient[row] = r.sharedWithClient ? 1 : 0;
    brokenParent[row] = brokenRecord[i]!;
    peerService[row] = r.peerService;
    sampler[row] = r.sampler;
    details[row] = {
      attributes: r.attributes,
      resource: r.resource,
      scope: r.scope,
      events: r.events.map((e) => ({ time: rel(e.time), name: e.name, attributes: e.attributes })),
      links: r.links,
      statusMessage: r.statusMessage,
      source: spanSourceLocation(r.attributes),
    };
  });

  return {
    model: {
      kind: 'spans',
      format,
      epochUnixNano: base.toString(),
      strings: strings.strings,
      spans: { count: n, trace, spanId, parentSpanId, parent, name, service, kind, status, start, end, depth, subtreeEnd, details },
      traces: {
        count: traceIds.length,
        traceId: traceIds,
        firstSpan: Uint32Array.from(firstSpan),
        spanCount: Uint32Array.from(spanCount),
        start: Float64Array.from(traceStart),
        end: Float64Array.from(traceEnd),
        services: traceServices,
      },
      services: [...allServices],
    },
    facts: { asyncParent, sharedWithClient, peerService, sampler, brokenParent },
  };
}
