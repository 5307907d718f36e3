package main

import (
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"sync"
	"time"

	"example.com/shop/tracing"
)

// inventory answers stock questions.
type inventory struct {
	tracer   *tracing.Tracer
	db       *sql.DB
	watchers sync.WaitGroup
}

func newInventory(tracer *tracing.Tracer, db *sql.DB) *inventory {
	return &inventory{tracer: tracer, db: db}
}

type tenantKey struct{}

func (inv *inventory) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/stock", inv.stock)
	return withTenant(inv.withRequestSpan(mux))
}

// withTenant stores the caller's tenant in the context.
// Wrong: it rebuilds the context from context.Background(), dropping the trace (and the deadline) that
// r.Context() carried.
func withTenant(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := context.WithValue(context.Background(), tenantKey{}, r.Header.Get("X-Tenant"))
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// withRequestSpan opens a span per request.
// Wrong: it derives ctx but hands the original request on, so handlers never see the span.
func (inv *inventory) withRequestSpan(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := tracing.Extract(r.Context(), r.Header)
		ctx, span := inv.tracer.Start(ctx, "inventory."+r.URL.Path)
		defer span.End()
		_ = ctx
		next.ServeHTTP(w, r)
	})
}

func (inv *inventory) stock(w http.ResponseWriter, r *http.Request) {
	// Wrong: a span with no parent inside a request starts a new trace.
	span := inv.tracer.StartSpan("inventory.lookup")
	defer span.Finish()

	sku := r.URL.Query().Get("sku")
	var qty int64
	if err := inv.db.QueryRowContext(r.Context(), "SELECT qty FROM stock WHERE sku = ?", sku).Scan(&qty); err != nil {
		http.Error(w, err.Error(), http.StatusNotFound)
		return
	}
	inv.watch(sku)
	fmt.Fprintf(w, "%d\n", qty)
}

var (
	stockChanges = map[string]chan int64{}
	stockMu      sync.Mutex
)

// watch waits for the next stock change of sku, the way a Watch API is used. Nobody ever sends on the
// channel and nothing cancels the wait, so every request leaves one goroutine behind: a goroutine
// profile of the running shop shows them piling up in waitForChange.
func (inv *inventory) watch(sku string) {
	stockMu.Lock()
	ch, ok := stockChanges[sku]
	if !ok {
		ch = make(chan int64)
		stockChanges[sku] = ch
	}
	stockMu.Unlock()
	inv.watchers.Add(1)
	go inv.waitForChange(ch)
}

func (inv *inventory) waitForChange(ch chan int64) {
	defer inv.watchers.Done()
	select {
	case <-ch:
	case <-time.After(10 * time.Minute):
	}
}
