// The shop: three HTTP services in one process (gateway, orders, inventory), each with its tracer, plus
// Go's profiling endpoints on /debug/pprof. A load generator keeps it busy, so profiles and traces taken
// from it show real work.
//
// The code is deliberately a mix of right and wrong: every way the Go tracing article shows a trace
// falling apart is here, next to the correct form. Go Trace Lens flags the wrong ones as you open the
// files; its profile, capture and timeline features work on the running service.
//
//	go run . [-gateway :8080] [-orders :8081] [-inventory :8082] [-pprof :6060] [-spans spans.jsonl]
package main

import (
	"context"
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	_ "net/http/pprof" // registers /debug/pprof/* on http.DefaultServeMux
	"os"
	"os/signal"
	"runtime"
	"syscall"
	"time"

	_ "example.com/shop/memdb"
	"example.com/shop/tracing"
)

func main() {
	gatewayAddr := flag.String("gateway", "127.0.0.1:8080", "gateway listen address")
	ordersAddr := flag.String("orders", "127.0.0.1:8081", "orders listen address")
	inventoryAddr := flag.String("inventory", "127.0.0.1:8082", "inventory listen address")
	pprofAddr := flag.String("pprof", "127.0.0.1:6060", "listen address of /debug/pprof")
	spansPath := flag.String("spans", "", "append finished spans to this file as OTLP/JSON lines")
	load := flag.Duration("load", 20*time.Millisecond, "pause between generated checkouts (0: no load)")
	flag.Parse()

	runtime.SetMutexProfileFraction(5)
	runtime.SetBlockProfileRate(int(time.Millisecond))

	var exporter *tracing.Exporter
	if *spansPath != "" {
		var err error
		if exporter, err = tracing.NewFileExporter(*spansPath); err != nil {
			log.Fatalf("spans: %v", err)
		}
		defer exporter.Close()
	}
	db, err := sql.Open("memdb", "")
	if err != nil {
		log.Fatal(err)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	inventory := newInventory(tracing.NewTracer("inventory", tracing.ParentBased(tracing.AlwaysSample()), exporter), db)
	// Wrong: the orders service decides on its own instead of following the gateway's decision. For the
	// traces the gateway drops but orders keeps, orders' spans point at a parent nobody recorded: orphans.
	orders := newOrders(tracing.NewTracer("orders", tracing.TraceIDRatioBased(0.75), exporter), db)

	servers := map[string]http.Handler{
		*pprofAddr:     http.DefaultServeMux,
		*inventoryAddr: inventory.routes(),
		*ordersAddr:    orders.routes(),
	}
	listeners := map[string]net.Listener{}
	for addr := range servers {
		if listeners[addr], err = net.Listen("tcp", addr); err != nil {
			log.Fatalf("listen %s: %v", addr, err)
		}
	}
	gatewayLn, err := net.Listen("tcp", *gatewayAddr)
	if err != nil {
		log.Fatalf("listen %s: %v", *gatewayAddr, err)
	}
	// Right: new traces are sampled at 50%, and a request that arrives with a decision keeps it.
	gateway := newGateway(tracing.NewTracer("gateway", tracing.ParentBased(tracing.TraceIDRatioBased(0.5)), exporter),
		"http://"+listeners[*ordersAddr].Addr().String(), "http://"+listeners[*inventoryAddr].Addr().String())
	servers[*gatewayAddr] = gateway.routes()
	listeners[*gatewayAddr] = gatewayLn

	for addr, handler := range servers {
		srv := &http.Server{Handler: handler, ReadHeaderTimeout: 5 * time.Second}
		go func(ln net.Listener) {
			if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
				log.Printf("serve %s: %v", ln.Addr(), err)
			}
		}(listeners[addr])
		go func() { <-ctx.Done(); _ = srv.Close() }()
	}
	fmt.Printf("shop: gateway http://%s  orders http://%s  inventory http://%s\n",
		listeners[*gatewayAddr].Addr(), listeners[*ordersAddr].Addr(), listeners[*inventoryAddr].Addr())
	fmt.Printf("shop: profiles at http://%s/debug/pprof/\n", listeners[*pprofAddr].Addr())

	if *load > 0 {
		go generateLoad(ctx, "http://"+listeners[*gatewayAddr].Addr().String(), *load)
	}
	<-ctx.Done()
}
