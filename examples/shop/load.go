package main

import (
	"context"
	"fmt"
	"io"
	"math/rand"
	"net/http"
	"time"
)

var skus = []string{"apple", "pear", "fig", "kiwi"}

// generateLoad sends checkouts to the gateway until ctx is cancelled.
func generateLoad(ctx context.Context, gatewayURL string, pause time.Duration) {
	client := &http.Client{Timeout: 5 * time.Second}
	for i := 0; ctx.Err() == nil; i++ {
		url := fmt.Sprintf("%s/checkout?sku=%s&qty=%d", gatewayURL, skus[i%len(skus)], 1+rand.Intn(3))
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, nil)
		if err != nil {
			return
		}
		if resp, err := client.Do(req); err == nil {
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
		select {
		case <-ctx.Done():
		case <-time.After(pause):
		}
	}
}
