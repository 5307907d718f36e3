// The propagation rules judge whole programs: propagator-not-set, mixed-propagators and
// client-not-instrumented on a workspace of several services (test/fixtures/analyzer/propagation), checked
// against the index of all of them, the way the language server and `go-trace-lens check` run them.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { CallGraphIndex, parseModulePath } from '../../core/analysis/workspace/callGraph';
import { summarizeGoSource } from '../../core/analysis/workspace/goSummary';
import type { Finding } from '../../core/analysis/findings';
import { analyzeSource, applyEdits, describeFindings, expectationsOf } from '../helpers/analyze';

const workspace = join(__dirname, '..', 'fixtures', 'analyzer', 'propagation');

function goFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? goFiles(path) : name.endsWith('.go') ? [path] : [];
  });
}

const files = goFiles(workspace);
const at = (rel: string) => join(workspace, rel);

function workspaceIndex(overrides: Record<string, string> = {}): CallGraphIndex {
  const index = new CallGraphIndex();
  index.setModule(workspace, parseModulePath(readFileSync(join(workspace, 'go.mod'), 'utf8'))!);
  for (const file of files) index.setSource(file, overrides[relative(workspace, file)] ?? readFileSync(file, 'utf8'));
  for (const [rel, source] of Object.entries(overrides)) if (!files.includes(at(rel))) index.setSource(at(rel), source);
  return index;
}

async function findingsOf(rel: string, index: CallGraphIndex, source = readFileSync(at(rel), 'utf8')): Promise<Finding[]> {
  return analyzeSource(source, { index, filePath: at(rel) });
}

test('each file of the services gets exactly its annotated findings, with the index of the whole workspace', async () => {
  const index = workspaceIndex();
  assert.ok(files.length >= 8);
  for (const file of files) {
    const source = readFileSync(file, 'utf8');
    const findings = await analyzeSource(source, { index, filePath: file });
    assert.deepEqual(describeFindings(findings.map((f) => ({ line: f.range.start.line, rule: f.rule }))), describeFindings(expectationsOf(source)), file);
  }
});

test('propagator-not-set names the program and its instrumentation, and its fix installs W3C trace context and baggage', async () => {
  const index = workspaceIndex();
  const source = readFileSync(at('internal/telemetry/telemetry.go'), 'utf8');
  const [finding] = await findingsOf('internal/telemetry/telemetry.go', index, source);
  assert.ok(finding);
  assert.equal(finding.rule, 'propagator-not-set');
  assert.match(finding.message, /^The tracer provider set here serves cmd\/orders, which never sets a propagator \(otel\.SetTextMapPropagator\)/);
  assert.match(finding.message, /instrumentation \(otelgrpc, otelhttp\)/);
  assert.doesNotMatch(finding.message, /payments/, 'payments installs its own propagator');
  const fixed = applyEdits(source, finding.fixes[0]!.edits);
  assert.match(fixed, /\totel\.SetTracerProvider\(tp\) \/\/ want: propagator-not-set\n\totel\.SetTextMapPropagator\(propagation\.NewCompositeTextMapPropagator\(propagation\.TraceContext\{\}, propagation\.Baggage\{\}\)\)\n/);
  assert.match(fixed, /\t"go\.opentelemetry\.io\/otel\/propagation"\n\)/);
  // Applied, the program sets a propagator: the finding goes away.
  const after = workspaceIndex({ 'internal/telemetry/telemetry.go': fixed });
  assert.deepEqual(await findingsOf('internal/telemetry/telemetry.go', after, fixed), []);
});

test('the index follows edits in other files: a propagator set in the orders service clears the finding', async () => {
  const main = readFileSync(at('cmd/orders/main.go'), 'utf8');
  const withPropagator = main
    .replace('"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"', '"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"\n\t"go.opentelemetry.io/otel"\n\t"go.opentelemetry.io/otel/propagation"')
    .replace('\tdefer shutdown(ctx)\n', '\tdefer shutdown(ctx)\n\totel.SetTextMapPropagator(propagation.TraceContext{})\n');
  assert.notEqual(withPropagator, main);
  const index = workspaceIndex();
  assert.equal((await findingsOf('internal/telemetry/telemetry.go', index)).length, 1);
  assert.equal(index.setSource(at('cmd/orders/main.go'), withPropagator).propagation?.propagators?.[0]?.formats?.join(), 'tracecontext');
  assert.deepEqual(await findingsOf('internal/telemetry/telemetry.go', index), []);
  // Instrumentation given its own propagators: not the global one's business.
  const own = main.replace('otelhttp.NewHandler(http.HandlerFunc(', 'otelhttp.NewHandler(http.HandlerFunc(').replace('}), "orders"))', '}), "orders", otelhttp.WithPropagators(myPropagator)))');
  index.setSource(at('cmd/orders/main.go'), own);
  assert.deepEqual(await findingsOf('internal/telemetry/telemetry.go', index), []);
});

