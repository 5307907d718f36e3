// tracegen writes a Go execution trace (runtime/trace, standard library only) with everything the
// timeline shows: nested user tasks and regions, logs, goroutines blocked on channels, mutexes, select
// and sleep, blocking syscalls on a pipe, garbage collections and goroutines that are created and end.
//
// With -spans it also writes the OTLP/JSON spans of the same run, the way the OpenTelemetry Go SDK
// does it: each span records a runtime/trace task of the same name while the execution tracer is on,
// so tests can match spans to tasks. With -rounds N it repeats the workload to make large traces for
// benchmarks.
//
//	tracegen -o trace.out [-spans spans.json] [-rounds 1]
package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"runtime"
	"runtime/trace"
	"strconv"
	"sync"
	"time"
)

var (
	outPath   = flag.String("o", "trace.out", "where to write the execution trace")
	spansPath = flag.String("spans", "", "where to write the OTLP/JSON spans of the same run (optional)")
	rounds    = flag.Int("rounds", 1, "how many times to repeat the workload (more rounds, more events)")
	workers   = flag.Int("workers", 4, "goroutines per stage of the pipeline")
)

// recordedSpan is one span as the OTLP/JSON exporter writes it.
type recordedSpan struct {
	TraceID      string          `json:"traceId"`
	SpanID       string          `json:"spanId"`
	ParentSpanID string          `json:"parentSpanId,omitempty"`
	Name         string          `json:"name"`
	Kind         int             `json:"kind"`
	Start        string          `json:"startTimeUnixNano"`
	End          string          `json:"endTimeUnixNano"`
	Attributes   []spanAttribute `json:"attributes,omitempty"`
}

type spanAttribute struct {
	Key   string         `json:"key"`
	Value map[string]any `json:"value"`
}

// spanRecorder is a tiny stand-in for the OpenTelemetry SDK: a span starts a runtime/trace task
// named after it, so the execution trace and the span file describe the same work.
type spanRecorder struct {
	mu    sync.Mutex
	spans []recordedSpan
}

type spanContextKey struct{}

type activeSpan struct {
	recorder *spanRecorder
	data     recordedSpan
	task     *trace.Task
}

func randomHex(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		log.Fatal(err)
	}
	return hex.EncodeToString(b)
}

func (r *spanRecorder) start(ctx context.Context, name string, kind int) (context.Context, *activeSpan) {
	parent, _ := ctx.Value(spanContextKey{}).(*activeSpan)
	s := &activeSpan{recorder: r, data: recordedSpan{SpanID: randomHex(8), Name: name, Kind: kind}}
	if parent != nil {
		s.data.TraceID = parent.data.TraceID
		s.data.ParentSpanID = parent.data.SpanID
	} else {
		s.data.TraceID = randomHex(16)
	}
	ctx, s.task = trace.NewTask(ctx, name)
	s.data.Start = strconv.FormatInt(time.Now().UnixNano(), 10)
	_, file, line, _ := runtime.Caller(1)
	s.data.Attributes = []spanAttribute{
		{Key: "code.filepath", Value: map[string]any{"stringValue": file}},
		{Key: "code.lineno", Value: map[string]any{"intValue": strconv.Itoa(line)}},
	}
	return context.WithValue(ctx, spanContextKey{}, s), s
}

func (s *activeSpan) end() {
	s.data.End = strconv.FormatInt(time.Now().UnixNano(), 10)
	s.task.End()
	s.recorder.mu.Lock()
	s.recorder.spans = append(s.recorder.spans, s.data)
	s.recorder.mu.Unlock()
}

func (r *spanRecorder) writeOTLP(path string) error {
	doc := map[string]any{
		"resourceSpans": []any{map[string]any{
			"resource": map[string]any{"attributes": []any{
				map[string]any{"key": "service.name", "value": map[string]any{"stringValue": "tracegen"}},
			}},
			"scopeSpans": []any{map[string]any{
				"scope": map[string]any{"name": "gotracelens.test/programs/tracegen"},
				"spans": r.spans,
			}},
		}},
	}
	data, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, data, 0o644)
}

// checksum is the CPU work of a stage.
func checksum(seed, n int) uint64 {
	acc := uint64(seed)
	for i := 0; i < n; i++ {
		acc = acc*6364136223846793005 + 1442695040888963407
		acc ^= acc >> 29
	}
	return acc
}

// produce sends work items into a channel: its consumers block on receive until it does.
func produce(ctx context.Context, out chan<- int, count int) {
	defer close(out)
	trace.WithRegion(ctx, "produce", func() {
		for i := 0; i < count; i++ {
			out <- i
		}
	})
}

