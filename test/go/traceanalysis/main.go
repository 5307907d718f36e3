// traceanalysis writes a Go execution trace (runtime/trace, standard library only) whose goroutine
// groups each spend their time in a different way, so that every column of go tool trace's goroutine,
// region and task pages has something in it: goroutines blocked on channels, a mutex, select, the
// network (a local TCP server), sleep, syscalls that block (a pipe) and ones that do not (file writes),
// CPU-bound goroutines the scheduler preempts, others that yield, user tasks (one begun before tracing
// starts, one still open when it stops) with nested regions and goroutines started inside them, logs,
// garbage collections with mark assists and sweeps, and goroutines still blocked when tracing stops.
//
//	traceanalysis -o trace.out [-rounds 1] [-span 1.2s]
package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/trace"
	"strings"
	"sync"
	"syscall"
	"time"
)

var (
	outPath = flag.String("o", "trace.out", "where to write the execution trace")
	rounds  = flag.Int("rounds", 1, "how many times to repeat the workload")
	span    = flag.Duration("span", 1200*time.Millisecond, "how long the trace lasts at least")
)

// spin is CPU work that does not allocate: long enough, the scheduler preempts it.
func spin(n int) uint64 {
	acc := uint64(n)
	for i := 0; i < n; i++ {
		acc = acc*6364136223846793005 + 1442695040888963407
		acc ^= acc >> 31
	}
	return acc
}

var sink uint64

// channelSender and channelReceiver block on an unbuffered channel in turn.
func channelSender(ctx context.Context, out chan<- int, count int) {
	defer close(out)
	defer trace.StartRegion(ctx, "send items").End()
	for i := 0; i < count; i++ {
		out <- i
		if i%8 == 0 {
			time.Sleep(50 * time.Microsecond)
		}
	}
}

func channelReceiver(ctx context.Context, in <-chan int, done *sync.WaitGroup) {
	defer done.Done()
	for v := range in {
		trace.WithRegion(ctx, "receive item", func() {
			sink += spin(200 + v)
		})
	}
}

// mutexContender holds a shared mutex while it works, so the others block on it.
func mutexContender(ctx context.Context, mu *sync.Mutex, count int, done *sync.WaitGroup) {
	defer done.Done()
	for i := 0; i < count; i++ {
		trace.WithRegion(ctx, "critical section", func() {
			mu.Lock()
			sink += spin(5000)
			time.Sleep(20 * time.Microsecond)
			mu.Unlock()
		})
	}
}

// selectWaiter blocks in select until one of two channels or a timer is ready.
func selectWaiter(ctx context.Context, a, b <-chan int, blocked, done *sync.WaitGroup) {
	defer done.Done()
	defer trace.StartRegion(ctx, "select loop").End()
	// Three timeouts mean it blocked in select three times: only then is it counted as blocked, so a
	// busy machine that starts it late still gets its select waits before a is closed.
	timeouts := 0
	for {
		select {
		case _, ok := <-a:
			if !ok {
				return
			}
		case <-b:
		case <-time.After(200 * time.Microsecond):
			if timeouts++; timeouts == 3 {
				blocked.Done()
			}
		}
	}
}

// sleeper sleeps in short and long naps.
func sleeper(ctx context.Context, naps int, done *sync.WaitGroup) {
	defer done.Done()
	for i := 0; i < naps; i++ {
		trace.WithRegion(ctx, "nap", func() {
			time.Sleep(time.Duration(100+200*(i%3)) * time.Microsecond)
		})
	}
}

// spinner is CPU-bound for longer than the scheduler's time slice: it is preempted.
func spinner(ctx context.Context, done *sync.WaitGroup) {
	defer done.Done()
	trace.WithRegion(ctx, "spin", func() {
		sink += spin(30_000_000)
	})
}

// yielder gives up its P again and again.
func yielder(done *sync.WaitGroup) {
	defer done.Done()
	for i := 0; i < 50; i++ {
		sink += spin(2000)
		runtime.Gosched()
	}
}

// echoServer answers each line with the same line, one goroutine per connection.
func echoServer(ln net.Listener) {
	for {
		conn, err := ln.Accept()
		if err != nil {
			return
		}
		go echoConnection(conn)
	}
}

