package main

import (
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"runtime/trace"
	"strconv"
	"strings"
	"sync"

	"example.com/shop/tracing"
)

// orders records orders and reserves stock.
type orders struct {
	tracer *tracing.Tracer
	db     *sql.DB
	mu     sync.Mutex
	ledger []string
}

func newOrders(tracer *tracing.Tracer, db *sql.DB) *orders {
	return &orders{tracer: tracer, db: db}
}

func (o *orders) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/orders", o.create)
	return mux
}

func (o *orders) create(w http.ResponseWriter, r *http.Request) {
	ctx := tracing.Extract(r.Context(), r.Header)
	ctx, span := o.tracer.Start(ctx, "orders.create")
	defer span.End()

	sku := r.URL.Query().Get("sku")
	qty, _ := strconv.ParseInt(r.URL.Query().Get("qty"), 10, 64)

	// Wrong: the audit goroutine starts from context.Background(). Its spans become a separate trace
	// (a "ghost request") and it keeps running after the client has gone.
	go o.audit(context.Background(), sku, qty)

	// Right: the notification keeps the trace and outlives the request on purpose.
	go o.notify(context.WithoutCancel(ctx), sku)

	// Wrong: Query has no context; the database call is not part of the trace and is not cancelled.
	rows, err := o.db.Query("SELECT qty FROM stock WHERE sku = ?", sku)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	var available int64
	for rows.Next() {
		_ = rows.Scan(&available)
	}
	rows.Close()

	// Right: the update runs under the request's context.
	if _, err := o.db.ExecContext(ctx, "UPDATE stock SET qty = qty - ? WHERE sku = ?", qty, sku); err != nil {
		span.SetAttribute("stock", "sold out")
	}

	receipt := o.receipt(ctx, sku, qty, available)
	fmt.Fprint(w, receipt)
}

// receipt builds the order's receipt: the allocation-heavy step a heap profile points at.
func (o *orders) receipt(ctx context.Context, sku string, qty, available int64) string {
	// Wrong: the span's context is thrown away, so work below attaches to orders.create, not to it.
	_, span := o.tracer.Start(ctx, "orders.receipt")
	defer span.End()
	lines := formatLines(ctx, sku, qty, available)

	o.mu.Lock()
	o.ledger = append(o.ledger, lines[0])
	if len(o.ledger) > 10000 {
		o.ledger = o.ledger[5000:]
	}
	o.mu.Unlock()
	return strings.Join(lines, "\n")
}

func formatLines(ctx context.Context, sku string, qty, available int64) []string {
	defer trace.StartRegion(ctx, "formatLines").End()
	lines := make([]string, 0, 64)
	for i := 0; i < 64; i++ {
		lines = append(lines, fmt.Sprintf("%s x%d (stock %d) line %d %s", sku, qty, available, i, strings.Repeat("-", 32)))
	}
	return lines
}

// audit writes the order to the ledger.
func (o *orders) audit(ctx context.Context, sku string, qty int64) {
	_, span := o.tracer.Start(ctx, "orders.audit")
	defer span.End()
	o.mu.Lock()
	o.ledger = append(o.ledger, fmt.Sprintf("audit %s %d", sku, qty))
	o.mu.Unlock()
}

// notify tells the warehouse.
func (o *orders) notify(ctx context.Context, sku string) {
	ctx, span := o.tracer.Start(ctx, "orders.notify")
	defer span.End()
	trace.Log(ctx, "notify", sku)
}
