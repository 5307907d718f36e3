package main

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"io"
	"net/http"
	"runtime/pprof"
	"runtime/trace"
	"strconv"

	"example.com/shop/tracing"
)

// gateway receives checkouts and calls the orders and inventory services.
type gateway struct {
	tracer       *tracing.Tracer
	client       *http.Client
	ordersURL    string
	inventoryURL string
}

func newGateway(tracer *tracing.Tracer, ordersURL, inventoryURL string) *gateway {
	return &gateway{tracer: tracer, client: &http.Client{}, ordersURL: ordersURL, inventoryURL: inventoryURL}
}

func (g *gateway) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/checkout", g.checkout)
	return mux
}

func (g *gateway) checkout(w http.ResponseWriter, r *http.Request) {
	// Right: the span is a child of whatever the request carries, and ctx carries the new span.
	ctx, span := g.tracer.Start(r.Context(), "gateway.checkout")
	defer span.End()

	sku := r.URL.Query().Get("sku")
	qty, _ := strconv.Atoi(r.URL.Query().Get("qty"))
	price := priceBasket(ctx, sku, qty)
	span.SetAttribute("sku", sku)

	// Wrong: http.Get has no context. The inventory call carries no traceparent header, so the
	// inventory service starts a new trace, and a cancelled checkout does not cancel it.
	resp, err := http.Get(g.inventoryURL + "/stock?sku=" + sku)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()

	// Right: the request is built from ctx and the trace context is injected into its headers.
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, fmt.Sprintf("%s/orders?sku=%s&qty=%d", g.ordersURL, sku, qty), nil)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	tracing.Inject(ctx, req.Header)
	resp, err = g.client.Do(req)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	fmt.Fprint(w, render(ctx, fmt.Sprintf("order %s: %.2f\n", body, price)))
}

// priceBasket is the gateway's CPU-heavy step: pricing rules evaluated by brute force. Its pprof
// labels let a profile be filtered to pricing work.
func priceBasket(ctx context.Context, sku string, qty int) float64 {
	var price float64
	pprof.Do(ctx, pprof.Labels("stage", "pricing", "sku", sku), func(ctx context.Context) {
		trace.WithRegion(ctx, "priceBasket", func() {
			price = float64(qty) * basePrice(sku)
			for round := 0; round < 300; round++ {
				price = applyDiscounts(price, sku, round)
			}
		})
	})
	return price
}

func basePrice(sku string) float64 {
	sum := sha256.Sum256([]byte(sku))
	return 1 + float64(binary.BigEndian.Uint16(sum[:2])%500)/100
}

// applyDiscounts hashes its way to a discount: the hot loop a CPU profile points at.
func applyDiscounts(price float64, sku string, round int) float64 {
	seed := []byte(sku + strconv.Itoa(round))
	for i := 0; i < 40; i++ {
		sum := sha256.Sum256(seed)
		seed = sum[:]
	}
	if seed[0]%7 == 0 {
		return price * 0.999
	}
	return price
}