func echoConnection(conn net.Conn) {
	defer conn.Close()
	r := bufio.NewReader(conn)
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		time.Sleep(100 * time.Microsecond)
		if _, err := io.WriteString(conn, line); err != nil {
			return
		}
	}
}

// networkClient sends lines to the echo server and waits for each answer: it blocks on the network.
func networkClient(ctx context.Context, addr string, requests int, done *sync.WaitGroup, errs chan<- error) {
	defer done.Done()
	if err := roundTrips(ctx, addr, requests); err != nil {
		errs <- err
	}
}

func roundTrips(ctx context.Context, addr string, requests int) error {
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		return err
	}
	defer conn.Close()
	r := bufio.NewReader(conn)
	for i := 0; i < requests; i++ {
		var answer string
		trace.WithRegion(ctx, "round trip", func() {
			if _, err = fmt.Fprintf(conn, "request %d\n", i); err != nil {
				return
			}
			answer, err = r.ReadString('\n')
		})
		if err != nil {
			return err
		}
		if !strings.HasPrefix(answer, "request") {
			return fmt.Errorf("unexpected answer %q", answer)
		}
	}
	return nil
}

// pipeReader blocks in read syscalls on a pipe until pipeWriter fills it. The pipe's descriptors are
// blocking ones (os.Pipe's would go through the network poller): the runtime takes the P away from a
// reader stuck in read(2), which is what go tool trace counts as syscall block time.
func pipeReader(ctx context.Context, fd int, messages int, done *sync.WaitGroup) {
	defer done.Done()
	defer syscall.Close(fd)
	defer trace.StartRegion(ctx, "pipe read").End()
	buf := make([]byte, 12)
	for got := 0; got < 12*messages; {
		n, err := syscall.Read(fd, buf)
		if err != nil || n == 0 {
			return
		}
		got += n
	}
}

func pipeWriter(fd int, messages int, done *sync.WaitGroup) {
	defer done.Done()
	defer syscall.Close(fd)
	for i := 0; i < messages; i++ {
		time.Sleep(300 * time.Microsecond)
		if _, err := syscall.Write(fd, []byte(fmt.Sprintf("message %03d\n", i))); err != nil {
			return
		}
	}
}

// fileWriter makes syscalls that return without blocking long.
func fileWriter(ctx context.Context, dir string, done *sync.WaitGroup, errs chan<- error) {
	defer done.Done()
	defer trace.StartRegion(ctx, "file writes").End()
	if err := writeFile(dir); err != nil {
		errs <- err
	}
}

func writeFile(dir string) error {
	f, err := os.CreateTemp(dir, "traceanalysis-*.txt")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	defer f.Close()
	for i := 0; i < 16 && err == nil; i++ {
		if _, err = f.WriteString("one more line\n"); err == nil {
			err = f.Sync()
		}
	}
	return err
}

// allocator allocates fast enough to be made to assist the GC; one of them forces a collection.
func allocator(ctx context.Context, collect bool, done *sync.WaitGroup) {
	defer done.Done()
	defer trace.StartRegion(ctx, "allocate").End()
	var kept [][]byte
	for i := 0; i < 20000; i++ {
		b := make([]byte, 1024+i%4096)
		if i%50 == 0 {
			kept = append(kept, b)
		}
	}
	if collect {
		runtime.GC()
	}
	sink += uint64(len(kept))
}

