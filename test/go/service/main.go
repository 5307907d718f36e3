// A real Go service for Go Trace Lens's tests: standard library only, serving /debug/pprof/* on
// loopback while it does known CPU, allocation, lock, blocking and goroutine work, under pprof labels
// and runtime/trace tasks and regions. Tests build it with the installed toolchain, start it on a free
// port and compare our decoders with `go tool pprof` / `go tool trace` on what it produces.
//
// It prints "listening on http://ADDR" once it accepts connections.
package main

import (
	"context"
	"crypto/sha256"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	_ "net/http/pprof"
	"os"
	"runtime"
	"runtime/pprof"
	"runtime/trace"
	"strconv"
	"sync"
	"time"
)

var (
	addr      = flag.String("addr", "127.0.0.1:0", "listen address")
	leak      = flag.Int("leak", 0, "goroutines to leak, blocked forever in leakyWait")
	busy      = flag.Bool("busy", true, "run the background load")
	retained  [][]byte
	retainMu  sync.Mutex
	shared    sync.Mutex
	sharedSum uint64
)

// mix is small enough to be inlined into its callers: profiles record it as an inlined frame.
func mix(x uint64) uint64 {
	x ^= x >> 33
	x *= 0xff51afd7ed558ccd
	return x ^ (x >> 29)
}

// fib recurses: a sample deep in it holds fib many times, which pprof counts once in cum.
func fib(n int) int {
	if n < 2 {
		return n
	}
	return fib(n-1) + fib(n-2)
}

// burnCPU hashes and mixes: the CPU profile's hot function.
func burnCPU(rounds int) uint64 {
	var acc uint64
	buf := make([]byte, 4096)
	for i := 0; i < rounds; i++ {
		sum := sha256.Sum256(buf)
		buf[i%len(buf)] = sum[0]
		for j := 0; j < 2000; j++ {
			acc = mix(acc + uint64(j))
		}
	}
	return acc + uint64(fib(22))
}

// allocate makes garbage and keeps some of it: alloc_* and inuse_* both have samples.
func allocate(n int) int {
	total := 0
	for i := 0; i < n; i++ {
		b := make([]byte, 1024+i%4096)
		m := make(map[string]int, 16)
		m[strconv.Itoa(i)] = len(b)
		total += len(b) + len(m)
		if i%64 == 0 {
			retainMu.Lock()
			retained = append(retained, b)
			if len(retained) > 2048 {
				retained = retained[1024:]
			}
			retainMu.Unlock()
		}
	}
	return total
}

// contend holds a shared lock while working: the mutex profile's contention.
func contend() {
	shared.Lock()
	for i := 0; i < 20000; i++ {
		sharedSum = mix(sharedSum + uint64(i))
	}
	time.Sleep(200 * time.Microsecond)
	shared.Unlock()
}

// handOff blocks on a channel: the block profile's delay.
func handOff(ch chan int) {
	for i := 0; i < 10; i++ {
		ch <- i
	}
}

func drain(ch chan int) {
	for range ch {
		time.Sleep(100 * time.Microsecond)
	}
}

// leakyWait never returns: the goroutine profile's pile-up.
func leakyWait(never chan struct{}) {
	<-never
}

func worker(ctx context.Context, kind string, step func(ctx context.Context)) {
	pprof.Do(ctx, pprof.Labels("worker", kind), func(ctx context.Context) {
		for ctx.Err() == nil {
			tctx, task := trace.NewTask(ctx, "step:"+kind)
			trace.WithRegion(tctx, kind, func() { step(tctx) })
			trace.Log(tctx, "worker", kind)
			task.End()
			time.Sleep(time.Millisecond) // leave the machine some room: tests run beside it
		}
	})
}

func startLoad(ctx context.Context) {
	go worker(ctx, "cpu", func(context.Context) { burnCPU(200) })
	go worker(ctx, "alloc", func(context.Context) { allocate(2000) })
	for i := 0; i < 3; i++ {
		go worker(ctx, "lock", func(context.Context) { contend() })
	}
	go worker(ctx, "chan", func(context.Context) {
		ch := make(chan int)
		go drain(ch)
		handOff(ch)
		close(ch)
	})
}

func workHandler(w http.ResponseWriter, r *http.Request) {
	n, _ := strconv.Atoi(r.URL.Query().Get("n"))
	if n <= 0 {
		n = 50
	}
	ctx, task := trace.NewTask(r.Context(), "http:/work")
	defer task.End()
	var result uint64
	trace.WithRegion(ctx, "burn", func() { result = burnCPU(n) })
	fmt.Fprintf(w, "%d\n", result)
}

func main() {
	flag.Parse()
	runtime.SetMutexProfileFraction(1)
	runtime.SetBlockProfileRate(1000)

	never := make(chan struct{})
	for i := 0; i < *leak; i++ {
		go leakyWait(never)
	}
	if *busy {
		startLoad(context.Background())
	}

	http.HandleFunc("/work", workHandler)
	http.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) { fmt.Fprintln(w, "ok") })

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Fprintf(os.Stdout, "listening on http://%s\n", ln.Addr())
	log.Fatal(http.Serve(ln, nil))
}
