package pipeline

import (
	"context"
	"fmt"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/trawler/trawler"
)

// Backlog is a snapshot of the work left in a pipeline.
type Backlog struct {
	Frontier uint64 // crawl requests queued or in flight
	Pages    uint64 // pages queued or in flight
	Articles uint64 // articles not yet acked by every sink
	// seqs are the streams' last sequences: equal snapshots with no backlog
	// prove nothing moved in between.
	seqs [3]uint64
}

// Idle reports whether nothing is queued or in flight.
func (b Backlog) Idle() bool { return b.Frontier == 0 && b.Pages == 0 && b.Articles == 0 }

// ReadBacklog reads the backlog of the pipeline named by names, counting the
// articles still pending for the given sink consumers.
func ReadBacklog(ctx context.Context, js jetstream.JetStream, names trawler.Names, sinkConsumers []string) (Backlog, error) {
	var b Backlog
	// Work-queue streams delete a message when it is acked, so their message
	// count is exactly what is queued, delayed for retry, or in flight.
	for i, name := range []string{names.FrontierStream(), names.PagesStream(), names.ArticlesStream()} {
		st, err := js.Stream(ctx, name)
		if err != nil {
			return b, fmt.Errorf("stream %s: %w", name, err)
		}
		info, err := st.Info(ctx)
		if err != nil {
			return b, fmt.Errorf("stream %s: %w", name, err)
		}
		b.seqs[i] = info.State.LastSeq
		switch i {
		case 0:
			b.Frontier = info.State.Msgs
		case 1:
			b.Pages = info.State.Msgs
		}
	}
	for _, c := range sinkConsumers {
		cons, err := js.Consumer(ctx, names.ArticlesStream(), c)
		if err != nil {
			return b, fmt.Errorf("sink consumer %s: %w", c, err)
		}
		info, err := cons.Info(ctx)
		if err != nil {
			return b, fmt.Errorf("sink consumer %s: %w", c, err)
		}
		b.Articles += info.NumPending + uint64(info.NumAckPending)
	}
	return b, nil
}

// Drained reports whether no page or article is queued or in flight,
// whatever the frontier holds.
func (b Backlog) Drained() bool { return b.Pages == 0 && b.Articles == 0 }

// WaitIdle polls the backlog until two snapshots a poll interval apart are
// both idle and no stream moved between them, i.e. nothing is queued, in
// flight or being produced. It returns when ctx ends too.
func WaitIdle(ctx context.Context, js jetstream.JetStream, names trawler.Names, sinkConsumers []string, every time.Duration) error {
	return waitBacklog(ctx, js, names, sinkConsumers, every, func(prev, b Backlog) bool {
		return b.Idle() && prev.Idle() && prev.seqs == b.seqs
	})
}

// WaitDrained is WaitIdle leaving the frontier out: once crawlers stop
// pulling (see Limits), it returns when every page fetched is parsed and
// every article written, with requests still queued.
func WaitDrained(ctx context.Context, js jetstream.JetStream, names trawler.Names, sinkConsumers []string, every time.Duration) error {
	return waitBacklog(ctx, js, names, sinkConsumers, every, func(prev, b Backlog) bool {
		return b.Drained() && prev.Drained() && prev.seqs[1] == b.seqs[1] && prev.seqs[2] == b.seqs[2]
	})
}

func waitBacklog(ctx context.Context, js jetstream.JetStream, names trawler.Names, sinkConsumers []string, every time.Duration, done func(prev, b Backlog) bool) error {
	var prev *Backlog
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
		// A request lost in a cluster's leader election gets no answer:
		// bound each poll so that it cannot hang the wait.
		rctx, cancel := context.WithTimeout(ctx, max(every, 5*time.Second))
		b, err := ReadBacklog(rctx, js, names, sinkConsumers)
		cancel()
		if err != nil {
			prev = nil
			continue
		}
		if prev != nil && done(*prev, b) {
			return nil
		}
		prev = &b
	}
}
