// Go sources the LSP tests open as documents.

/** An HTTP handler that starts a goroutine from context.Background(): one goroutine-background finding on line 10. */
export const GOROUTINE_FROM_BACKGROUND = `package main

import (
	"context"
	"net/http"
)

func audit(ctx context.Context) {}

func handle(w http.ResponseWriter, r *http.Request) {
	go audit(context.Background())
}
`;