test('mixed-propagators: each service that cannot read the other is reported, with the other one related and a fix that reads both', async () => {
  const index = workspaceIndex();
  const paymentsSource = readFileSync(at('cmd/payments/main.go'), 'utf8');
  const [payments] = await findingsOf('cmd/payments/main.go', index, paymentsSource);
  assert.ok(payments);
  assert.match(payments.message, /^This propagator reads and sends only B3 \(X-B3-\*\/b3\), while cmd\/gateway sends only W3C trace context \(traceparent\): the services cannot read each other's trace headers/);
  assert.equal(payments.related[0]!.file, at('cmd/gateway/main.go'));
  assert.equal(payments.related[0]!.range.start.line, 15);
  const fixedPayments = applyEdits(paymentsSource, payments.fixes[0]!.edits);
  assert.match(fixedPayments, /otel\.SetTextMapPropagator\(propagation\.NewCompositeTextMapPropagator\(b3\.New\(\), propagation\.TraceContext\{\}\)\)/);
  assert.match(fixedPayments, /\t"go\.opentelemetry\.io\/otel\/propagation"\n\)/);

  const gatewaySource = readFileSync(at('cmd/gateway/main.go'), 'utf8');
  const [gateway] = await findingsOf('cmd/gateway/main.go', index, gatewaySource);
  assert.ok(gateway);
  assert.match(gateway.message, /while cmd\/payments sends only B3 \(X-B3-\*\/b3\)/);
  const fixedGateway = applyEdits(gatewaySource, gateway.fixes[0]!.edits);
  assert.match(fixedGateway, /NewCompositeTextMapPropagator\(propagation\.TraceContext\{\}, propagation\.Baggage\{\}, b3\.New\(\)\)\)/);
  assert.match(fixedGateway, /\t"go\.opentelemetry\.io\/contrib\/propagators\/b3"\n\)/);

  // Either fix alone gives the two services a common format: both findings go away.
  const fixed = workspaceIndex({ 'cmd/payments/main.go': fixedPayments });
  assert.deepEqual(await findingsOf('cmd/payments/main.go', fixed, fixedPayments), []);
  assert.deepEqual(await findingsOf('cmd/gateway/main.go', fixed, gatewaySource), []);
});

test('a service on Jaeger\'s Go client sends uber-trace-id: the W3C-only gateway is told, a propagator read elsewhere is not judged', async () => {
  const legacy = `package main

import (
	"github.com/uber/jaeger-client-go"
	jaegercfg "github.com/uber/jaeger-client-go/config"
)

func main() {
	cfg := jaegercfg.Configuration{ServiceName: "legacy"}
	tracer, closer, _ := cfg.NewTracer()
	defer closer.Close()
	_ = tracer
	_ = jaeger.NewConstSampler(true)
}
`;
  const index = workspaceIndex({ 'cmd/legacy/main.go': legacy });
  const [gateway] = await findingsOf('cmd/gateway/main.go', index);
  assert.ok(gateway);
  assert.match(gateway.message, /while cmd\/payments and cmd\/legacy send only (B3 \(X-B3-\*\/b3\) and Jaeger's uber-trace-id|Jaeger's uber-trace-id and B3 \(X-B3-\*\/b3\))/);
  assert.equal(gateway.fixes.length, 0, 'two formats are missing (B3 and uber-trace-id): no single fix');
  // A propagator built elsewhere (a variable from another package) cannot be judged.
  const opaque = readFileSync(at('cmd/payments/main.go'), 'utf8').replace('otel.SetTextMapPropagator(b3.New())', 'otel.SetTextMapPropagator(telemetry.Propagator())');
  const summary = summarizeGoSource(opaque);
  assert.deepEqual(summary.propagation?.propagators?.map((p) => p.formats), [undefined]);
  const withOpaque = workspaceIndex({ 'cmd/payments/main.go': opaque, 'cmd/legacy/main.go': legacy });
  assert.deepEqual(await findingsOf('cmd/payments/main.go', withOpaque, opaque), []);
});

test('the summary reads a propagator built into a variable of the same function', () => {
  const summary = summarizeGoSource(`package main

import (
	"go.opentelemetry.io/contrib/propagators/b3"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/propagation"
)

func setup() {
	prop := propagation.NewCompositeTextMapPropagator(propagation.TraceContext{}, b3.New(b3.WithInjectEncoding(b3.B3MultipleHeader)))
	otel.SetTextMapPropagator(prop)
}
`);
  assert.deepEqual(summary.propagation?.propagators?.map((p) => p.formats), [['b3', 'tracecontext']]);
  assert.equal(summary.propagation?.configuresPropagation, true);
});

