// What kind of value a Go type or declaration holds, as far as the rules care: a context, an incoming request,
// a span, a database/sql handle, an HTTP client, a tracer, a gRPC handler… Decided from syntax and imports only
// (there is no type checker here), so a kind is only claimed where the spelling leaves no doubt.

import type { SyntaxNode } from './goParser';
import type { GoFile } from './goFile';
import {
  CONTEXT_PKG, GRPC_PKG, HTTP_PKG, OPENTRACING_PKG, OTEL_TRACE_PKG, SQL_PKG,
} from './goPackages';

export type ValueKind =
  | 'context' // a context that continues the caller's chain
  | 'rootContext' // a context built from context.Background()/TODO()
  | 'request' // an *http.Request (its Context() carries the incoming trace)
  | 'span' // a span, task or region
  | 'sql' // *sql.DB, *sql.Tx, *sql.Conn, *sql.Stmt
  | 'httpClient' // *http.Client
  | 'otelTracer' // an OpenTelemetry trace.Tracer
  | 'otTracer' // an OpenTracing (or Jaeger) tracer
  | 'grpcUnaryHandler' // the handler argument of a gRPC unary interceptor
  | 'httpHandler' // an http.Handler (next.ServeHTTP)
  | 'httpHandlerFunc' // an http.HandlerFunc (next(w, r))
  | 'other';

const SQL_TYPES: ReadonlySet<string> = new Set(['DB', 'Tx', 'Conn', 'Stmt']);

/** The kind of value a declared type holds, or undefined when it is none the rules track. */
export function kindOfType(file: GoFile, typeNode: SyntaxNode | null): ValueKind | undefined {
  if (!typeNode) return undefined;
  if (typeNode.type === 'pointer_type') {
    const pointee = typeNode.namedChild(0);
    if (!pointee) return undefined;
    if (file.isPackageType(pointee, HTTP_PKG, 'Request')) return 'request';
    if (file.isPackageType(pointee, HTTP_PKG, 'Client')) return 'httpClient';
    if (isSqlType(file, pointee)) return 'sql';
    return undefined;
  }
  if (typeNode.type !== 'qualified_type' && typeNode.type !== 'type_identifier') return undefined;
  if (file.isPackageType(typeNode, CONTEXT_PKG, 'Context')) return 'context';
  if (file.isPackageType(typeNode, HTTP_PKG, 'Client')) return 'httpClient';
  if (file.isPackageType(typeNode, HTTP_PKG, 'Handler')) return 'httpHandler';
  if (file.isPackageType(typeNode, HTTP_PKG, 'HandlerFunc')) return 'httpHandlerFunc';
  if (file.isPackageType(typeNode, OTEL_TRACE_PKG, 'Tracer')) return 'otelTracer';
  if (file.isPackageType(typeNode, OPENTRACING_PKG, 'Tracer')) return 'otTracer';
  if (file.isPackageType(typeNode, OTEL_TRACE_PKG, 'Span') || file.isPackageType(typeNode, OPENTRACING_PKG, 'Span')) return 'span';
  if (file.isPackageType(typeNode, GRPC_PKG, 'UnaryHandler')) return 'grpcUnaryHandler';
  if (isSqlType(file, typeNode)) return 'sql';
  return undefined;
}

function isSqlType(file: GoFile, typeNode: SyntaxNode): boolean {
  if (typeNode.type !== 'qualified_type') return false;
  const name = typeNode.childForFieldName('name');
  return !!name && SQL_TYPES.has(file.text(name)) && file.isPackageType(typeNode, SQL_PKG, file.text(name));
}
