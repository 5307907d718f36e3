// What each rule's quick fix writes, exactly: the text a user gets when they accept it.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RuleId } from '../../common/rules';
import { analyzeSource, applyEdits, parseGo } from '../helpers/analyze';

async function fixed(source: string, rule: RuleId, fixIndex = 0): Promise<{ text: string; message: string }> {
  const findings = (await analyzeSource(source)).filter((f) => f.rule === rule);
  assert.equal(findings.length, 1, `expected one ${rule} finding, got ${findings.map((f) => f.rule).join(', ')}`);
  const fix = findings[0]!.fixes[fixIndex];
  assert.ok(fix, `${rule} offers fix ${fixIndex}`);
  const text = applyEdits(source, fix.edits);
  const tree = await parseGo(text);
  assert.equal(tree.rootNode.hasError, false, `the fixed source parses:\n${text}`);
  tree.delete();
  assert.equal((await analyzeSource(text)).filter((f) => f.rule === rule).length, 0, `the fix removes the finding:\n${text}`);
  return { text, message: findings[0]!.message };
}

const otel = (body: string, extraImports = '') => `package p

import (
	"context"
${extraImports}
	"go.opentelemetry.io/otel"
)

var tracer = otel.Tracer("p")

func work(ctx context.Context) {}

${body}
`;

test('span-not-ended inserts defer span.End() on the next line, with the same indentation', async () => {
  const source = otel('func f(ctx context.Context) {\n\tif true {\n\t\tctx, span := tracer.Start(ctx, "x")\n\t\tspan.AddEvent("e")\n\t\twork(ctx)\n\t}\n}');
  const { text, message } = await fixed(source, 'span-not-ended');
  assert.match(text, /\t\tctx, span := tracer\.Start\(ctx, "x"\)\n\t\tdefer span\.End\(\)\n\t\tspan\.AddEvent/);
  assert.match(message, /never ended/);
});

test('span-not-ended keeps space indentation and a trailing comment on the start line', async () => {
  const source = otel('func f(ctx context.Context) {\n    ctx, span := tracer.Start(ctx, "x") // start\n    span.AddEvent("e")\n    work(ctx)\n}');
  const { text } = await fixed(source, 'span-not-ended');
  assert.match(text, / {4}ctx, span := tracer\.Start\(ctx, "x"\) \/\/ start\n {4}defer span\.End\(\)\n/);
});

test('span-not-ended uses Finish() for OpenTracing and names the early return', async () => {
  const source = `package p

import (
	"context"

	"github.com/opentracing/opentracing-go"
)

func step(ctx context.Context) error { return nil }

func f(ctx context.Context) error {
	span, ctx := opentracing.StartSpanFromContext(ctx, "x")
	if err := step(ctx); err != nil {
		return err
	}
	span.Finish()
	return nil
}
`;
  const { text, message } = await fixed(source, 'span-not-ended');
  assert.match(message, /the return on line 14 leaves it open/);
  assert.match(text, /StartSpanFromContext\(ctx, "x"\)\n\tdefer span\.Finish\(\)\n/);
});

test('span-not-ended gives a thrown-away span a name and ends it', async () => {
  const source = otel('func f(ctx context.Context) {\n\tctx, _ = tracer.Start(ctx, "x")\n\twork(ctx)\n}');
  const { text } = await fixed(source, 'span-not-ended');
  assert.match(text, /\tvar span trace\.Span\n\tctx, span = tracer\.Start\(ctx, "x"\)\n\tdefer span\.End\(\)\n/);
});

test('span-context-discarded keeps the context; in an inner block it assigns the outer ctx and adds the import', async () => {
  const same = otel('func f(ctx context.Context) {\n\t_, span := tracer.Start(ctx, "x")\n\tdefer span.End()\n\twork(ctx)\n}');
  const { text: sameText, message } = await fixed(same, 'span-context-discarded');
  assert.match(sameText, /\tctx, span := tracer\.Start\(ctx, "x"\)/);
  assert.match(message, /work on line \d+ passes ctx on/);

  const inner = otel('func f(ctx context.Context, on bool) {\n\tif on {\n\t\tctx, span := tracer.Start(ctx, "x")\n\t\tdefer span.End()\n\t\twork(ctx)\n\t}\n\twork(ctx)\n}');
  const { text } = await fixed(inner, 'span-context-discarded');
  assert.match(text, /\t\tvar span trace\.Span\n\t\tctx, span = tracer\.Start\(ctx, "x"\)/);
  assert.match(text, /\t"go\.opentelemetry\.io\/otel\/trace"\n\)/);
});

