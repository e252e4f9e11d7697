package testkit

import (
	"context"
	"errors"
	"fmt"
	"net"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// recorder is a testing.TB whose Fatalf records the message and stops the
// calling goroutine, as the real one does.
type recorder struct {
	testing.TB
	fatal string
}

func (r *recorder) Helper() {}

func (r *recorder) Fatalf(format string, args ...any) {
	r.fatal = fmt.Sprintf(format, args...)
	runtime.Goexit()
}

// run calls f with a recorder on a goroutine of its own, so that Fatalf
// can stop it, and returns the recorded failure ("" when none).
func run(f func(t testing.TB)) string {
	r := &recorder{}
	done := make(chan struct{})
	go func() {
		defer close(done)
		f(r)
	}()
	<-done
	return r.fatal
}

func TestWaitFor(t *testing.T) {
	for _, tt := range []struct {
		name      string
		metAfter  int // calls until cond holds; 0: never
		timeout   time.Duration
		wantFatal string
	}{
		{name: "at once", metAfter: 1, timeout: time.Second},
		{name: "later", metAfter: 4, timeout: 5 * time.Second},
		{name: "never", timeout: 50 * time.Millisecond, wantFatal: "timed out after 50ms waiting for the thing"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			calls := 0
			start := time.Now()
			fatal := run(func(r testing.TB) {
				WaitFor(r, tt.timeout, "the thing", func() bool {
					calls++
					return calls == tt.metAfter
				})
			})
			if fatal != tt.wantFatal {
				t.Errorf("failure %q, want %q", fatal, tt.wantFatal)
			}
			if tt.metAfter > 0 && calls != tt.metAfter {
				t.Errorf("cond called %d times, want %d", calls, tt.metAfter)
			}
			if elapsed := time.Since(start); tt.wantFatal != "" && elapsed < tt.timeout {
				t.Errorf("gave up after %v, before the timeout of %v", elapsed, tt.timeout)
			}
		})
	}
}

func TestWaitForContext(t *testing.T) {
	errNotYet := errors.New("not yet")
	t.Run("met after errors", func(t *testing.T) {
		calls := 0
		fatal := run(func(r testing.TB) {
			WaitForContext(context.Background(), r, "the thing", func() (bool, error) {
				calls++
				if calls < 3 {
					return false, errNotYet
				}
				return true, nil
			})
		})
		if fatal != "" || calls != 3 {
			t.Errorf("failure %q after %d calls, want none after 3", fatal, calls)
		}
	})
	t.Run("context ends", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
		defer cancel()
		fatal := run(func(r testing.TB) {
			WaitForContext(ctx, r, "the thing", func() (bool, error) { return false, errNotYet })
		})
		want := "waiting for the thing: context deadline exceeded (last error: not yet)"
		if fatal != want {
			t.Errorf("failure %q, want %q", fatal, want)
		}
	})
}

func TestLockedBuffer(t *testing.T) {
	var b LockedBuffer
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 100 {
				fmt.Fprint(&b, "line\n")
				_ = b.String() // read while others write: -race checks it
			}
		})
	}
	wg.Wait()
	if got := strings.Count(b.String(), "line\n"); got != 800 {
		t.Errorf("%d lines, want 800", got)
	}
}

// FreePort's ports are outside the ephemeral range and can be bound: the
// kernel hands ports out of that range to listeners on port 0, so a port
// from it collides with them.
func TestFreePort(t *testing.T) {
	seen := map[int]bool{}
	for range 20 {
		port := FreePort(t)
		if port < lowPort || port >= highPort {
			t.Fatalf("FreePort = %d, outside [%d, %d)", port, lowPort, highPort)
		}
		ln, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
		if err != nil {
			t.Fatalf("port %d from FreePort: %v", port, err)
		}
		defer ln.Close() // held, so the next calls must find other ports
		if seen[port] {
			t.Fatalf("FreePort returned %d twice while it was bound", port)
		}
		seen[port] = true
	}
}
