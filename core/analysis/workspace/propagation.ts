// What a Go file does about trace propagation, read by the workspace lexer (goSummary.ts) for the rules that
// judge a whole program: propagator-not-set (a tracer provider but no propagator, while instrumentation relies
// on the global one), mixed-propagators (services that cannot read each other's headers) and
// client-not-instrumented (a client without trace headers in a program that instruments the rest).
// Token-level facts only: the calls and composite literals of a few packages, and some imports.

/** A propagation format: what goes on the wire. `baggage` carries no trace. */
export type PropagationFormat = 'tracecontext' | 'baggage' | 'b3' | 'jaeger' | 'ot' | 'xray';

/** Formats that carry the trace (a reader of one of them joins the trace). */
export const TRACE_FORMATS: readonly PropagationFormat[] = ['tracecontext', 'b3', 'jaeger', 'ot', 'xray'];

/** How each format is named to a Go engineer (header names). */
export const FORMAT_NAMES: Readonly<Record<PropagationFormat, string>> = {
  tracecontext: 'W3C trace context (traceparent)',
  baggage: 'W3C baggage',
  b3: 'B3 (X-B3-*/b3)',
  jaeger: "Jaeger's uber-trace-id",
  ot: 'OpenTracing ot-tracer-*',
  xray: 'AWS X-Ray (X-Amzn-Trace-Id)',
};

export const OTEL = 'go.opentelemetry.io/otel';
export const OTEL_PROPAGATION = 'go.opentelemetry.io/otel/propagation';
export const OTELGRPC = 'go.opentelemetry.io/contrib/instrumentation/google.golang.org/grpc/otelgrpc';
export const OTELHTTP = 'go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp';

/** The constructors of each propagator package, and the format each makes (null: not readable, e.g. from the environment). */
const CONSTRUCTORS: ReadonlyMap<string, Readonly<Record<string, PropagationFormat | null>>> = new Map<string, Record<string, PropagationFormat | null>>([
  [OTEL_PROPAGATION, { TraceContext: 'tracecontext', Baggage: 'baggage' }],
  ['go.opentelemetry.io/contrib/propagators/b3', { New: 'b3' }],
  ['go.opentelemetry.io/contrib/propagators/jaeger', { Jaeger: 'jaeger' }],
  ['go.opentelemetry.io/contrib/propagators/ot', { OT: 'ot' }],
  ['go.opentelemetry.io/contrib/propagators/aws/xray', { Propagator: 'xray' }],
  ['go.opentelemetry.io/contrib/propagators/autoprop', { NewTextMapPropagator: null }],
  ['go.opentelemetry.io/contrib/propagators/opencensus', { Binary: null }],
]);

/** Calls inside a SetTextMapPropagator argument that combine propagators without being one. */
const COMBINERS: ReadonlySet<string> = new Set([`${OTEL_PROPAGATION}\u0000NewCompositeTextMapPropagator`]);

export interface SiteSummary {
  /** 0-based line and UTF-16 columns of the call's function expression (`otel.SetTracerProvider`). */
  readonly line: number;
  readonly character: number;
  readonly endCharacter: number;
}

export interface PropagatorSetting {
  readonly site: SiteSummary;
  /** The formats it installs, or undefined when they cannot be read here (a propagator from elsewhere). */
  readonly formats?: readonly PropagationFormat[];
}

export interface PropagationSummary {
  /** `otel.SetTracerProvider(…)` calls. */
  readonly tracerProviders?: readonly SiteSummary[];
  /** `otel.SetTextMapPropagator(…)` calls. */
  readonly propagators?: readonly PropagatorSetting[];
  /** Injects or extracts through the global propagator: OpenTelemetry instrumentation, `otel.GetTextMapPropagator()`. */
  readonly usesGlobalPropagator?: boolean;
  /**
   * Handles propagation some way a token cannot judge: instrumentation given its own propagators
   * (`WithPropagators`), or propagators built outside a SetTextMapPropagator call.
   */
  readonly configuresPropagation?: boolean;
  /** Imports OpenTelemetry's gRPC instrumentation (a server or client handler, interceptors). */
  readonly instrumentsGrpc?: boolean;
  /** Imports OpenTelemetry's HTTP instrumentation (otelhttp or a framework's middleware). */
  readonly instrumentsHttp?: boolean;
  /** Replaces `http.DefaultTransport` or `http.DefaultClient` (or its Transport): default clients may be instrumented. */
  readonly replacesDefaultTransport?: boolean;
  /** Formats sent by a tracer that is not OpenTelemetry's: Jaeger's Go client (uber-trace-id), zipkin-go (B3). */
  readonly legacyTracers?: readonly PropagationFormat[];
}

