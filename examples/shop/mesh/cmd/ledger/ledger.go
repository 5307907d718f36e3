// The ledger service, from the days the fleet spoke Zipkin's B3.
package main

import (
	"log"
	"net/http"

	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	"go.opentelemetry.io/contrib/propagators/b3"
	"go.opentelemetry.io/otel"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
)

func main() {
	otel.SetTracerProvider(sdktrace.NewTracerProvider())
	// Mistake (mixed-propagators): B3 only, while the billing service reads and sends only W3C trace context:
	// neither reads the other's headers. Correct while the fleet migrates: read and send both,
	//	otel.SetTextMapPropagator(propagation.NewCompositeTextMapPropagator(b3.New(), propagation.TraceContext{}))
	otel.SetTextMapPropagator(b3.New())
	log.Fatal(http.ListenAndServe(":9091", otelhttp.NewHandler(http.NotFoundHandler(), "ledger")))
}
