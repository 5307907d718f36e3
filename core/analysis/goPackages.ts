// Import paths the rules recognise. Tracer APIs are recognised by import path (whatever the file calls them),
// never by the local package name alone.

export const CONTEXT_PKG = 'context';
export const HTTP_PKG = 'net/http';
export const SQL_PKG = 'database/sql';
export const SYNC_PKG = 'sync';
export const STRINGS_PKG = 'strings';
export const RUNTIME_TRACE_PKG = 'runtime/trace';
export const ERRGROUP_PKG = 'golang.org/x/sync/errgroup';

export const OTEL_PKG = 'go.opentelemetry.io/otel';
export const OTEL_TRACE_PKG = 'go.opentelemetry.io/otel/trace';
export const OTEL_SDK_TRACE_PKG = 'go.opentelemetry.io/otel/sdk/trace';
export const OTEL_BAGGAGE_PKG = 'go.opentelemetry.io/otel/baggage';
export const OPENTRACING_PKG = 'github.com/opentracing/opentracing-go';
export const JAEGER_PKG = 'github.com/uber/jaeger-client-go';
export const JAEGER_CONFIG_PKG = 'github.com/uber/jaeger-client-go/config';
export const DATADOG_TRACER_PKGS: readonly string[] = [
  'gopkg.in/DataDog/dd-trace-go.v1/ddtrace/tracer',
  'github.com/DataDog/dd-trace-go/v2/ddtrace/tracer',
];
export const GRPC_PKG = 'google.golang.org/grpc';
export const GRPC_METADATA_PKG = 'google.golang.org/grpc/metadata';

/**
 * Imports that make a file worth a full analysis. A file that imports none of these cannot spell a
 * context.Context, an *http.Request, a tracer, a database/sql value or a sampler, so no rule can report in it
 * (its functions still go into the workspace index). Prefixes end with '/'.
 */
const RELEVANT_PATHS: ReadonlySet<string> = new Set([
  CONTEXT_PKG, HTTP_PKG, SQL_PKG, RUNTIME_TRACE_PKG, OPENTRACING_PKG, JAEGER_PKG, GRPC_PKG, ...DATADOG_TRACER_PKGS,
]);
const RELEVANT_PREFIXES: readonly string[] = [
  'go.opentelemetry.io/', 'github.com/opentracing/', 'github.com/uber/jaeger-client-go/', 'google.golang.org/grpc/',
  'gopkg.in/DataDog/', 'github.com/DataDog/dd-trace-go/',
];

/** True when one of `importPaths` can lead to a finding (see RELEVANT_PATHS). */
export function hasRelevantImport(importPaths: Iterable<string>): boolean {
  for (const path of importPaths) {
    if (RELEVANT_PATHS.has(path)) return true;
    for (const prefix of RELEVANT_PREFIXES) if (path.startsWith(prefix)) return true;
  }
  return false;
}