test('span-context-discarded after a span-only helper puts the span into ctx; the helper itself is not reported', async () => {
  const helper = `func startSpan(ctx context.Context, name string) trace.Span {
	_, span := tracer.Start(ctx, name)
	return span
}`;
  const source = otel(`${helper}

func f(ctx context.Context) {
	span := startSpan(ctx, "x")
	defer span.End()
	work(ctx)
}`, '\t"go.opentelemetry.io/otel/trace"');
  const { text, message } = await fixed(source, 'span-context-discarded');
  assert.match(text, /\tspan := startSpan\(ctx, "x"\)\n\tctx = trace\.ContextWithSpan\(ctx, span\)\n\tdefer span\.End\(\)/);
  assert.match(message, /^startSpan starts span from ctx but returns only the span .*work on line 21 passes ctx on while span is open/);
  assert.deepEqual(await analyzeSource(otel(helper.replace('startSpan', 'StartSpan'), '\t"go.opentelemetry.io/otel/trace"')), []);
});

test('an added import is aliased when its name is taken (runtime/trace vs OpenTelemetry trace)', async () => {
  const inner = otel('func f(ctx context.Context, on bool) {\n\tif on {\n\t\t_, span := tracer.Start(ctx, "x")\n\t\tdefer span.End()\n\t\ttrace.Log(ctx, "k", "v")\n\t}\n\twork(ctx)\n}', '\t"runtime/trace"');
  const { text } = await fixed(inner, 'span-context-discarded');
  assert.match(text, /\t\tvar span oteltrace\.Span\n\t\tctx, span = tracer\.Start\(ctx, "x"\)/);
  assert.match(text, /\toteltrace "go\.opentelemetry\.io\/otel\/trace"\n\)/);
});

test('context-not-propagated passes r.WithContext(ctx) in a middleware, and the span\'s context in an interceptor', async () => {
  const middleware = `package p

import (
	"context"
	"net/http"
)

func mw(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := context.WithValue(r.Context(), "k", 1)
		_ = ctx
		next.ServeHTTP(w, r)
	})
}
`;
  assert.match((await fixed(middleware, 'context-not-propagated')).text, /next\.ServeHTTP\(w, r\.WithContext\(ctx\)\)/);

  const interceptor = otel(`func i(ctx context.Context, req interface{}, info *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (interface{}, error) {
	_, span := tracer.Start(ctx, info.FullMethod)
	defer span.End()
	return handler(ctx, req)
}`, '\t"google.golang.org/grpc"');
  const { text } = await fixed(interceptor, 'context-not-propagated');
  assert.match(text, /return handler\(trace\.ContextWithSpan\(ctx, span\), req\)/);
  assert.match(text, /"go\.opentelemetry\.io\/otel\/trace"/);
  // The same mistake is not reported twice (span-context-discarded leaves the handler call to this rule).
  assert.deepEqual((await analyzeSource(interceptor)).map((f) => f.rule), ['context-not-propagated']);
});

