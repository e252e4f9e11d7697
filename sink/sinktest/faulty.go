package sinktest

import (
	"context"
	"errors"
	"sync"

	"github.com/trawler/trawler"
	"github.com/trawler/trawler/sink"
)

// Faulty wraps a sink and fails writes on demand: the first FailBefore
// writes fail without reaching the sink (it is down), the next FailAfter
// reach it and then fail (the process dies between the write and the ack).
// Block, when set, holds the first write until it is closed.
type Faulty struct {
	sink.Sink
	FailBefore, FailAfter int
	Block                 chan struct{}
	// Entered is closed when the first write starts (optional).
	Entered chan struct{}

	mu       sync.Mutex
	writes   int
	failures int
}

var _ sink.Sink = (*Faulty)(nil)

// errInjected is the failure Faulty reports.
var errInjected = errors.New("injected sink failure")

// Write fails or passes the batch on, as configured.
func (f *Faulty) Write(ctx context.Context, batch []trawler.Article) error {
	f.mu.Lock()
	f.writes++
	n := f.writes
	f.mu.Unlock()
	if n == 1 && f.Entered != nil {
		close(f.Entered)
	}
	if n == 1 && f.Block != nil {
		<-f.Block
	}
	if n <= f.FailBefore {
		f.fail()
		return errInjected
	}
	err := f.Sink.Write(ctx, batch)
	if err == nil && n <= f.FailBefore+f.FailAfter {
		f.fail()
		return errInjected
	}
	return err
}

func (f *Faulty) fail() {
	f.mu.Lock()
	f.failures++
	f.mu.Unlock()
}

// Failures is how many writes Faulty failed.
func (f *Faulty) Failures() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.failures
}
