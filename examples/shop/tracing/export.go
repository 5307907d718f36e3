package tracing

import (
	"encoding/json"
	"os"
	"strconv"
	"sync"
)

// Exporter writes finished spans as OTLP/JSON, one ExportTraceServiceRequest per line (the format of
// the OpenTelemetry Collector's file exporter). Go Trace Lens opens these files in its timeline.
type Exporter struct {
	mu  sync.Mutex
	enc *json.Encoder
	f   *os.File
}

// NewFileExporter appends to path, creating it if needed.
func NewFileExporter(path string) (*Exporter, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		return nil, err
	}
	return &Exporter{enc: json.NewEncoder(f), f: f}, nil
}

func (e *Exporter) Close() error { return e.f.Close() }

type kv struct {
	Key   string            `json:"key"`
	Value map[string]string `json:"value"`
}

func (e *Exporter) export(s *Span) {
	attrs := []kv{}
	for k, v := range s.attrs {
		attrs = append(attrs, kv{Key: k, Value: map[string]string{"stringValue": v}})
	}
	span := map[string]any{
		"traceId":           s.sc.TraceID.String(),
		"spanId":            s.sc.SpanID.String(),
		"name":              s.name,
		"kind":              1,
		"startTimeUnixNano": strconv.FormatInt(s.start.UnixNano(), 10),
		"endTimeUnixNano":   strconv.FormatInt(s.end.UnixNano(), 10),
		"attributes":        attrs,
	}
	if s.parent != (SpanID{}) {
		span["parentSpanId"] = s.parent.String()
	}
	req := map[string]any{
		"resourceSpans": []any{map[string]any{
			"resource": map[string]any{"attributes": []kv{{Key: "service.name", Value: map[string]string{"stringValue": s.tracer.service}}}},
			"scopeSpans": []any{map[string]any{
				"scope": map[string]string{"name": "example.com/shop/tracing"},
				"spans": []any{span},
			}},
		}},
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	_ = e.enc.Encode(req)
}