// round is one request: a task whose stages run in goroutine groups started inside its regions.
func round(ctx context.Context, n int, addr, dir string) error {
	ctx, task := trace.NewTask(ctx, "round")
	defer task.End()
	trace.Logf(ctx, "round", "number %d", n)

	var done sync.WaitGroup
	var mu sync.Mutex
	errs := make(chan error, 8)

	stage := func(name string, start func(ctx context.Context)) {
		stageCtx, stageTask := trace.NewTask(ctx, name)
		trace.WithRegion(stageCtx, "start "+name, func() { start(stageCtx) })
		stageTask.End()
	}

	stage("channels", func(ctx context.Context) {
		items := make(chan int)
		for i := 0; i < 3; i++ {
			done.Add(1)
			go channelReceiver(ctx, items, &done)
		}
		go channelSender(ctx, items, 96)
	})
	stage("mutex", func(ctx context.Context) {
		for i := 0; i < 4; i++ {
			done.Add(1)
			go mutexContender(ctx, &mu, 6, &done)
		}
	})
	a, b := make(chan int), make(chan int)
	var selectBlocked sync.WaitGroup
	stage("select", func(ctx context.Context) {
		for i := 0; i < 2; i++ {
			done.Add(1)
			selectBlocked.Add(1)
			go selectWaiter(ctx, a, b, &selectBlocked, &done)
		}
	})
	stage("sleep", func(ctx context.Context) {
		for i := 0; i < 3; i++ {
			done.Add(1)
			go sleeper(ctx, 8, &done)
		}
	})
	stage("network", func(ctx context.Context) {
		for i := 0; i < 2; i++ {
			done.Add(1)
			go networkClient(ctx, addr, 20, &done, errs)
		}
	})
	stage("syscalls", func(ctx context.Context) {
		var fds [2]int
		if err := syscall.Pipe(fds[:]); err != nil {
			errs <- err
			return
		}
		done.Add(3)
		go pipeReader(ctx, fds[0], 10, &done)
		go pipeWriter(fds[1], 10, &done)
		go fileWriter(ctx, dir, &done, errs)
	})
	stage("cpu", func(ctx context.Context) {
		for i := 0; i < 2; i++ {
			done.Add(1)
			go spinner(ctx, &done)
		}
		done.Add(1)
		go yielder(&done)
	})
	stage("gc", func(ctx context.Context) {
		for i := 0; i < 3; i++ {
			done.Add(1)
			go allocator(ctx, i == 0, &done)
		}
	})

	for i := 0; i < 20; i++ {
		time.Sleep(100 * time.Microsecond)
		select {
		case b <- i:
		default:
		}
	}
	selectBlocked.Wait()
	close(a)
	done.Wait()
	select {
	case err := <-errs:
		return err
	default:
		return nil
	}
}

func run() error {
	out, err := os.Create(*outPath)
	if err != nil {
		return err
	}
	defer out.Close()
	dir, err := os.MkdirTemp("", "traceanalysis")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	defer ln.Close()
	go echoServer(ln)

	// A goroutine that exists before tracing starts and is still blocked when it stops, and a task that
	// begins before tracing starts and ends while it runs (regions cannot: StartRegion does nothing
	// while tracing is off).
	forever := make(chan struct{})
	go func() { <-forever }()
	_, early := trace.NewTask(context.Background(), "begun before tracing")

	if err := trace.Start(out); err != nil {
		return err
	}
	started := time.Now()
	early.End()
	// Goroutines that are blocked for good when tracing stops: on a channel, waiting "forever" (which
	// go tool trace counts as their end), and in a read syscall inside a region.
	for i := 0; i < 2; i++ {
		go func() { <-forever }()
	}
	go selectForever()
	go receiveFromNil()
	var stuck [2]int
	if err := syscall.Pipe(stuck[:]); err != nil {
		return err
	}
	go stuckInSyscall(context.Background(), stuck[0])

	var runErr error
	for n := 0; n < *rounds && runErr == nil; n++ {
		runErr = round(context.Background(), n, ln.Addr().String(), dir)
	}
	// Garbage until the trace spans more than one generation (the runtime starts one every second), so
	// that goroutines are seen again in later generations and GC ranges may be active across the boundary.
	churn(started.Add(*span))
	// A task still running when tracing stops.
	_, open := trace.NewTask(context.Background(), "open at stop")
	trace.Stop()
	open.End()
	return runErr
}

func selectForever() {
	select {}
}

func receiveFromNil() {
	var never chan int
	<-never
}

func stuckInSyscall(ctx context.Context, fd int) {
	defer trace.StartRegion(ctx, "stuck read").End()
	buf := make([]byte, 1)
	syscall.Read(fd, buf)
}

// churn allocates garbage over a live heap of a few MB with the GC set to run very often, until the
// deadline: collections keep starting, and one may be under way when a generation ends.
func churn(deadline time.Time) {
	defer debug.SetGCPercent(debug.SetGCPercent(5))
	live := make([][]byte, 8192)
	for i := 0; time.Now().Before(deadline); i++ {
		for k := 0; k < 1000; k++ {
			live[(i*1000+k)%len(live)] = make([]byte, 512)
		}
		time.Sleep(100 * time.Microsecond)
	}
	sink += uint64(len(live))
}

func main() {
	flag.Parse()
	if err := run(); err != nil {
		log.Fatal(err)
	}
}
