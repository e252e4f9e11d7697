// Package pipeline wires the stages to JetStream: each stage is a domain
// package (crawler, parser, sink) driven by the worker loop. A Node runs any
// set of stages in one process against one NATS connection.
package pipeline

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus"
	"golang.org/x/sync/errgroup"

	"github.com/trawler/trawler"
	"github.com/trawler/trawler/crawler"
	"github.com/trawler/trawler/internal/frontier"
	"github.com/trawler/trawler/internal/natsutil"
	"github.com/trawler/trawler/internal/wire"
	"github.com/trawler/trawler/internal/worker"
	"github.com/trawler/trawler/sink"
)

// Config selects and sizes the stages of a Node.
type Config struct {
	Names    trawler.Names
	Topology natsutil.Topology

	Crawl            bool
	Parse            bool
	Sinks            []string // sink specs; one consumer each
	CrawlConcurrency int      // fetches in flight (default 16)
	ParseConcurrency int      // pages parsed at once (default GOMAXPROCS)
	SinkBatch        int      // articles per sink write (default 100)
	MaxDepth         int
	MaxDeliver       uint64 // deliveries before a failing message is dead-lettered (default 5)
	Fetcher          crawler.Config

	Registry prometheus.Registerer
	Log      *slog.Logger
}

// Node is a running set of stages.
type Node struct {
	cfg     Config
	js      jetstream.JetStream
	group   *errgroup.Group
	sinks   []sink.Sink
	codec   *wire.Codec
	Metrics *Metrics
	// SinkConsumers names the durable consumers of this node's sinks.
	SinkConsumers []string
}

// Start declares the pipeline's streams and starts the configured stages.
// They run until ctx is cancelled; then each stops pulling, finishes and acks
// what it holds, and Wait returns.
func Start(ctx context.Context, nc *nats.Conn, cfg Config) (*Node, error) {
	if cfg.CrawlConcurrency <= 0 {
		cfg.CrawlConcurrency = 16
	}
	if cfg.ParseConcurrency <= 0 {
		cfg.ParseConcurrency = runtime.GOMAXPROCS(0)
	}
	if cfg.SinkBatch <= 0 {
		cfg.SinkBatch = 100
	}
	js, err := jetstream.New(nc)
	if err != nil {
		return nil, fmt.Errorf("jetstream: %w", err)
	}
	if err := natsutil.Setup(ctx, js, cfg.Names, cfg.Topology); err != nil {
		return nil, err
	}
	maxPage := cfg.Fetcher.MaxBodySize
	if maxPage <= 0 {
		maxPage = crawler.DefaultMaxBodySize
	}
	codec, err := wire.NewCodec(int(maxPage))
	if err != nil {
		return nil, err
	}
	g, gctx := errgroup.WithContext(ctx)
	n := &Node{cfg: cfg, js: js, group: g, codec: codec, Metrics: NewMetrics(cfg.Registry)}
	wm := worker.NewMetrics(cfg.Registry)
	loop := func(stage string, conc int) worker.Config {
		return worker.Config{
			Stage:       stage,
			Concurrency: conc,
			MaxDeliver:  cfg.MaxDeliver,
			AckWait:     cfg.Topology.AckWait,
			DeadLetter:  cfg.Names.DeadLetterSubject(stage),
			Publisher:   js,
			Metrics:     wm,
			Log:         cfg.Log,
		}
	}

	var scope *frontier.Scope
	if cfg.Crawl || cfg.Parse {
		if scope, err = frontier.OpenScope(gctx, js, cfg.Names, cfg.Log); err != nil {
			return nil, err
		}
	}
	var fr *frontier.Frontier
	if cfg.Crawl || cfg.Parse {
		if fr, err = frontier.New(ctx, js, cfg.Names); err != nil {
			return nil, err
		}
	}
	if cfg.Crawl {
		c := &Crawl{JS: js, Names: cfg.Names, Scope: scope, Frontier: fr, Codec: codec,
			MaxPayload: int(nc.MaxPayload()), Metrics: n.Metrics, Log: cfg.Log}
		fcfg := cfg.Fetcher
		fcfg.Allow = c.AllowRedirect
		if c.Fetcher, err = crawler.NewFetcher(fcfg, cfg.Log); err != nil {
			return nil, err
		}
		cons, err := js.Consumer(ctx, cfg.Names.FrontierStream(), natsutil.CrawlConsumer)
		if err != nil {
			return nil, fmt.Errorf("crawl consumer: %w", err)
		}
		g.Go(func() error { return worker.Run(gctx, cons, loop(trawler.StageCrawl, cfg.CrawlConcurrency), c.Handle) })
	}
	if cfg.Parse {
		p := &Parse{JS: js, Names: cfg.Names, Frontier: fr, Scope: scope, Codec: codec,
			MaxDepth: cfg.MaxDepth, Metrics: n.Metrics, Log: cfg.Log}
		cons, err := js.Consumer(ctx, cfg.Names.PagesStream(), natsutil.ParseConsumer)
		if err != nil {
			return nil, fmt.Errorf("parse consumer: %w", err)
		}
		g.Go(func() error { return worker.Run(gctx, cons, loop(trawler.StageParse, cfg.ParseConcurrency), p.Handle) })
	}
	for _, spec := range cfg.Sinks {
		sk, err := sink.Open(spec)
		if err != nil {
			n.closeSinks()
			return nil, err
		}
		n.sinks = append(n.sinks, sk)
		name := SinkName(spec)
		cons, err := natsutil.SinkConsumer(ctx, js, cfg.Names, name, cfg.Topology)
		if err != nil {
			n.closeSinks()
			return nil, err
		}
		n.SinkConsumers = append(n.SinkConsumers, name)
		s := &Sink{Sink: sk, Kind: SinkKind(spec), Metrics: n.Metrics, Log: cfg.Log.With("sink", name)}
		lc := loop(trawler.StageSink, cfg.SinkBatch)
		// A sink outage is not the articles' fault: give it time to recover
		// before anything is dead-lettered.
		lc.MaxDeliver = max(cfg.MaxDeliver, 50)
		lc.BackoffMax = 30 * time.Second
		lc.Timeout = 30 * time.Second
		g.Go(func() error { return worker.RunBatch(gctx, cons, lc, s.Handle) })
	}
	return n, nil
}

// Wait blocks until every stage has stopped, then closes the sinks.
func (n *Node) Wait() error {
	err := n.group.Wait()
	n.codec.Close()
	return errors.Join(err, n.closeSinks())
}

func (n *Node) closeSinks() error {
	var errs []error
	for _, s := range n.sinks {
		errs = append(errs, s.Close())
	}
	n.sinks = nil
	return errors.Join(errs...)
}