/** Tracer libraries whose wire format is fixed unless configured: their import path prefix and format. */
const LEGACY_TRACERS: readonly (readonly [string, PropagationFormat])[] = [
  ['github.com/uber/jaeger-client-go', 'jaeger'],
  ['github.com/openzipkin/zipkin-go', 'b3'],
];

/** Imports that re-configure a legacy tracer's format (Jaeger's client speaking B3): its format is not known. */
const LEGACY_FORMAT_SWITCHES: readonly string[] = ['github.com/uber/jaeger-client-go/zipkin', 'github.com/openzipkin-contrib/zipkin-go-opentracing'];

const INSTRUMENTATION_PREFIX = 'go.opentelemetry.io/contrib/instrumentation/';

/**
 * The instrumentation packages that carry a trace between processes with the global propagator: HTTP and
 * gRPC clients and servers, web frameworks' middleware, Lambda handlers, Kafka. Not the instrumentation of
 * databases and cloud SDKs (otelaws, otelmongo…: their peers join no trace from these headers) nor runtime
 * or host metrics.
 */
const PROPAGATING = /\/(otelhttp|otelhttptrace|otelgrpc|otelgin|otelmux|otelecho|otelrestful|otelmacaron|otelbeego|otelfiber|otellambda|otelsarama|otelkafka|otelconfluent)(\/|$)/;

/** The propagating instrumentation that carries HTTP requests (clients, servers, web frameworks). */
const HTTP_INSTRUMENTATION: ReadonlySet<string> = new Set(['otelhttp', 'otelhttptrace', 'otelgin', 'otelmux', 'otelecho', 'otelrestful', 'otelmacaron', 'otelbeego', 'otelfiber']);

function isInstrumentation(path: string): boolean {
  return path.startsWith(INSTRUMENTATION_PREFIX);
}

/** The propagating instrumentation an import path belongs to (`otelhttp`), or undefined. */
export function propagatingInstrumentation(path: string): string | undefined {
  if (!isInstrumentation(path)) return undefined;
  return PROPAGATING.exec(path)?.[1];
}

/** Whether a package is OpenTelemetry instrumentation that does not propagate (its own use of the global propagator does not count). */
export function isNonPropagatingInstrumentation(importPath: string | undefined): boolean {
  return !!importPath && isInstrumentation(importPath) && !propagatingInstrumentation(importPath);
}

interface OpenSetting {
  readonly site: SiteSummary;
  /** openCalls.length once the call's parenthesis is open. */
  readonly depth: number;
  /** Offset just after the call's `(`. */
  readonly argsStart: number;
}

/** Collects a file's propagation facts while goSummary's lexer walks it. */
export class PropagationCollector {
  private readonly tracerProviders: SiteSummary[] = [];
  private readonly propagators: PropagatorSetting[] = [];
  private usesGlobal = false;
  private configures = false;
  private grpc = false;
  private http = false;
  private replacesDefault = false;
  private readonly legacy = new Set<PropagationFormat>();
  private legacyUnknown = false;
  private open: OpenSetting | undefined;
  /** A SetTextMapPropagator call is open: the lexer reports closing parentheses (onCallClosed). */
  awaitingClose = false;
  /** Formats constructed in the current function (a propagator built into a variable, then installed). */
  private functionFormats = new Set<PropagationFormat>();
  private functionUnknown = false;

  constructor(private readonly source: string, private readonly aliasToPath: ReadonlyMap<string, string>) {}

  onImport(path: string): void {
    const instrumentation = propagatingInstrumentation(path);
    if (instrumentation) {
      this.usesGlobal = true;
      if (instrumentation === 'otelgrpc') this.grpc = true;
      else if (HTTP_INSTRUMENTATION.has(instrumentation)) this.http = true;
    }
    for (const [prefix, format] of LEGACY_TRACERS) if (path === prefix || path.startsWith(`${prefix}/`)) this.legacy.add(format);
    if (LEGACY_FORMAT_SWITCHES.some((p) => path === p || path.startsWith(`${p}/`))) this.legacyUnknown = true;
  }

