// What kind of value a Go type or declaration holds, as far as the rules care: a context, an incoming request,
// a span, a database/sql handle, an HTTP client, a tracer, a gRPC handler… Decided from syntax and imports only
// (there is no type checker here), so a kind is only claimed where the spelling leaves no doubt.

import type { SyntaxNode } from './syntaxTree';
import type { ImportTable } from './imports';
import {
  CONTEXT_PKG, GRPC_PKG, HTTP_PKG, OPENTRACING_PKG, OTEL_TRACE_PKG, SQL_PKG,
} from './goPackages';

export type ValueKind =
  | 'context' // a context that continues the caller's chain
  | 'rootContext' // a context built from context.Background()/TODO()
  | 'request' // an incoming *http.Request: a handler's (its Context() carries the incoming trace)
  | 'responseWriter' // an http.ResponseWriter: beside a *http.Request, it makes that request an incoming one
  | 'serverStream' // a gRPC server stream (its Context() is the incoming call's, as r.Context() is for HTTP)
  | 'span' // a span, task or region
  | 'sql' // *sql.DB, *sql.Tx, *sql.Conn, *sql.Stmt
  | 'httpClient' // *http.Client
  | 'otelTracer' // an OpenTelemetry trace.Tracer
  | 'otTracer' // an OpenTracing (or Jaeger) tracer
  | 'grpcUnaryHandler' // the handler argument of a gRPC unary interceptor
  | 'httpHandler' // an http.Handler (next.ServeHTTP)
  | 'httpHandlerFunc' // an http.HandlerFunc (next(w, r))
  | 'other';

/** Kinds by `[*]importPath.Name`. */
const KIND_OF_TYPE: ReadonlyMap<string, ValueKind> = new Map<string, ValueKind>([
  [`${CONTEXT_PKG}.Context`, 'context'],
  [`*${HTTP_PKG}.Request`, 'request'],
  [`*${HTTP_PKG}.Client`, 'httpClient'],
  [`${HTTP_PKG}.Client`, 'httpClient'],
  [`${HTTP_PKG}.ResponseWriter`, 'responseWriter'],
  [`${GRPC_PKG}.ServerStream`, 'serverStream'],
  [`${GRPC_PKG}.ServerStreamingServer`, 'serverStream'],
  [`${GRPC_PKG}.ClientStreamingServer`, 'serverStream'],
  [`${GRPC_PKG}.BidiStreamingServer`, 'serverStream'],
  [`${HTTP_PKG}.Handler`, 'httpHandler'],
  [`${HTTP_PKG}.HandlerFunc`, 'httpHandlerFunc'],
  [`${OTEL_TRACE_PKG}.Tracer`, 'otelTracer'],
  [`${OPENTRACING_PKG}.Tracer`, 'otTracer'],
  [`${OTEL_TRACE_PKG}.Span`, 'span'],
  [`${OPENTRACING_PKG}.Span`, 'span'],
  [`${GRPC_PKG}.UnaryHandler`, 'grpcUnaryHandler'],
  ...['DB', 'Tx', 'Conn', 'Stmt'].flatMap((t): [string, ValueKind][] => [[`*${SQL_PKG}.${t}`, 'sql'], [`${SQL_PKG}.${t}`, 'sql']]),
]);

/**
 * What `kindOfType` reads of a file: a node's text and the import table. A GoFile is one; the type is declared
 * here so that value kinds sit below GoFile, whose facts are made of them.
 */
export interface TypeSpelling {
  readonly imports: ImportTable;
  text(node: SyntaxNode): string;
}

/**
 * The kind of value a declared type holds, or undefined when it is none the rules track. Read from the type's
 * text (`*http.Request`, `stdctx.Context`, `Context` when dot-imported) and the import table.
 */
export function kindOfType(file: TypeSpelling, typeNode: SyntaxNode | null): ValueKind | undefined {
  if (!typeNode) return undefined;
  let text = file.text(typeNode);
  if (text.length > 64) return undefined;
  if (/\s/.test(text)) text = text.replace(/\s+/g, '');
  const pointer = text.startsWith('*') ? '*' : '';
  const bare = pointer ? text.slice(1) : text;
  const dot = bare.indexOf('.');
  if (dot === -1) {
    for (const path of file.imports.dotImportedPaths()) {
      const kind = KIND_OF_TYPE.get(`${pointer}${path}.${bare}`);
      if (kind) return kind;
    }
    // A streaming method's server interface generated into this package.
    return !pointer && GENERATED_SERVER_STREAM.test(bare) ? 'serverStream' : undefined;
  }
  const path = file.imports.pathOf(bare.slice(0, dot));
  if (path === undefined) return undefined;
  // Generic stream types (`grpc.BidiStreamingServer[Req, Res]`) are known by their name without arguments.
  const typeName = bare.slice(dot + 1).replace(/\[.*\]$/, '');
  const known = KIND_OF_TYPE.get(`${pointer}${path}.${typeName}`);
  if (known) return known;
  // The stream interface protoc-gen-go-grpc generates for a streaming method: `pb.RouteGuide_RouteChatServer`.
  if (!pointer && GENERATED_SERVER_STREAM.test(typeName)) return 'serverStream';
  return undefined;
}

/** `Service_MethodServer`: the server side of a streaming RPC, as generated code names it. */
const GENERATED_SERVER_STREAM = /^[A-Z][A-Za-z0-9]*_[A-Z][A-Za-z0-9]*Server$/;
