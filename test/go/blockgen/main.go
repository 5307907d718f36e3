// blockgen writes a Go execution trace (runtime/trace, standard library only) full of the waits the
// trace-derived profiles (`go tool trace -pprof=net|sync|syscall|sched`) measure:
//
//   - network: an HTTP server and its clients on a loopback port, and a raw TCP echo whose client waits
//     for a slow reply (goroutines parked in the network poller);
//   - sync: channel sends and receives, select, sync.Mutex, sync.RWMutex, sync.WaitGroup and sync.Cond;
//   - syscall: file writes with fsync, and reads that block in the kernel on a blocking pipe;
//   - sched: more CPU-bound goroutines than Ps (GOMAXPROCS 2), so runnable goroutines pile up;
//
// inside user tasks and regions (nested ones of the same type, and goroutines started inside a region),
// plus a goroutine that blocks forever (`select {}`). With -rounds N the workload repeats.
//
//	blockgen -o trace.out [-rounds 1]
package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"runtime"
	"runtime/trace"
	"sync"
	"syscall"
	"time"
)

var (
	outPath = flag.String("o", "trace.out", "where to write the execution trace")
	rounds  = flag.Int("rounds", 1, "how many times to repeat the workload")
)

// spin is CPU work that does not block.
func spin(seed, n int) uint64 {
	acc := uint64(seed)
	for i := 0; i < n; i++ {
		acc = acc*6364136223846793005 + 1442695040888963407
		acc ^= acc >> 29
	}
	return acc
}

// httpServer serves /work on a loopback port until the context ends; its handler takes a little time.
func httpServer(ctx context.Context) (string, func(), error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/work", func(w http.ResponseWriter, r *http.Request) {
		defer trace.StartRegion(r.Context(), "handle /work").End()
		time.Sleep(300 * time.Microsecond)
		fmt.Fprintf(w, "done %d\n", spin(len(r.URL.RawQuery), 20000))
	})
	server := &http.Server{Handler: mux, BaseContext: func(net.Listener) context.Context { return ctx }}
	go server.Serve(ln)
	return "http://" + ln.Addr().String(), func() { server.Close() }, nil
}

// httpClient makes requests one after another: it waits on the network for each reply.
func httpClient(ctx context.Context, base string, requests int, done *sync.WaitGroup) {
	defer done.Done()
	client := &http.Client{}
	for i := 0; i < requests; i++ {
		trace.WithRegion(ctx, "http request", func() {
			req, err := http.NewRequestWithContext(ctx, "GET", fmt.Sprintf("%s/work?n=%d", base, i), nil)
			if err != nil {
				log.Fatal(err)
			}
			resp, err := client.Do(req)
			if err != nil {
				log.Fatal(err)
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		})
	}
}

// tcpEcho answers each line after a delay, so its client waits on the network for the reply.
func tcpEcho(ln net.Listener) {
	for {
		conn, err := ln.Accept()
		if err != nil {
			return
		}
		go func(c net.Conn) {
			defer c.Close()
			r := bufio.NewReader(c)
			for {
				line, err := r.ReadString('\n')
				if err != nil {
					return
				}
				time.Sleep(500 * time.Microsecond)
				c.Write([]byte(line))
			}
		}(conn)
	}
}

func tcpClient(ctx context.Context, addr string, messages int) error {
	defer trace.StartRegion(ctx, "tcp echo").End()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		return err
	}
	defer conn.Close()
	r := bufio.NewReader(conn)
	for i := 0; i < messages; i++ {
		fmt.Fprintf(conn, "ping %d\n", i)
		if _, err := r.ReadString('\n'); err != nil {
			return err
		}
	}
	return nil
}

// network runs the HTTP and TCP clients against their servers.
func network(ctx context.Context) error {
	ctx, task := trace.NewTask(ctx, "network")
	defer task.End()
	base, stop, err := httpServer(ctx)
	if err != nil {
		return err
	}
	defer stop()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	defer ln.Close()
	go tcpEcho(ln)
	var done sync.WaitGroup
	for c := 0; c < 3; c++ {
		done.Add(1)
		go httpClient(ctx, base, 6, &done)
	}
	err = tcpClient(ctx, ln.Addr().String(), 8)
	done.Wait()
	return err
}

