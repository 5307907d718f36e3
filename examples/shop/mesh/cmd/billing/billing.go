// The billing service, on OpenTelemetry's defaults (W3C trace context and baggage).
package main

import (
	"log"
	"net/http"

	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/propagation"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
)

func main() {
	otel.SetTracerProvider(sdktrace.NewTracerProvider())
	// Reported too (mixed-propagators): it cannot read the ledger's B3 headers. Adding b3.New() here (or
	// propagation.TraceContext{} to the ledger) gives the two services a format in common.
	otel.SetTextMapPropagator(propagation.NewCompositeTextMapPropagator(propagation.TraceContext{}, propagation.Baggage{}))
	log.Fatal(http.ListenAndServe(":9092", otelhttp.NewHandler(http.NotFoundHandler(), "billing")))
}
