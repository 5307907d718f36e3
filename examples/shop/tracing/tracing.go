// Package tracing is the shop's small tracer: spans with W3C trace-context propagation, a sampler, and
// an OTLP/JSON exporter. Like the OpenTelemetry Go SDK, every span also opens a runtime/trace task of
// the same name, so an execution trace taken while the service runs lines up with its spans. And like
// Pyroscope's otel-profiling-go, a sampled span labels the goroutine that runs it with its ids
// (span_id, trace_id, span_name as pprof labels): the CPU samples taken while it runs carry them, so a
// profile can be cut down to the work of one span ("CPU profile of this span" in Go Trace Lens).
package tracing

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"runtime/pprof"
	"runtime/trace"
	"sync"
	"time"
)

type TraceID [16]byte
type SpanID [8]byte

func (t TraceID) String() string { return hex.EncodeToString(t[:]) }
func (s SpanID) String() string  { return hex.EncodeToString(s[:]) }

// SpanContext identifies a span across process boundaries.
type SpanContext struct {
	TraceID TraceID
	SpanID  SpanID
	Sampled bool
}

func (sc SpanContext) IsValid() bool { return sc.TraceID != TraceID{} }

// Span is one timed operation of a trace.
type Span struct {
	tracer     *Tracer
	name       string
	sc         SpanContext
	parent     SpanID
	start, end time.Time
	attrs      map[string]string
	task       *trace.Task
	// labelled is the context whose pprof labels the goroutine had before the span labelled it; End
	// puts them back. Nil when the span did not label its goroutine.
	labelled context.Context
	mu       sync.Mutex
	ended    bool
}

func (s *Span) SpanContext() SpanContext { return s.sc }

// SetAttribute records a key/value on the span.
func (s *Span) SetAttribute(key, value string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.attrs == nil {
		s.attrs = map[string]string{}
	}
	s.attrs[key] = value
}

// End finishes the span and hands it to the exporter when it is sampled.
func (s *Span) End() {
	s.mu.Lock()
	if s.ended {
		s.mu.Unlock()
		return
	}
	s.ended = true
	s.end = time.Now()
	s.mu.Unlock()
	if s.task != nil {
		s.task.End()
	}
	if s.labelled != nil {
		pprof.SetGoroutineLabels(s.labelled)
	}
	if s.sc.Sampled && s.tracer.exporter != nil {
		s.tracer.exporter.export(s)
	}
}

// Finish is End under OpenTracing's name.
func (s *Span) Finish() { s.End() }

type spanKey struct{}

// ContextWithSpan returns a context that carries span.
func ContextWithSpan(ctx context.Context, span *Span) context.Context {
	return context.WithValue(ctx, spanKey{}, span)
}

// SpanFromContext returns the span ctx carries, or nil.
func SpanFromContext(ctx context.Context) *Span {
	span, _ := ctx.Value(spanKey{}).(*Span)
	return span
}

type remoteKey struct{}

// Tracer starts spans for one service.
type Tracer struct {
	service  string
	sampler  Sampler
	exporter *Exporter
}

// NewTracer creates the tracer of a service. exporter may be nil (spans are then dropped).
func NewTracer(service string, sampler Sampler, exporter *Exporter) *Tracer {
	return &Tracer{service: service, sampler: sampler, exporter: exporter}
}

// Start starts a span as a child of the span in ctx (or of a remote parent extracted from headers) and
// returns a context that carries the new span. Use the returned context for the work inside the span.
func (t *Tracer) Start(ctx context.Context, name string) (context.Context, *Span) {
	var parent SpanContext
	if p := SpanFromContext(ctx); p != nil {
		parent = p.sc
	} else if remote, ok := ctx.Value(remoteKey{}).(SpanContext); ok {
		parent = remote
	}
	span := t.newSpan(name, parent)
	ctx, span.task = trace.NewTask(ctx, name)
	if span.sc.Sampled {
		// The span's ids as pprof labels, on ctx (so pprof.Do inside the span keeps them) and on this
		// goroutine (and the goroutines it starts) until End. This is what pprof.Do does for a function;
		// a span has a Start and an End instead. End must run on the goroutine that called Start, as it
		// does with the usual `defer span.End()`.
		span.labelled = ctx
		ctx = pprof.WithLabels(ctx, pprof.Labels("span_id", span.sc.SpanID.String(), "trace_id", span.sc.TraceID.String(), "span_name", name))
		pprof.SetGoroutineLabels(ctx)
	}
	return ContextWithSpan(ctx, span), span
}

// StartSpan starts a span with no parent: a new trace. Inside a request, this breaks the chain; use
// Start(ctx, name) or StartSpanFromContext instead.
func (t *Tracer) StartSpan(name string) *Span {
	return t.newSpan(name, SpanContext{})
}

// StartSpanFromContext is the OpenTracing-style spelling of Start.
func (t *Tracer) StartSpanFromContext(ctx context.Context, name string) (*Span, context.Context) {
	ctx, span := t.Start(ctx, name)
	return span, ctx
}

func (t *Tracer) newSpan(name string, parent SpanContext) *Span {
	span := &Span{tracer: t, name: name, start: time.Now()}
	if parent.IsValid() {
		span.sc.TraceID = parent.TraceID
		span.parent = parent.SpanID
		span.sc.Sampled = t.sampler.ShouldSample(parent, span.sc.TraceID)
	} else {
		_, _ = rand.Read(span.sc.TraceID[:])
		span.sc.Sampled = t.sampler.ShouldSample(SpanContext{}, span.sc.TraceID)
	}
	_, _ = rand.Read(span.sc.SpanID[:])
	return span
}

// Inject writes the span in ctx into the W3C traceparent header.
func Inject(ctx context.Context, header http.Header) {
	span := SpanFromContext(ctx)
	if span == nil {
		return
	}
	flags := "00"
	if span.sc.Sampled {
		flags = "01"
	}
	header.Set("traceparent", fmt.Sprintf("00-%s-%s-%s", span.sc.TraceID, span.sc.SpanID, flags))
}

// Extract reads a W3C traceparent header into the context, as the remote parent of the next span.
func Extract(ctx context.Context, header http.Header) context.Context {
	var sc SpanContext
	var version, traceID, spanID, flags string
	if _, err := fmt.Sscanf(stringsReplaceDash(header.Get("traceparent")), "%s %s %s %s", &version, &traceID, &spanID, &flags); err != nil {
		return ctx
	}
	if t, err := hex.DecodeString(traceID); err != nil || len(t) != 16 {
		return ctx
	} else {
		copy(sc.TraceID[:], t)
	}
	if s, err := hex.DecodeString(spanID); err != nil || len(s) != 8 {
		return ctx
	} else {
		copy(sc.SpanID[:], s)
	}
	sc.Sampled = flags == "01"
	return context.WithValue(ctx, remoteKey{}, sc)
}

func stringsReplaceDash(s string) string {
	out := []byte(s)
	for i, c := range out {
		if c == '-' {
			out[i] = ' '
		}
	}
	return string(out)
}