// syncWaits blocks goroutines on every kind of synchronization.
func syncWaits(ctx context.Context) {
	ctx, task := trace.NewTask(ctx, "sync")
	defer task.End()
	defer trace.StartRegion(ctx, "sync waits").End()

	// Channels: an unbuffered pipeline whose stages wait on send and receive.
	items := make(chan int)
	results := make(chan uint64)
	var stages sync.WaitGroup
	for w := 0; w < 3; w++ {
		stages.Add(1)
		go func(id int) {
			defer stages.Done()
			for item := range items {
				results <- spin(item, 3000+id)
			}
		}(w)
	}
	go func() {
		trace.WithRegion(ctx, "produce", func() {
			for i := 0; i < 48; i++ {
				items <- i
			}
		})
		close(items)
		stages.Wait()
		close(results)
	}()
	var sum uint64
	for r := range results {
		sum += r
	}

	// A contended mutex and a read-write lock.
	var mu sync.Mutex
	var rw sync.RWMutex
	var lockers sync.WaitGroup
	for w := 0; w < 4; w++ {
		lockers.Add(1)
		go func(id int) {
			defer lockers.Done()
			for i := 0; i < 6; i++ {
				trace.WithRegion(ctx, "critical section", func() {
					mu.Lock()
					sum += spin(id+i, 4000)
					time.Sleep(50 * time.Microsecond)
					mu.Unlock()
				})
				if i%2 == 0 {
					rw.Lock()
					time.Sleep(30 * time.Microsecond)
					rw.Unlock()
				} else {
					rw.RLock()
					time.Sleep(10 * time.Microsecond)
					rw.RUnlock()
				}
			}
		}(w)
	}
	lockers.Wait()

	// A condition variable broadcast to waiters.
	var cmu sync.Mutex
	cond := sync.NewCond(&cmu)
	ready := false
	var waiters sync.WaitGroup
	for w := 0; w < 3; w++ {
		waiters.Add(1)
		go func() {
			defer waiters.Done()
			cmu.Lock()
			for !ready {
				cond.Wait()
			}
			cmu.Unlock()
		}()
	}
	time.Sleep(200 * time.Microsecond)
	cmu.Lock()
	ready = true
	cond.Broadcast()
	cmu.Unlock()
	waiters.Wait()

	// Select over channels that become ready one after another, and a timeout.
	a, b := make(chan int), make(chan int)
	go func() {
		for i := 0; i < 4; i++ {
			time.Sleep(100 * time.Microsecond)
			if i%2 == 0 {
				a <- i
			} else {
				b <- i
			}
		}
	}()
	for i := 0; i < 4; i++ {
		select {
		case <-a:
		case <-b:
		}
	}
	select {
	case <-a:
	case <-time.After(200 * time.Microsecond):
	}
	if sum == 42 {
		fmt.Println("unlikely")
	}
}

// syscalls writes a file with fsync and reads a blocking pipe that a writer fills slowly.
func syscalls(ctx context.Context, dir string) error {
	ctx, task := trace.NewTask(ctx, "syscalls")
	defer task.End()

	err := func() error {
		defer trace.StartRegion(ctx, "file writes").End()
		f, err := os.CreateTemp(dir, "blockgen-*.txt")
		if err != nil {
			return err
		}
		defer os.Remove(f.Name())
		defer f.Close()
		for i := 0; i < 6; i++ {
			if _, err := fmt.Fprintf(f, "line %d\n", i); err != nil {
				return err
			}
			if err := f.Sync(); err != nil {
				return err
			}
		}
		return nil
	}()
	if err != nil {
		return err
	}

	// syscall.Pipe gives blocking descriptors: a read waits in the kernel, not in the network poller.
	var fds [2]int
	if err := syscall.Pipe(fds[:]); err != nil {
		return err
	}
	defer syscall.Close(fds[0])
	var writer sync.WaitGroup
	writer.Add(1)
	go func() {
		defer writer.Done()
		defer syscall.Close(fds[1])
		for i := 0; i < 6; i++ {
			time.Sleep(300 * time.Microsecond)
			syscall.Write(fds[1], []byte("x"))
		}
	}()
	defer trace.StartRegion(ctx, "blocking reads").End()
	buf := make([]byte, 1)
	for i := 0; i < 6; i++ {
		if _, err := syscall.Read(fds[0], buf); err != nil {
			return err
		}
	}
	writer.Wait()
	return nil
}

// pileUp starts more CPU-bound goroutines than there are Ps and lets them all go at once: most of them
// wait runnable. Each yields between slices of work and finally waits for the others.
func pileUp(ctx context.Context) {
	ctx, task := trace.NewTask(ctx, "pile-up")
	defer task.End()
	defer trace.StartRegion(ctx, "pile-up").End()
	gate := make(chan struct{})
	var done sync.WaitGroup
	for w := 0; w < 12; w++ {
		done.Add(1)
		go cruncher(ctx, w, gate, &done)
	}
	time.Sleep(200 * time.Microsecond)
	close(gate)
	done.Wait()
}

// cruncher computes in slices, yielding between them, inside nested regions of the same type.
func cruncher(ctx context.Context, id int, gate <-chan struct{}, done *sync.WaitGroup) {
	<-gate
	trace.WithRegion(ctx, "crunch", func() {
		for i := 0; i < 5; i++ {
			trace.WithRegion(ctx, "crunch", func() {
				spin(id*i, 60000)
			})
			runtime.Gosched()
		}
	})
	done.Done()
	done.Wait()
}

func run() error {
	runtime.GOMAXPROCS(2)
	out, err := os.Create(*outPath)
	if err != nil {
		return err
	}
	defer out.Close()
	dir, err := os.MkdirTemp("", "blockgen")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)

	if err := trace.Start(out); err != nil {
		return err
	}
	// Blocks forever: Go's summary ends such a goroutine where it blocks.
	go func() { select {} }()
	ctx := context.Background()
	for n := 0; n < *rounds && err == nil; n++ {
		if err = network(ctx); err != nil {
			break
		}
		syncWaits(ctx)
		if err = syscalls(ctx, dir); err != nil {
			break
		}
		pileUp(ctx)
	}
	trace.Stop()
	return err
}

func main() {
	flag.Parse()
	if err := run(); err != nil {
		log.Fatal(err)
	}
}
