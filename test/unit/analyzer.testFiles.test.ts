// Test files follow the same rules, but tests build their contexts from Background() on purpose: the same
// code that is a finding in a service's file is none in a `_test.go` file, for every root-context rule. Span
// rules still apply there.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeSource } from '../helpers/analyze';

const SOURCE = `package orders

import (
	"context"
	"net/http"

	"go.opentelemetry.io/otel"
)

type blobClient struct{}

func (blobClient) Download(ctx context.Context, name string) error { return nil }

var tracer = otel.Tracer("orders")

func fetch(ctx context.Context, c blobClient) error {
	go c.Download(context.Background(), "async")
	return c.Download(context.Background(), "sync")
}

func handle(w http.ResponseWriter, r *http.Request, c blobClient) {
	_ = c.Download(context.TODO(), "handler")
	resp, err := http.Get("http://inventory/stock")
	_, _ = resp, err
	_, span := tracer.Start(r.Context(), "never ended")
	_ = span
}
`;

test('root-context findings of a service file are none in a _test.go file; span findings remain', async () => {
  const rules = async (filePath: string) => (await analyzeSource(SOURCE, { filePath })).map((f) => `${f.range.start.line + 1}:${f.rule}`).sort();
  assert.deepEqual(await rules('/work/orders/fetch.go'), [
    '17:goroutine-background', '18:non-inherited-context', '22:handler-root-context', '23:http-without-context', '25:span-not-ended',
  ].sort());
  assert.deepEqual(await rules('/work/orders/fetch_test.go'), ['25:span-not-ended']);
});
