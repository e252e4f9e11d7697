// Package testkit holds the few helpers many packages' tests share: waiting
// for a condition and collecting output that goroutines or processes write
// while the test reads it. Standard library only, for tests only.
package testkit

import (
	"bytes"
	"context"
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
