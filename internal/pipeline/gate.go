package pipeline

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/trawler/trawler"
)

// gatePoll is how often a crawler reads the pages stream (and, with
// Limits.MaxArticles, the articles stream): a stream info request four
// times a second per crawler process.
const gatePoll = 250 * time.Millisecond

// Limits end a crawl early, as Scrapy's CLOSESPIDER_* settings do: once
// one is reached, crawlers pull no more requests, and what is queued stays
// queued for the next run. Pages and articles count the whole cluster's,
// from the stream sequences, since this crawler started.
type Limits struct {
	MaxPages    uint64        // pages published (fetched) in all; 0: none
	MaxArticles uint64        // article records published in all; 0: none
	MaxDuration time.Duration // since this crawler started; 0: none
}

func (l Limits) any() bool { return l.MaxPages > 0 || l.MaxArticles > 0 || l.MaxDuration > 0 }

// crawlGate decides when crawl loops may pull: it holds them back while
// the pages stream holds more unparsed pages than maxBacklog, so that when
// parsing falls behind, memory and disk follow the bound rather than the
// size of the site, and stops them for good once a limit is reached. Crawl
// loops wait for it before each pull (see gatedConsumer): nothing is
// pulled and then held, so a wait of any length costs no delivery and no
// ack wait.
type crawlGate struct {
	js         jetstream.JetStream
	names      trawler.Names
	maxBacklog uint64 // 0: no bound
	limits     Limits
	metrics    *Metrics
	log        *slog.Logger

	mu     sync.Mutex
	ready  chan struct{} // closed while the crawl may go on
	reason string        // the limit reached

	// done ends once a limit is reached: fetches still waiting for their
	// host's turn are called off then, and go back to the queue.
	done    context.Context
	setDone context.CancelFunc
	// local counts the pages this process published: the count the limit
	// is checked against between two reads of the stream.
	local atomic.Uint64
}

func newCrawlGate(js jetstream.JetStream, names trawler.Names, maxBacklog int, limits Limits, m *Metrics, log *slog.Logger) *crawlGate {
	ready := make(chan struct{})
	close(ready)
	done, setDone := context.WithCancel(context.Background())
	return &crawlGate{js: js, names: names, maxBacklog: uint64(max(maxBacklog, 0)), limits: limits, metrics: m, log: log,
		ready: ready, done: done, setDone: setDone}
}

// lastSeq reads a stream's size and last sequence.
func (g *crawlGate) lastSeq(ctx context.Context, stream string) (msgs, last uint64, err error) {
	rctx, cancel := context.WithTimeout(ctx, gatePoll*4)
	defer cancel()
	s, err := g.js.Stream(rctx, stream)
	if err != nil {
		return 0, 0, err
	}
	st := s.CachedInfo().State
	return st.Msgs, st.LastSeq, nil
}

// run watches the streams until ctx ends or a limit is reached. A failed
// read keeps the last verdict: an unreachable server stops the crawl
// loops' pulls anyway.
func (g *crawlGate) run(ctx context.Context) {
	start := time.Now()
	var basePages, baseArticles uint64
	var based bool
	t := time.NewTicker(gatePoll)
	defer t.Stop()
	over, last := false, time.Now()
	for {
		now := time.Now()
		if over {
			g.metrics.BackpressureSeconds.Add(now.Sub(last).Seconds())
		}
		last = now
		pages, pagesSeq, err := g.lastSeq(ctx, g.names.PagesStream())
		var articlesSeq uint64
		if err == nil && g.limits.MaxArticles > 0 {
			_, articlesSeq, err = g.lastSeq(ctx, g.names.ArticlesStream())
		}
		if err == nil {
			if !based {
				basePages, baseArticles, based = pagesSeq, articlesSeq, true
			}
			g.metrics.PagesBacklog.Set(float64(pages))
			if reason := g.limitReached(max(pagesSeq-basePages, g.local.Load()), articlesSeq-baseArticles, time.Since(start)); reason != "" {
				g.stop(reason)
				return
			}
			switch {
			case g.maxBacklog == 0:
			case !over && pages > g.maxBacklog:
				over = true
				g.set(false)
				g.log.Info("crawling held back: the parsers are behind", "pages_waiting", pages, "max_pages_backlog", g.maxBacklog)
			case over && pages <= g.maxBacklog:
				over = false
				g.set(true)
				g.log.Info("crawling resumed", "pages_waiting", pages)
			}
		} else if reason := g.limitReached(0, 0, time.Since(start)); reason != "" {
			g.stop(reason) // the streams unreadable: only the clock can tell
			return
		}
		select {
		case <-ctx.Done():
			g.set(true) // let waiting loops see their own ctx end
			return
		case <-t.C:
		}
	}
}

// limitReached names the limit the counts reach, or "".
func (g *crawlGate) limitReached(pages, articles uint64, elapsed time.Duration) string {
	switch l := g.limits; {
	case l.MaxPages > 0 && pages >= l.MaxPages:
		return fmt.Sprintf("--max-pages %d reached", l.MaxPages)
	case l.MaxArticles > 0 && articles >= l.MaxArticles:
		return fmt.Sprintf("--max-articles %d reached", l.MaxArticles)
	case l.MaxDuration > 0 && elapsed >= l.MaxDuration:
		return fmt.Sprintf("--max-duration %v reached", l.MaxDuration)
	}
	return ""
}

// published counts a page this process published, and stops the crawl
// at once when that reaches MaxPages.
func (g *crawlGate) published() {
	if n := g.local.Add(1); g.limits.MaxPages > 0 && n >= g.limits.MaxPages {
		g.stop(fmt.Sprintf("--max-pages %d reached", g.limits.MaxPages))
	}
}

// stop closes the gate for good.
func (g *crawlGate) stop(reason string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.done.Err() != nil {
		return
	}
	g.reason = reason
	g.ready = make(chan struct{}) // never closed: no more pulls
	g.setDone()
	g.log.Info("crawl stopped: no more requests are pulled", "reason", reason)
}

func (g *crawlGate) set(open bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.done.Err() != nil {
		return
	}
	select {
	case <-g.ready:
		if !open {
			g.ready = make(chan struct{})
		}
	default:
		if open {
			close(g.ready)
		}
	}
}

// wait blocks while the gate is closed, or until ctx ends.
func (g *crawlGate) wait(ctx context.Context) {
	g.mu.Lock()
	ready := g.ready
	g.mu.Unlock()
	select {
	case <-ready:
	case <-ctx.Done():
	}
}

// errCrawlStopped is why a request pulled before a limit was reached is
// given back unfetched.
var errCrawlStopped = errors.New("crawl stopped: a limit was reached")

// isStopped reports whether a limit was reached.
func (g *crawlGate) isStopped() bool { return g.done.Err() != nil }

// Stopped is closed once a limit is reached; Reason then names it.
func (g *crawlGate) Stopped() <-chan struct{} { return g.done.Done() }

// Reason names the limit reached, "" before.
func (g *crawlGate) Reason() string {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.reason
}

// gatedConsumer is a partition's consumer whose pulls wait for the gate:
// the worker loop's next pull starts only when the parsers have caught up,
// and never once a limit is reached. stop is the loop's context, so a
// stopping loop is never held.
type gatedConsumer struct {
	jetstream.Consumer
	gate *crawlGate
	stop context.Context
}

func (g gatedConsumer) Fetch(n int, opts ...jetstream.FetchOpt) (jetstream.MessageBatch, error) {
	g.gate.wait(g.stop)
	return g.Consumer.Fetch(n, opts...) // when stopping, the loop gives back what this pulls

}
