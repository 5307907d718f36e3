// Package telemetry starts OpenTelemetry for the mesh's services.
package telemetry

import (
	"context"

	"go.opentelemetry.io/otel"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
)

// Start installs a tracer provider for the service.
//
// Mistake (propagator-not-set): no propagator is installed, so otel's global propagator stays a no-op and
// the checkout service's otelhttp and otelgrpc instrumentation sends and reads no traceparent header:
// every request it handles starts a new trace. Correct:
//
//	otel.SetTracerProvider(tp)
//	otel.SetTextMapPropagator(propagation.NewCompositeTextMapPropagator(propagation.TraceContext{}, propagation.Baggage{}))
func Start(ctx context.Context, service string) (shutdown func(context.Context) error) {
	tp := sdktrace.NewTracerProvider(sdktrace.WithSampler(sdktrace.ParentBased(sdktrace.AlwaysSample())))
	otel.SetTracerProvider(tp)
	return tp.Shutdown
}
