// The words of the problems panel: for each kind of broken chain ("ghost request"), a one-line title
// and the likely cause in the terms Go developers meet it (a context that was not propagated, a new
// root context, headers that were not injected, a sampler that is not parent-based), with what to change.

import type { SpanProblemType } from './spanTraceModel';

export interface ProblemText {
  readonly title: string;
  readonly explanation: string;
}

function quote(name: string): string {
  return `"${name}"`;
}

export function formatDuration(ns: number): string {
  const abs = Math.abs(ns);
  if (abs >= 1e9) return `${(ns / 1e9).toFixed(abs >= 1e10 ? 1 : 2)} s`;
  if (abs >= 1e6) return `${(ns / 1e6).toFixed(abs >= 1e7 ? 1 : 2)} ms`;
  if (abs >= 1e3) return `${(ns / 1e3).toFixed(abs >= 1e4 ? 1 : 2)} µs`;
  return `${ns} ns`;
}

export function orphanText(span: string, service: string, parentId: string): ProblemText {
  return {
    title: `Span ${quote(span)} (${service}) names parent ${parentId}, which is not in this trace`,
    explanation:
      `A "ghost request": the chain breaks above this span. Its parent was made but never reached the trace. ` +
      `Likely causes: the parent span was never ended (a missing \`defer span.End()\`, and spans are only exported when they end); ` +
      `the parent's service dropped it, because its sampler is not parent-based (it re-decides instead of following the caller, see sdktrace.ParentBased) ` +
      `or because its exporter sends to a wrong collector/agent address, where spans are discarded without an error; ` +
      `or only part of the trace was exported or downloaded. Look at the service that calls ${service} for ${quote(span)}.`,
  };
}

export function multipleRootsText(rootCount: number, span: string, service: string): ProblemText {
  return {
    title: `This trace has ${rootCount} root spans; ${quote(span)} (${service}) is one of them`,
    explanation:
      `These spans share the trace ID but name no parent, so one request shows up as several. ` +
      `The trace ID was propagated but the parent span ID was not: the caller injected only part of the context into the request headers, ` +
      `or the services use different propagation formats (B3 on one side, W3C traceparent on the other) and the receiver could not read the parent, ` +
      `or the code started this span from a new root context instead of the request's ctx. ` +
      `Use the same propagator in every service (otel.SetTextMapPropagator), inject with otelhttp.NewTransport, and start spans from r.Context().`,
  };
}

export function disconnectedServiceText(service: string, spanCount: number): ProblemText {
  return {
    title: `Service ${service} is in this trace but connected to no other service (${spanCount} span${spanCount === 1 ? '' : 's'})`,
    explanation:
      `None of ${service}'s spans is the parent or the child of another service's span: in the call graph it is an isolated node, a "ghost request". ` +
      `The call into ${service} did not carry the caller's span context: the caller's HTTP client did not inject the trace headers ` +
      `(use otelhttp.NewTransport, or propagator.Inject into the request headers), or ${service} did not extract them ` +
      `(wrap its handler with otelhttp.NewHandler and start spans from r.Context(), not context.Background()), ` +
      `or the spans that connected it were dropped (see the orphan and partial-sampling problems of this trace).`,
  };
}

export function clockSkewText(child: string, childService: string, parent: string, parentService: string, startsEarlyBy: number, endsLateBy: number): ProblemText {
  const what = startsEarlyBy > 0 ? `starts ${formatDuration(startsEarlyBy)} before` : `ends ${formatDuration(endsLateBy)} after`;
  const cause =
    childService !== parentService
      ? `The spans were timed on different hosts (${parentService} and ${childService}) whose clocks disagree: the child cannot run outside its parent, so one clock is off. Keep the hosts' clocks in sync (NTP or chrony); the durations within each span stay right.`
      : `Both spans come from ${childService}, so one clock timed them: the child was given an explicit start or end time, ` +
        `or it kept running after its parent ended — typically a goroutine that outlives the request it was started for. ` +
        `If the work really continues after the response, give it its own span linked to the request (trace.WithLinks) instead of a child span.`;
  return {
    title: `Span ${quote(child)} (${childService}) ${what} its parent ${quote(parent)} (${parentService})`,
    explanation: cause,
  };
}

export function partialSamplingText(detail: { kind: 'missing-middle'; services: string[]; rootService: string } | { kind: 'peer-missing'; span: string; service: string; peer: string } | { kind: 'sampler-mismatch'; samplers: string[] }): ProblemText {
  const advice =
    `Services of one trace must make one sampling decision: the root decides, and every other service follows it. ` +
    `Use a parent-based sampler everywhere (sdktrace.ParentBased(...) in the OpenTelemetry Go SDK); a probabilistic or rate-limiting sampler ` +
    `that decides again in each service keeps some services' spans and drops others', and the chain shows gaps.`;
  switch (detail.kind) {
    case 'missing-middle':
      return {
        title: `Spans are missing between ${detail.rootService} and ${detail.services.join(', ')}`,
        explanation: `The trace starts in ${detail.rootService}, and ${detail.services.join(', ')} recorded spans under parents that are not in it: the services in between did not keep their part of this trace. ${advice}`,
      };
    case 'peer-missing':
      return {
        title: `${quote(detail.span)} (${detail.service}) calls ${detail.peer}, which recorded nothing in this trace`,
        explanation: `${detail.peer} records spans in other traces of this file, but none in this one, although ${detail.service} called it here. ${advice}`,
      };
    case 'sampler-mismatch':
      return {
        title: `The services of this trace sample differently (${detail.samplers.join('; ')})`,
        explanation: `Mixed samplers keep a trace in one service and drop it in another. ${advice}`,
      };
  }
}

export function duplicateSpanIdText(spanId: string, count: number, services: string[]): ProblemText {
  return {
    title: `${count} spans in this trace have the same span ID ${spanId} (${services.join(', ')})`,
    explanation:
      `Span IDs must be unique within a trace; with duplicates, children attach to the wrong span. ` +
      `A span reported twice (an exporter retry, or two exporters sending the same span) gives identical copies; ` +
      `different spans with one ID come from code that builds span contexts by hand and reuses an ID (a fixed or copied SpanContext), ` +
      `or from a propagation bug that hands the caller's span ID to a new span instead of making a child.`,
  };
}

export const PROBLEM_TYPES: readonly SpanProblemType[] = ['orphan', 'multiple-roots', 'disconnected-service', 'clock-skew', 'partial-sampling', 'duplicate-span-id'];
