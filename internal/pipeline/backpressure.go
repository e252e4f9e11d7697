package pipeline

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus"
)

// backlogPoll is how often a crawler reads the pages stream's size: a
// stream info request four times a second per crawler process.
const backlogPoll = 250 * time.Millisecond

// pagesGate holds crawling back while the pages stream holds more unparsed
// pages than its bound, so that when parsing falls behind, memory and disk
// follow the bound rather than the size of the site. Crawl loops wait for
// it before each pull (see gatedConsumer): nothing is pulled and then
// held, so a wait of any length costs no delivery and no ack wait.
type pagesGate struct {
	js     jetstream.JetStream
	stream string
	max    uint64
	gauge  prometheus.Gauge   // pages waiting, as last read
	held   prometheus.Counter // seconds this crawler spent held back
	log    *slog.Logger

	mu    sync.Mutex
	ready chan struct{} // closed while under the bound
}

func newPagesGate(js jetstream.JetStream, stream string, max int, m *Metrics, log *slog.Logger) *pagesGate {
	ready := make(chan struct{})
	close(ready)
	return &pagesGate{js: js, stream: stream, max: uint64(max), gauge: m.PagesBacklog, held: m.BackpressureSeconds, log: log, ready: ready}
}

// run reads the pages stream's size until ctx ends. A failed read keeps the
// last verdict: an unreachable server stops the crawl loops' pulls anyway.
func (b *pagesGate) run(ctx context.Context) {
	t := time.NewTicker(backlogPoll)
	defer t.Stop()
	over, last := false, time.Now()
	for {
		if now := time.Now(); over {
			b.held.Add(now.Sub(last).Seconds())
			last = now
		} else {
			last = now
		}
		rctx, cancel := context.WithTimeout(ctx, backlogPoll*4)
		s, err := b.js.Stream(rctx, b.stream)
		cancel()
		if err == nil {
			pages := s.CachedInfo().State.Msgs
			b.gauge.Set(float64(pages))
			switch {
			case !over && pages > b.max:
				over = true
				b.set(false)
				b.log.Info("crawling held back: the parsers are behind", "pages_waiting", pages, "max_pages_backlog", b.max)
			case over && pages <= b.max:
				over = false
				b.set(true)
				b.log.Info("crawling resumed", "pages_waiting", pages)
			}
		}
		select {
		case <-ctx.Done():
			b.set(true) // let waiting loops see their own ctx end
			return
		case <-t.C:
		}
	}
}

func (b *pagesGate) set(under bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	select {
	case <-b.ready:
		if !under {
			b.ready = make(chan struct{})
		}
	default:
		if under {
			close(b.ready)
		}
	}
}

// wait blocks while the backlog is over its bound, or until ctx ends.
func (b *pagesGate) wait(ctx context.Context) {
	b.mu.Lock()
	ready := b.ready
	b.mu.Unlock()
	select {
	case <-ready:
		return
	default:
	}
	select {
	case <-ready:
	case <-ctx.Done():
	}
}

// gatedConsumer is a partition's consumer whose pulls wait for the
// backlog: the worker loop's next pull starts only when the parsers have
// caught up. stop is the loop's context, so a stopping loop is never held.
type gatedConsumer struct {
	jetstream.Consumer
	gate *pagesGate
	stop context.Context
}

func (g gatedConsumer) Fetch(n int, opts ...jetstream.FetchOpt) (jetstream.MessageBatch, error) {
	g.gate.wait(g.stop)
	return g.Consumer.Fetch(n, opts...)
}
