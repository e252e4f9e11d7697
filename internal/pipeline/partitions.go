package pipeline

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/trawler/trawler/internal/frontier"
	"github.com/trawler/trawler/internal/natsutil"
	"github.com/trawler/trawler/internal/worker"
)

// Run consumes the frontier partitions this process holds the lease of,
// until ctx ends. Every partition gets its own worker loop; one semaphore
// keeps the process's fetches in flight within its concurrency whatever
// the number of partitions it owns. A message handled while its lease may
// be lost is cancelled (and so naked, to be fetched by the next owner).
func (c *Crawl) Run(ctx context.Context) (err error) {
	if c.archive != nil {
		defer func() { err = errors.Join(err, c.archive.Close()) }()
	}
	js, lc := c.JS, c.loop
	sem := make(chan struct{}, lc.Concurrency)
	gate := c.gate
	if gate != nil {
		gctx, cancel := context.WithCancel(ctx)
		defer cancel()
		go gate.run(gctx)
	}
	consume := func(stop, abort context.Context, p int) {
		cons, err := js.Consumer(stop, c.Names.FrontierStream(), natsutil.PartitionConsumer(p))
		if err != nil {
			c.Log.Error("partition consumer", "partition", p, "err", err)
			return
		}
		if gate != nil {
			cons = gatedConsumer{Consumer: cons, gate: gate, stop: stop}
		}
		h := func(ctx context.Context, msg jetstream.Msg) error {
			if abort.Err() != nil {
				return fmt.Errorf("partition %d lease lost: %w", p, abort.Err())
			}
			ctx, cancel := context.WithCancel(ctx)
			defer cancel()
			defer context.AfterFunc(abort, cancel)()
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				return fmt.Errorf("waiting for a fetch slot: %w", ctx.Err())
			}
			defer func() { <-sem }()
			if gate == nil {
				return c.Handle(ctx, msg)
			}
			// Once a limit is reached, a request still waiting for its
			// fetch slot or its host's turn (see Crawl.handle) is called
			// off and stays queued for the next run, without using up a
			// delivery.
			if gate.isStopped() {
				return worker.Defer(errCrawlStopped, time.Second)
			}
			if err := c.Handle(ctx, msg); err != nil {
				if gate.isStopped() {
					return worker.Defer(errors.Join(errCrawlStopped, err), time.Second)
				}
				return err
			}
			return nil
		}
		if err := worker.Run(stop, cons, lc, h); err != nil {
			c.Log.Error("partition consumer", "partition", p, "err", err)
		}
	}
	return frontier.RunLeases(ctx, js, c.Names, frontier.LeaseConfig{
		ID:       c.crawlerID,
		Cooldown: min(c.Fetcher.MaxHostDelay(), leaseCooldownCap),
		OnEvent: func(event string, owned int) {
			c.Metrics.LeaseEvents.WithLabelValues(event).Inc()
			c.Metrics.PartitionsOwned.Set(float64(owned))
		},
		Log: c.Log,
	}, consume)
}

// leaseCooldownCap bounds the wait before a drained partition is handed back.
const leaseCooldownCap = 10 * time.Second
