// The context-chain rule catalogue: ids (part of the public interface: diagnostics' `code`, suppression
// comments, CLI `--rule`, settings, SARIF), titles, descriptions, default severities and the documentation
// file of each rule.

export type Severity = 'error' | 'warning' | 'information' | 'hint';

export interface RuleInfo {
  readonly id: RuleId;
  /** One line: what the rule finds. */
  readonly title: string;
  /** A paragraph: what is found and what it breaks in the trace (SARIF fullDescription, help). */
  readonly description: string;
  readonly defaultSeverity: Severity;
  /** Whether diagnostics of this rule offer a quick fix. */
  readonly hasFix: boolean;
}

export const RULE_IDS = [
  'goroutine-background',
  'non-inherited-context',
  'handler-root-context',
  'context-not-propagated',
  'root-span-in-request',
  'span-context-discarded',
  'span-not-ended',
  'sql-without-context',
  'http-without-context',
  'call-chain-break',
  'sampler-not-parent-based',
  'context-in-pool',
  'propagator-not-set',
  'client-not-instrumented',
  'mixed-propagators',
] as const;

export type RuleId = (typeof RULE_IDS)[number];

export const RULES: Readonly<Record<RuleId, RuleInfo>> = {
  'goroutine-background': {
    id: 'goroutine-background',
    title: 'A goroutine starts from a root context while the request context is in scope',
    description:
      'Work started with go, errgroup.Go or WaitGroup.Go uses context.Background() or context.TODO() although a context ' +
      'is in scope: its spans start a new trace ("ghost requests") and it ignores the request\'s cancellation.',
    defaultSeverity: 'warning',
    hasFix: true,
  },
  'non-inherited-context': {
    id: 'non-inherited-context',
    title: 'A root context is used where an inherited context is in scope',
    description:
      'context.Background() or context.TODO() is passed on, or used as the base of a With* context, in a function that ' +
      'has a context: everything below it starts a new trace and ignores the caller\'s deadline and cancellation.',
    defaultSeverity: 'warning',
    hasFix: true,
  },
  'handler-root-context': {
    id: 'handler-root-context',
    title: 'An HTTP handler or middleware builds a context from a root instead of r.Context()',
    description:
      'In an HTTP handler or middleware, a context (or a span) is built from context.Background()/TODO() instead of ' +
      'r.Context(): the incoming trace headers extracted into the request context are dropped, so the server span and ' +
      'everything below it are cut off from the caller\'s trace.',
    defaultSeverity: 'warning',
    hasFix: true,
  },
  'context-not-propagated': {
    id: 'context-not-propagated',
    title: 'A middleware or gRPC interceptor derives a context but passes the original on',
    description:
      'A middleware derives a new context but calls next.ServeHTTP(w, r) with the original request, a gRPC ' +
      'interceptor starts a span and calls handler(ctx, req) with the parent context, or a gin, echo or fiber middleware ' +
      'starts a span and runs the next handler without putting its context back on the request: the handlers below never ' +
      'see the new values, deadline or span, so their spans attach to the wrong parent.',
    defaultSeverity: 'warning',
    hasFix: true,
  },
  'root-span-in-request': {
    id: 'root-span-in-request',
    title: 'A span is started without a parent while a context is in scope',
    description:
      'tracer.StartSpan("x") / opentracing.StartSpan without ChildOf (or StartSpanFromContext) while a request context ' +
      'is in scope: the span is the root of a new trace instead of a child of the request\'s span.',
    defaultSeverity: 'warning',
    hasFix: true,
  },
  'span-context-discarded': {
    id: 'span-context-discarded',
    title: 'The context returned with a new span is discarded or lost',
    description:
      'The context returned by tracer.Start (or StartSpanFromContext, trace.NewTask) is thrown away with _, shadowed in ' +
      'an inner block, or dropped by a helper that returns only the span, and later work passes the old context on: ' +
      'those children attach to the parent instead of the new span.',
    defaultSeverity: 'warning',
    hasFix: true,
  },
  'span-not-ended': {
    id: 'span-not-ended',
    title: 'A span is not ended on every path',
    description:
      'A span from Start/StartSpan (or a runtime/trace task or region) is not ended on every path: no defer ' +
      'span.End()/Finish(), not returned, not handed on. An unended span is never exported, so the trace shows a hole ' +
      'where it should be and its children become orphans.',
    defaultSeverity: 'warning',
    hasFix: true,
  },
  'sql-without-context': {
    id: 'sql-without-context',
    title: 'database/sql is called without its Context variant while a context is in scope',
    description:
      'Query, QueryRow, Exec, Prepare, Begin or Ping on a database/sql value while a context is in scope: the database ' +
      'call carries no trace (instrumented drivers cannot attach a span) and is not cancelled with the request.',
    defaultSeverity: 'warning',
    hasFix: true,
  },
  'http-without-context': {
    id: 'http-without-context',
    title: 'An outgoing HTTP request is made without the context in scope',
    description:
      'http.NewRequest, http.Get/Head/Post/PostForm or client.Get/Head/Post/PostForm while a context is in scope: the ' +
      'outgoing request carries no trace headers, so the downstream service starts a new trace.',
    defaultSeverity: 'warning',
    hasFix: true,
  },
  'call-chain-break': {
    id: 'call-chain-break',
    title: 'A call to a function that takes no context and creates its own root context',
    description:
      'A function with a context in scope calls a workspace function that takes no context and (directly or through ' +
      'the functions it calls) creates a root context: the chain is cut at that call, and everything traced below it ' +
      'belongs to a new trace.',
    defaultSeverity: 'warning',
    hasFix: false,
  },
  'sampler-not-parent-based': {
    id: 'sampler-not-parent-based',
    title: 'A sampler that ignores the parent\'s sampling decision',
    description:
      'An OpenTelemetry TraceIDRatioBased sampler not wrapped in ParentBased, NeverSample(), a hand-written sampler that ' +
      'ignores the parent\'s decision and drops spans on its own, or a Jaeger client const sampler with param 0: services ' +
      'decide independently (or never sample), so traces arrive with holes or not at all.',
    defaultSeverity: 'information',
    hasFix: true,
  },
  'context-in-pool': {
    id: 'context-in-pool',
    title: 'A sync.Pool whose objects carry a context',
    description:
      'A sync.Pool whose objects carry a context.Context (or a span): a pooled object handed to the next request still ' +
      'holds the previous request\'s context, so its spans join the wrong trace and its cancellation leaks.',
    defaultSeverity: 'information',
    hasFix: false,
  },
  'propagator-not-set': {
    id: 'propagator-not-set',
    title: 'A program sets a tracer provider but never a propagator',
    description:
      'A program (a main package and the workspace packages it imports) calls otel.SetTracerProvider and relies on the ' +
      'global propagator (otelhttp, otelgrpc or other OpenTelemetry instrumentation, otel.GetTextMapPropagator()) but never ' +
      'calls otel.SetTextMapPropagator: the global propagator is a no-op, so no traceparent header is sent or read and every ' +
      'service starts new traces ("ghost requests").',
    defaultSeverity: 'warning',
    hasFix: true,
  },
  'client-not-instrumented': {
    id: 'client-not-instrumented',
    title: 'An outgoing client sends no trace headers in a program that traces',
    description:
      'In a program instrumented with OpenTelemetry, a gRPC client connection without otelgrpc\'s client handler or ' +
      'interceptors, or an http.Client with a plain transport that sends requests on behalf of traced requests (with no ' +
      'manual Inject): the requests carry no trace context, so the service they reach starts a new trace.',
    defaultSeverity: 'warning',
    hasFix: true,
  },
  'mixed-propagators': {
    id: 'mixed-propagators',
    title: 'Services of the workspace install propagators that cannot read each other',
    description:
      'Two programs of the workspace install propagation formats with nothing in common (B3 in one, W3C trace context in ' +
      'another, Jaeger\'s uber-trace-id in a third): a request from one to the other arrives with headers the receiver ' +
      'does not read, so the trace breaks between them.',
    defaultSeverity: 'warning',
    hasFix: true,
  },
};

export function isRuleId(value: string): value is RuleId {
  return (RULE_IDS as readonly string[]).includes(value);
}

/** Path of a rule's documentation, relative to the extension's (or repository's) root folder. */
export function ruleDocPath(id: RuleId): string {
  return `docs/rules/${id}.md`;
}

/** Where the rule documentation is published (package.json's repository, docs/rules on the main branch). */
export const RULE_DOCS_BASE_URL = 'https://example.invalid/go-trace-lens/blob/main/docs/rules';

/** An absolute https link to a rule's documentation (SARIF helpUri, terminal output). */
export function ruleHelpUri(id: RuleId): string {
  return `${RULE_DOCS_BASE_URL}/${id}.md`;
}