test('client-not-instrumented: the HTTP client field and the gRPC connection, with fixes that instrument them', async () => {
  const index = workspaceIndex();
  const source = readFileSync(at('cmd/orders/clients.go'), 'utf8');
  const findings = await findingsOf('cmd/orders/clients.go', index, source);
  const [http, grpc] = findings;
  assert.ok(http && grpc);
  assert.match(http.message, /^In cmd\/orders, which traces with OpenTelemetry, this http\.Client has no transport of its own \(http\.DefaultTransport\): requests sent with it \(c\.http\.Do on line 35\) carry no trace headers/);
  assert.equal(http.related[0]!.range.start.line, 34);
  const fixedHttp = applyEdits(source, http.fixes[0]!.edits);
  assert.match(fixedHttp, /http: +&http\.Client\{Transport: otelhttp\.NewTransport\(http\.DefaultTransport\), Timeout: 2 \* time\.Second\}/);
  assert.match(grpc.message, /^grpc\.NewClient makes a gRPC connection without OpenTelemetry's client handler, while cmd\/orders instruments/);
  const fixedGrpc = applyEdits(source, grpc.fixes[0]!.edits);
  assert.match(fixedGrpc, /grpc\.NewClient\(addr, grpc\.WithTransportCredentials\(insecure\.NewCredentials\(\)\), grpc\.WithStatsHandler\(otelgrpc\.NewClientHandler\(\)\)\) \/\/ want/);
  const after = workspaceIndex({ 'cmd/orders/clients.go': applyEdits(fixedHttp, grpc.fixes[0]!.edits) });
  const refixed = applyEdits(fixedHttp, grpc.fixes[0]!.edits);
  assert.deepEqual((await findingsOf('cmd/orders/clients.go', after, refixed)).map((f) => f.rule), []);
});

test('client-not-instrumented stays silent where the program does not instrument, or sets up the default transport', async () => {
  // Without otelgrpc anywhere in the program, a plain connection is the program's choice.
  const source = readFileSync(at('cmd/orders/clients.go', ), 'utf8');
  const noGrpcServer = source.replace('return grpc.NewServer(grpc.StatsHandler(otelgrpc.NewServerHandler()))', 'return grpc.NewServer()')
    .replace('grpc.NewClient(addr, grpc.WithTransportCredentials(insecure.NewCredentials()), grpc.WithStatsHandler(otelgrpc.NewClientHandler()))', 'grpc.NewClient(addr)')
    .replace('\t"go.opentelemetry.io/contrib/instrumentation/google.golang.org/grpc/otelgrpc"\n', '');
  const index = workspaceIndex({ 'cmd/orders/clients.go': noGrpcServer });
  assert.deepEqual((await findingsOf('cmd/orders/clients.go', index, noGrpcServer)).map((f) => f.rule), ['client-not-instrumented']);
  assert.equal((await findingsOf('cmd/orders/clients.go', index, noGrpcServer))[0]!.range.start.line, 22, 'only the HTTP client');
  // http.DefaultTransport replaced by an instrumented one at start-up: every default client is instrumented.
  const main = readFileSync(at('cmd/orders/main.go'), 'utf8').replace('\tstock := newStockClient()\n', '\thttp.DefaultTransport = otelhttp.NewTransport(http.DefaultTransport)\n\tstock := newStockClient()\n');
  const replaced = workspaceIndex({ 'cmd/orders/main.go': main });
  assert.deepEqual((await findingsOf('cmd/orders/clients.go', replaced)).map((f) => f.range.start.line), [68], 'only the gRPC connection');
});

test('the propagation rules follow the rule settings', async () => {
  const index = workspaceIndex();
  const off = await analyzeSource(readFileSync(at('cmd/orders/clients.go'), 'utf8'), { index, filePath: at('cmd/orders/clients.go'), ruleSettings: { 'client-not-instrumented': 'off' } });
  assert.deepEqual(off, []);
  const info = await analyzeSource(readFileSync(at('cmd/payments/main.go'), 'utf8'), { index, filePath: at('cmd/payments/main.go'), ruleSettings: { 'mixed-propagators': 'error' } });
  assert.equal(info[0]!.severity, 'error');
});

test('go-trace-lens check reports the same findings over the folder, across its programs', async () => {
  const { runCheck } = await import('../../cli/checkCommand');
  const outcome = await runCheck(files, { jobs: 1, gomodcache: join(workspace, 'no-module-cache') });
  const got = outcome.findings.flatMap(({ file, findings }) => findings.map((f) => `${relative(workspace, file)}:${f.range.start.line + 1}: ${f.rule}`)).sort();
  const want = files.flatMap((file) => expectationsOf(readFileSync(file, 'utf8')).map((e) => `${relative(workspace, file)}:${e.line + 1}: ${e.rule}`)).sort();
  assert.deepEqual(got, want);
  assert.ok(outcome.findings.flatMap((f) => f.findings).every((f) => !('program' in f)), 'the program conditions are resolved, not handed out');
});
