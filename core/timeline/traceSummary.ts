// One-screen summaries of decoded traces: the numbers `go-trace-lens trace summary` prints (as JSON or
// text), in the shape the CLI section fixes.

import { EVENT_KIND_NAMES } from './execution/eventTable';
import type { ExecutionTraceModel } from './execution/executionTraceModel';
import { formatDuration } from './spans/problemExplanations';
import { spanFormatName } from './spans/parseSpanTrace';
import type { SpanProblemType, SpanTraceModel } from './spans/spanTraceModel';

export interface ExecutionTraceSummary {
  readonly kind: 'go-execution-trace';
  readonly goVersion: string;
  readonly durationNs: number;
  /** Every event Go's reader reports (`go tool trace -d=1` lists the same number). */
  readonly events: number;
  readonly goroutines: number;
  readonly procs: number;
  readonly tasks: number;
  readonly regions: number;
  readonly logs: number;
}

export interface SpanTraceSummary {
  readonly kind: 'spans';
  readonly format: SpanTraceModel['format'];
  readonly traces: number;
  readonly spans: number;
  readonly services: number;
  readonly problems: readonly { readonly type: SpanProblemType; readonly traceId: string; readonly spanId: string }[];
}

export function summarizeExecutionTrace(model: ExecutionTraceModel): ExecutionTraceSummary {
  return {
    kind: 'go-execution-trace',
    goVersion: model.goVersion,
    durationNs: model.endNs - model.startNs,
    events: model.events.count,
    goroutines: model.goroutines.count,
    procs: model.procs.count,
    tasks: model.tasks.count,
    regions: model.regions.count,
    logs: model.logs.count,
  };
}

export function summarizeSpanTrace(model: SpanTraceModel): SpanTraceSummary {
  return {
    kind: 'spans',
    format: model.format,
    traces: model.traces.count,
    spans: model.spans.count,
    services: model.services.length,
    problems: model.problems.map((p) => ({ type: p.type, traceId: p.traceId, spanId: p.spanId })),
  };
}

export function describeExecutionTrace(model: ExecutionTraceModel): string {
  const s = summarizeExecutionTrace(model);
  const kinds = new Array<number>(EVENT_KIND_NAMES.length).fill(0);
  for (let i = 0; i < model.events.count; i++) kinds[model.events.kind[i]!]!++;
  const byKind = EVENT_KIND_NAMES.map((name, k) => [name, kinds[k]!] as const)
    .filter(([, n]) => n > 0)
    .map(([name, n]) => `${name} ${n}`)
    .join(', ');
  const lines = [
    `Go execution trace, Go ${s.goVersion} format, ${formatDuration(s.durationNs)}, ${model.generations} generation${model.generations === 1 ? '' : 's'}`,
    `  events      ${s.events} (${byKind})`,
    `  goroutines  ${s.goroutines}`,
    `  procs       ${s.procs}`,
    `  tasks       ${s.tasks}`,
    `  regions     ${s.regions}`,
    `  logs        ${s.logs}`,
  ];
  if (model.incomplete) lines.push(`  incomplete: ${model.incomplete.message}`);
  return lines.join('\n') + '\n';
}

export function describeSpanTrace(model: SpanTraceModel): string {
  const s = summarizeSpanTrace(model);
  const lines = [`${spanFormatName(s.format)}: ${s.traces} trace${s.traces === 1 ? '' : 's'}, ${s.spans} span${s.spans === 1 ? '' : 's'}, ${s.services} service${s.services === 1 ? '' : 's'}`];
  if (model.problems.length === 0) lines.push('No broken chains found.');
  else lines.push(`${model.problems.length} problem${model.problems.length === 1 ? '' : 's'}:`);
  for (const p of model.problems) {
    lines.push(`  ${p.type}  trace ${p.traceId}  span ${p.spanId}`);
    lines.push(`    ${p.title}`);
  }
  return lines.join('\n') + '\n';
}
