// The shop's neighbours, instrumented with OpenTelemetry: three small services that show the propagation
// mistakes Go Trace Lens finds (propagator-not-set, client-not-instrumented, mixed-propagators). A module of
// its own, so the shop itself stays standard-library only; run `go mod tidy` (with network access) to build it.
module example.com/shop/mesh

go 1.23

require (
	go.opentelemetry.io/contrib/instrumentation/google.golang.org/grpc/otelgrpc v0.58.0
	go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp v0.58.0
	go.opentelemetry.io/contrib/propagators/b3 v1.33.0
	go.opentelemetry.io/otel v1.33.0
	go.opentelemetry.io/otel/sdk v1.33.0
	google.golang.org/grpc v1.69.2
)
