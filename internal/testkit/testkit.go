// Package testkit holds the few helpers many packages' tests share: waiting
// for a condition, a port for a process to listen on, and collecting output
// that goroutines or processes write while the test reads it. Standard
// library only, for tests only.
package testkit

import (
	"bytes"
	"context"
	"math/rand/v2"
	"net"
	"strconv"
	"sync"
	"testing"
	"time"
)

// Polling starts fast, so that a condition met at once costs little time, and
// slows down to maxPoll, so that a long wait (a process starting, a database
// query) does not load a machine other tests share.
const (
	firstPoll = 10 * time.Millisecond
	maxPoll   = 100 * time.Millisecond
)

// WaitFor calls cond until it returns true, failing t with what it waited for
// when timeout passes first. cond runs on the test's goroutine and may itself
// call t.Fatal.
func WaitFor(t testing.TB, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for poll := firstPoll; !cond(); poll = min(2*poll, maxPoll) {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", timeout, what)
		}
		time.Sleep(poll)
	}
}

// WaitForContext calls cond until it returns true, failing t when ctx ends
// first. An error from cond is not a failure: cond is asked again, and the
// last error is reported if ctx ends.
func WaitForContext(ctx context.Context, t testing.TB, what string, cond func() (bool, error)) {
	t.Helper()
	var last error
	for poll := firstPoll; ; poll = min(2*poll, maxPoll) {
		ok, err := cond()
		if ok {
			return
		}
		last = err
		select {
		case <-ctx.Done():
			t.Fatalf("waiting for %s: %v (last error: %v)", what, ctx.Err(), last)
		case <-time.After(poll):
		}
	}
}

// LockedBuffer is an io.Writer safe for concurrent use whose content can be
// read while others write: the destination of a logger or of a command's
// output that a failing test prints. The zero value is ready to use.
type LockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

// Write appends p.
func (l *LockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

// String returns what has been written so far.
func (l *LockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// Ports handed out by FreePort lie below Linux's default ephemeral range
// (32768–60999), where the kernel picks the local port of every outgoing
// connection and of every listener on port 0. A port taken from that range
// and released for a process to bind a moment later, or again after a
// restart, can meanwhile become some connection's local port; one below it
// is only ever taken by another explicit bind.
const (
	lowPort  = 20000
	highPort = 32768
)

// FreePort returns a port of 127.0.0.1 that was free a moment ago, for a
// process the test starts (and may restart) on a port it must know in
// advance. Ports are tried in a random order, so that concurrent test
// processes rarely try the same one.
func FreePort(t testing.TB) int {
	t.Helper()
	for range 100 {
		port := lowPort + rand.IntN(highPort-lowPort)
		ln, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
		if err != nil {
			continue
		}
		ln.Close()
		return port
	}
	t.Fatalf("no free port of 127.0.0.1 in [%d, %d) after 100 tries", lowPort, highPort)
	return 0
}
