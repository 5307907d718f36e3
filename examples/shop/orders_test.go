package main

import (
	"context"
	"strings"
	"testing"
)

func TestFormatLines(t *testing.T) {
	lines := formatLines(context.Background(), "fig", 2, 7)
	if len(lines) != 64 {
		t.Fatalf("formatLines gave %d lines, want 64", len(lines))
	}
	if !strings.HasPrefix(lines[0], "fig x2 (stock 7) line 0 ") {
		t.Fatalf("first line %q", lines[0])
	}
}

// BenchmarkFormatLines builds receipt lines: a memory profile of it points at formatLines.
func BenchmarkFormatLines(b *testing.B) {
	ctx := context.Background()
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if lines := formatLines(ctx, skus[i%len(skus)], int64(i%5), 100); len(lines) == 0 {
			b.Fatal("no lines")
		}
	}
}
