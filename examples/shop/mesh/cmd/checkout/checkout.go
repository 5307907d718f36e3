// The checkout service: an HTTP API that reserves stock over HTTP and books payments over gRPC.
package main

import (
	"context"
	"log"
	"net/http"
	"time"

	"go.opentelemetry.io/contrib/instrumentation/google.golang.org/grpc/otelgrpc"
	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"

	"example.com/shop/mesh/telemetry"
)

type checkout struct {
	// Mistake (client-not-instrumented): the default transport sends no trace headers, so the stock service
	// starts a new trace for every reservation. Correct, as the pricing client below:
	//	stock: &http.Client{Transport: otelhttp.NewTransport(http.DefaultTransport), Timeout: 2 * time.Second},
	stock   *http.Client
	pricing *http.Client
	ledger  *grpc.ClientConn
}

func newCheckout() (*checkout, error) {
	// Mistake (client-not-instrumented): no otelgrpc client handler, while the server below has one.
	// Correct: grpc.NewClient(addr, creds, grpc.WithStatsHandler(otelgrpc.NewClientHandler())).
	ledger, err := grpc.NewClient("ledger:9090", grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		return nil, err
	}
	return &checkout{
		stock:   &http.Client{Timeout: 2 * time.Second},
		pricing: &http.Client{Transport: otelhttp.NewTransport(http.DefaultTransport), Timeout: 2 * time.Second},
		ledger:  ledger,
	}, nil
}

func (c *checkout) reserve(ctx context.Context, sku string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, "http://stock:8080/reserve?sku="+sku, nil)
	if err != nil {
		return err
	}
	resp, err := c.stock.Do(req)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

func (c *checkout) price(ctx context.Context, sku string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://pricing:8080/price?sku="+sku, nil)
	if err != nil {
		return err
	}
	resp, err := c.pricing.Do(req)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

func main() {
	ctx := context.Background()
	shutdown := telemetry.Start(ctx, "checkout")
	defer shutdown(ctx)
	c, err := newCheckout()
	if err != nil {
		log.Fatal(err)
	}
	_ = grpc.NewServer(grpc.StatsHandler(otelgrpc.NewServerHandler()))
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sku := r.URL.Query().Get("sku")
		if err := c.price(r.Context(), sku); err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		if err := c.reserve(r.Context(), sku); err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
		}
	})
	log.Fatal(http.ListenAndServe(":8080", otelhttp.NewHandler(handler, "checkout")))
}