// consume takes items from the channel, holds a shared lock for some of them (so others block on
// the mutex) and sleeps now and then.
func consume(ctx context.Context, id int, in <-chan int, mu *sync.Mutex, total *uint64, done *sync.WaitGroup) {
	defer done.Done()
	for item := range in {
		region := trace.StartRegion(ctx, "consume item")
		sum := checksum(item, 2000)
		if item%4 == 0 {
			trace.WithRegion(ctx, "critical section", func() {
				mu.Lock()
				*total += sum
				time.Sleep(20 * time.Microsecond)
				mu.Unlock()
			})
		}
		if item%16 == id {
			trace.Logf(ctx, "consumer", "worker %d took item %d", id, item)
		}
		region.End()
	}
}

// pipeRoundTrip makes goroutines block in read syscalls on a pipe until a writer fills it.
func pipeRoundTrip(ctx context.Context, messages int) error {
	reader, writer, err := os.Pipe()
	if err != nil {
		return err
	}
	defer reader.Close()
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer writer.Close()
		trace.WithRegion(ctx, "pipe writer", func() {
			for i := 0; i < messages; i++ {
				time.Sleep(200 * time.Microsecond)
				fmt.Fprintf(writer, "message %03d\n", i)
			}
		})
	}()
	buf := make([]byte, 12)
	var readErr error
	trace.WithRegion(ctx, "pipe reader", func() {
		for i := 0; i < messages; i++ {
			if _, err := io.ReadFull(reader, buf); err != nil {
				readErr = err
				return
			}
		}
	})
	wg.Wait()
	trace.Log(ctx, "pipe", "read "+strconv.Itoa(messages)+" messages")
	return readErr
}

// fileWrites does plain (non-blocking) syscalls.
func fileWrites(ctx context.Context, dir string) error {
	defer trace.StartRegion(ctx, "file writes").End()
	f, err := os.CreateTemp(dir, "tracegen-*.txt")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	defer f.Close()
	for i := 0; i < 8; i++ {
		if _, err := fmt.Fprintf(f, "line %d\n", i); err != nil {
			return err
		}
		if err := f.Sync(); err != nil {
			return err
		}
	}
	return nil
}

// selectTimeouts blocks goroutines in select until a timer fires.
func selectTimeouts(ctx context.Context) {
	defer trace.StartRegion(ctx, "select with timeout").End()
	never := make(chan struct{})
	for i := 0; i < 3; i++ {
		select {
		case <-never:
		case <-time.After(300 * time.Microsecond):
		}
	}
}

// garbage allocates enough to be worth collecting, then forces a collection.
func garbage(ctx context.Context) int {
	defer trace.StartRegion(ctx, "allocate and collect").End()
	var kept [][]byte
	for i := 0; i < 2000; i++ {
		b := make([]byte, 4096)
		if i%100 == 0 {
			kept = append(kept, b)
		}
	}
	runtime.GC()
	return len(kept)
}

// handleRequest is one "request": a span (and its task) with child spans for each stage.
func handleRequest(ctx context.Context, spans *spanRecorder, n int, dir string) error {
	ctx, request := spans.start(ctx, "handle request", 2)
	defer request.end()
	trace.Log(ctx, "request", "number "+strconv.Itoa(n))

	pipelineCtx, pipelineSpan := spans.start(ctx, "pipeline", 1)
	items := make(chan int)
	var mu sync.Mutex
	var total uint64
	var done sync.WaitGroup
	for w := 0; w < *workers; w++ {
		done.Add(1)
		go consume(pipelineCtx, w, items, &mu, &total, &done)
	}
	produce(pipelineCtx, items, 64)
	done.Wait()
	trace.Logf(pipelineCtx, "pipeline", "total %d", total)
	pipelineSpan.end()

	ioCtx, ioSpan := spans.start(ctx, "io", 1)
	err := pipeRoundTrip(ioCtx, 8)
	if err == nil {
		err = fileWrites(ioCtx, dir)
	}
	ioSpan.end()
	if err != nil {
		return err
	}

	waitCtx, waitSpan := spans.start(ctx, "wait", 1)
	selectTimeouts(waitCtx)
	waitSpan.end()

	gcCtx, gcSpan := spans.start(ctx, "collect", 1)
	garbage(gcCtx)
	gcSpan.end()
	return nil
}

func run() error {
	out, err := os.Create(*outPath)
	if err != nil {
		return err
	}
	defer out.Close()
	dir, err := os.MkdirTemp("", "tracegen")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)

	if err := trace.Start(out); err != nil {
		return err
	}
	spans := &spanRecorder{}
	ctx := context.Background()
	var runErr error
	for n := 0; n < *rounds && runErr == nil; n++ {
		runErr = handleRequest(ctx, spans, n, dir)
	}
	trace.Stop()
	if runErr != nil {
		return runErr
	}
	if *spansPath != "" {
		return spans.writeOTLP(*spansPath)
	}
	return nil
}

func main() {
	flag.Parse()
	if err := run(); err != nil {
		log.Fatal(err)
	}
}
