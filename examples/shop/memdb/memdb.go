// Package memdb is a tiny in-memory database/sql driver, so the shop talks to a real *sql.DB with the
// standard library only. It understands two statements:
//
//	SELECT qty FROM stock WHERE sku = ?
//	UPDATE stock SET qty = qty - ? WHERE sku = ?
//
// Each query honours its context: a cancelled request stops waiting for the "disk".
package memdb

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"io"
	"strings"
	"sync"
	"time"
)

func init() { sql.Register("memdb", &Driver{}) }

type table struct {
	mu  sync.Mutex
	qty map[string]int64
}

var stock = &table{qty: map[string]int64{"apple": 500, "pear": 300, "fig": 120, "kiwi": 80}}

// Driver opens connections to the one shared in-memory table.
type Driver struct{}

func (*Driver) Open(string) (driver.Conn, error) { return &conn{}, nil }

type conn struct{}

func (*conn) Prepare(query string) (driver.Stmt, error) { return &stmt{query: query}, nil }
func (*conn) Close() error                              { return nil }
func (*conn) Begin() (driver.Tx, error)                 { return tx{}, nil }

type tx struct{}

func (tx) Commit() error   { return nil }
func (tx) Rollback() error { return nil }

type stmt struct{ query string }

func (*stmt) Close() error  { return nil }
func (*stmt) NumInput() int { return -1 }

// latency stands in for I/O; it is where a request waits when the database is slow.
func latency(ctx context.Context) error {
	select {
	case <-time.After(2 * time.Millisecond):
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (s *stmt) Exec(args []driver.Value) (driver.Result, error) {
	return s.ExecContext(context.Background(), named(args))
}

func (s *stmt) ExecContext(ctx context.Context, args []driver.NamedValue) (driver.Result, error) {
	if err := latency(ctx); err != nil {
		return nil, err
	}
	if !strings.HasPrefix(s.query, "UPDATE stock SET qty = qty - ?") || len(args) != 2 {
		return nil, errors.New("memdb: unsupported statement: " + s.query)
	}
	n, _ := args[0].Value.(int64)
	sku, _ := args[1].Value.(string)
	stock.mu.Lock()
	defer stock.mu.Unlock()
	if stock.qty[sku] < n {
		return nil, errors.New("memdb: not enough " + sku)
	}
	stock.qty[sku] -= n
	return driver.RowsAffected(1), nil
}

func (s *stmt) Query(args []driver.Value) (driver.Rows, error) {
	return s.QueryContext(context.Background(), named(args))
}

func (s *stmt) QueryContext(ctx context.Context, args []driver.NamedValue) (driver.Rows, error) {
	if err := latency(ctx); err != nil {
		return nil, err
	}
	if !strings.HasPrefix(s.query, "SELECT qty FROM stock WHERE sku = ?") || len(args) != 1 {
		return nil, errors.New("memdb: unsupported query: " + s.query)
	}
	sku, _ := args[0].Value.(string)
	stock.mu.Lock()
	qty, ok := stock.qty[sku]
	stock.mu.Unlock()
	if !ok {
		return &rows{}, nil
	}
	return &rows{values: []int64{qty}}, nil
}

func named(args []driver.Value) []driver.NamedValue {
	out := make([]driver.NamedValue, len(args))
	for i, a := range args {
		out[i] = driver.NamedValue{Ordinal: i + 1, Value: a}
	}
	return out
}

type rows struct {
	values []int64
	next   int
}

func (*rows) Columns() []string { return []string{"qty"} }
func (*rows) Close() error      { return nil }
func (r *rows) Next(dest []driver.Value) error {
	if r.next >= len(r.values) {
		return io.EOF
	}
	dest[0] = r.values[r.next]
	r.next++
	return nil
}