test('context-not-propagated puts a framework middleware\'s span context back on the request, naming a discarded one', async () => {
  const gin = (body: string) => `package p

import (
	"github.com/gin-gonic/gin"
	"go.opentelemetry.io/otel"
)

var tracer = otel.Tracer("p")

func mw(c *gin.Context) {
${body}
}
`;
  const kept = await fixed(gin('\tctx, span := tracer.Start(c.Request.Context(), "mw")\n\tdefer span.End()\n\t_ = ctx\n\tc.Next()'), 'context-not-propagated');
  assert.match(kept.text, /\tctx, span := tracer\.Start\(c\.Request\.Context\(\), "mw"\)\n\tc\.Request = c\.Request\.WithContext\(ctx\)\n\tdefer span\.End\(\)/);
  assert.match(kept.message, /gin middleware started span from the request's context \(c\.Request\.Context\(\)\) but runs the next handler \(c\.Next\(\)\)/);
  const discarded = await fixed(gin('\t_, span := tracer.Start(c.Request.Context(), "mw")\n\tdefer span.End()\n\tc.Next()'), 'context-not-propagated');
  assert.match(discarded.text, /\tctx, span := tracer\.Start\(c\.Request\.Context\(\), "mw"\)\n\tc\.Request = c\.Request\.WithContext\(ctx\)\n/);

  const echo = `package p

import (
	"github.com/labstack/echo/v4"
	"go.opentelemetry.io/otel"
)

var tracer = otel.Tracer("p")

func mw(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		ctx, span := tracer.Start(c.Request().Context(), c.Path())
		defer span.End()
		_ = ctx
		return next(c)
	}
}
`;
  assert.match((await fixed(echo, 'context-not-propagated')).text, /\t\tc\.SetRequest\(c\.Request\(\)\.WithContext\(ctx\)\)\n\t\tdefer span\.End\(\)/);
});

test('root-span-in-request starts the span from the context, with the tracer and options kept', async () => {
  const source = `package p

import (
	"net/http"

	"github.com/opentracing/opentracing-go"
	"github.com/opentracing/opentracing-go/ext"
)

var tracer opentracing.Tracer

func h(w http.ResponseWriter, r *http.Request) {
	span := tracer.StartSpan("h", ext.SpanKindRPCServer)
	defer span.Finish()
}
`;
  const { text, message } = await fixed(source, 'root-span-in-request');
  assert.match(text, /\tspan, _ := opentracing\.StartSpanFromContextWithTracer\(r\.Context\(\), tracer, "h", ext\.SpanKindRPCServer\)\n/);
  assert.match(message, /root of a new trace/);
});

test('sql-without-context switches to the Context variants', async () => {
  const source = (call: string) => `package p

import (
	"context"
	"database/sql"
)

func f(ctx context.Context, db *sql.DB) {
	${call}
}
`;
  assert.match((await fixed(source('db.Exec("DELETE FROM t WHERE id = ?", 1)'), 'sql-without-context')).text, /db\.ExecContext\(ctx, "DELETE FROM t WHERE id = \?", 1\)/);
  assert.match((await fixed(source('tx, _ := db.Begin()\n\t_ = tx'), 'sql-without-context')).text, /db\.BeginTx\(ctx, nil\)/);
  assert.match((await fixed(source('_ = db.Ping()'), 'sql-without-context')).text, /db\.PingContext\(ctx\)/);
});

test('http-without-context builds the request with NewRequestWithContext and keeps the error handling', async () => {
  const source = `package p

import (
	"context"
	"net/http"
)

func f(ctx context.Context, client *http.Client) error {
	resp, err := client.Get("http://svc/items")
	if err != nil {
		return err
	}
	return resp.Body.Close()
}
`;
  const { text } = await fixed(source, 'http-without-context');
  assert.ok(text.includes([
    '\treq, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://svc/items", nil)',
    '\tif err != nil {',
    '\t\treturn err',
    '\t}',
    '\tresp, err := client.Do(req)',
    '\tif err != nil {',
  ].join('\n')), text);
});

test('sampler-not-parent-based wraps in ParentBased; Jaeger const samplers sample every trace', async () => {
  const otelSource = `package p

import sdktrace "go.opentelemetry.io/otel/sdk/trace"

var s = sdktrace.TraceIDRatioBased(0.25)
`;
  const { text, message } = await fixed(otelSource, 'sampler-not-parent-based');
  assert.match(text, /var s = sdktrace\.ParentBased\(sdktrace\.TraceIDRatioBased\(0\.25\)\)/);
  assert.match(message, /ignoring the caller's sampling decision/);
  const findings = await analyzeSource(otelSource);
  assert.equal(findings[0]!.severity, 'information');

  const jaeger = `package p

import jaegercfg "github.com/uber/jaeger-client-go/config"

var c = jaegercfg.SamplerConfig{Type: "const"}
`;
  assert.match((await fixed(jaeger, 'sampler-not-parent-based')).text, /SamplerConfig\{Type: "const", Param: 1\}/);
});

test('sampler-not-parent-based wraps a custom sampler that ignores the parent in ParentBased where it is installed', async () => {
  const source = `package p

import (
	"math/rand"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"
)

type coin struct{ rate float64 }

func (c *coin) ShouldSample(p sdktrace.SamplingParameters) sdktrace.SamplingResult {
	if rand.Float64() < c.rate {
		return sdktrace.SamplingResult{Decision: sdktrace.RecordAndSample}
	}
	return sdktrace.SamplingResult{Decision: sdktrace.Drop}
}

func (c *coin) Description() string { return "coin" }

func provider() *sdktrace.TracerProvider {
	return sdktrace.NewTracerProvider(sdktrace.WithSampler(&coin{rate: 0.1}))
}
`;
  const { text, message } = await fixed(source, 'sampler-not-parent-based');
  assert.match(text, /sdktrace\.WithSampler\(sdktrace\.ParentBased\(&coin\{rate: 0\.1\}\)\)/);
  assert.match(message, /^coin, installed by WithSampler on line 21, ignores the caller's sampling decision: its ShouldSample never looks at whether the parent was sampled and decides at random/);
});

test('context-in-pool names the type and field, at information severity, with no fix', async () => {
  const source = `package p

import (
	"context"
	"sync"
)

type reqState struct {
	ctx  context.Context
	body []byte
}

var pool = sync.Pool{New: func() any { return &reqState{} }}
`;
  const [finding] = await analyzeSource(source);
  assert.equal(finding?.rule, 'context-in-pool');
  assert.equal(finding?.severity, 'information');
  assert.match(finding!.message, /\(reqState\) carry a context in ctx/);
  assert.deepEqual(finding?.fixes, []);
});
