package main

import (
	"context"
	"testing"
)

// Pricing is deterministic: the same basket always costs the same, and more items cost more.
func TestPriceBasket(t *testing.T) {
	ctx := context.Background()
	one := priceBasket(ctx, "apple", 1)
	if one <= 0 {
		t.Fatalf("priceBasket(apple, 1) = %v, want a positive price", one)
	}
	if again := priceBasket(ctx, "apple", 1); again != one {
		t.Fatalf("priceBasket(apple, 1) = %v, then %v: pricing is not deterministic", one, again)
	}
	if three := priceBasket(ctx, "apple", 3); three <= one {
		t.Fatalf("priceBasket(apple, 3) = %v, not more than one apple (%v)", three, one)
	}
}

func TestBasePriceRange(t *testing.T) {
	for _, sku := range skus {
		if p := basePrice(sku); p < 1 || p >= 6 {
			t.Errorf("basePrice(%q) = %v, want 1 ≤ p < 6", sku, p)
		}
	}
}

// BenchmarkPriceBasket prices the shop's baskets: a CPU profile of it points at applyDiscounts.
func BenchmarkPriceBasket(b *testing.B) {
	ctx := context.Background()
	var total float64
	for i := 0; i < b.N; i++ {
		total += priceBasket(ctx, skus[i%len(skus)], 1+i%3)
	}
	if total <= 0 {
		b.Fatal("no basket had a price")
	}
}