  onFunctionStart(): void {
    this.functionFormats = new Set();
    this.functionUnknown = false;
    this.open = undefined;
    this.awaitingClose = false;
  }

  /**
   * A qualified name `pkg.Member` followed by `(` or `{`, with `pkg` imported from `path`; `site` spans
   * `pkg.Member`, `argsStart` is the offset after the `(` and `depth` the open calls once it is open.
   */
  onQualified(path: string, member: string, site: SiteSummary, call: boolean, argsStart: number, depth: number): void {
    const constructors = CONSTRUCTORS.get(path);
    if (constructors && Object.hasOwn(constructors, member)) {
      this.configures = true;
      const format = constructors[member];
      if (format) this.functionFormats.add(format);
      else this.functionUnknown = true;
      return;
    }
    if (!call) return;
    if (member === 'WithPropagators' && isInstrumentation(path)) this.configures = true;
    if (path !== OTEL) return;
    if (member === 'SetTracerProvider') this.tracerProviders.push(site);
    else if (member === 'GetTextMapPropagator') this.usesGlobal = true;
    else if (member === 'SetTextMapPropagator' && !this.open) {
      this.open = { site, depth, argsStart };
      this.awaitingClose = true;
    }
  }

  /** `http.DefaultTransport = …`, `http.DefaultClient = …`, `http.DefaultClient.Transport = …`. */
  onDefaultTransportAssigned(): void {
    this.replacesDefault = true;
  }

  /** A `)` closed a call: openCalls.length is now `depth`, and the `)` starts at `end`. */
  onCallClosed(depth: number, end: number): void {
    const open = this.open;
    if (!open || depth >= open.depth) return;
    this.open = undefined;
    this.awaitingClose = false;
    const formats = this.readFormats(this.source.slice(open.argsStart, end));
    this.propagators.push(formats ? { site: open.site, formats } : { site: open.site });
  }

  /** The formats named by a SetTextMapPropagator argument, or undefined when it names something else too. */
  private readFormats(args: string): PropagationFormat[] | undefined {
    const formats = new Set<PropagationFormat>();
    let rest = args.replace(/\/\/[^\n]*|\/\*[\s\S]*?\*\//g, ' ');
    let unknown = false;
    rest = rest.replace(/([A-Za-z_]\w*)\s*\.\s*([A-Za-z_]\w*)/g, (_all, qualifier: string, member: string) => {
      const path = this.aliasToPath.get(qualifier);
      const format = path ? CONSTRUCTORS.get(path)?.[member] : undefined;
      if (format) formats.add(format);
      else if (!(path && COMBINERS.has(`${path}\u0000${member}`))) unknown = true;
      return ' ';
    });
    // What is left besides punctuation is a variable (or a local constructor): the function's own propagators.
    if (/[A-Za-z_]/.test(rest)) {
      if (this.functionUnknown || this.functionFormats.size === 0) return undefined;
      for (const f of this.functionFormats) formats.add(f);
    }
    if (unknown || formats.size === 0) return undefined;
    return [...formats].sort();
  }

  result(): PropagationSummary | undefined {
    const legacy = this.legacyUnknown || this.legacy.size !== 1 ? [] : [...this.legacy];
    const summary: PropagationSummary = {
      ...(this.tracerProviders.length ? { tracerProviders: this.tracerProviders } : {}),
      ...(this.propagators.length ? { propagators: this.propagators } : {}),
      ...(this.usesGlobal ? { usesGlobalPropagator: true } : {}),
      ...(this.configures ? { configuresPropagation: true } : {}),
      ...(this.grpc ? { instrumentsGrpc: true } : {}),
      ...(this.http ? { instrumentsHttp: true } : {}),
      ...(this.replacesDefault ? { replacesDefaultTransport: true } : {}),
      ...(legacy.length ? { legacyTracers: legacy } : {}),
    };
    return Object.keys(summary).length ? summary : undefined;
  }
}

/** Whether two summaries say the same (for the index: an edit that changes none keeps its answers). */
export function samePropagation(a: PropagationSummary | undefined, b: PropagationSummary | undefined): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}
