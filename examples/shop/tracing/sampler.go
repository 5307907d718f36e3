package tracing

import "encoding/binary"

// Sampler decides whether a new span is recorded.
type Sampler interface {
	ShouldSample(parent SpanContext, traceID TraceID) bool
}

type alwaysSample struct{}

func (alwaysSample) ShouldSample(SpanContext, TraceID) bool { return true }

// AlwaysSample records every span.
func AlwaysSample() Sampler { return alwaysSample{} }

type ratioSampler struct{ bound uint64 }

func (r ratioSampler) ShouldSample(_ SpanContext, id TraceID) bool {
	return binary.BigEndian.Uint64(id[8:])>>1 < r.bound
}

// TraceIDRatioBased records a fraction of traces, deciding from the trace id alone. Used on its own in a
// service that receives requests, it ignores the caller's decision: some services of a trace record
// their spans and others do not.
func TraceIDRatioBased(fraction float64) Sampler {
	if fraction >= 1 {
		return alwaysSample{}
	}
	return ratioSampler{bound: uint64(fraction * (1 << 63))}
}

type parentBased struct{ root Sampler }

func (p parentBased) ShouldSample(parent SpanContext, id TraceID) bool {
	if parent.IsValid() {
		return parent.Sampled
	}
	return p.root.ShouldSample(parent, id)
}

// ParentBased follows the caller's sampling decision and uses root only for new traces.
func ParentBased(root Sampler) Sampler { return parentBased{root: root} }
