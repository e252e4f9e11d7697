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
	MaxDepth         int      // links deeper are not followed (0: the seeds only)
	MaxDeliver       uint64   // deliveries before a failing message is dead-lettered (default 5)
	// Fetcher configures the crawl stage. Its MaxBodySize (default
	// crawler.DefaultMaxBodySize) is also the largest page the parse stage
	// takes: a larger one is refused whole, counted as too_large and
	// dead-lettered, never parsed in part.
	Fetcher crawler.Config
	// CrawlerID names this process in the crawler group that shares the
	// frontier partitions (default: random).
	CrawlerID string
	// Revisit bounds the adaptive revisit intervals of feeds and hubs;
	// NoRevisit turns revisiting off (feeds and hubs are then fetched once).
	Revisit   frontier.RevisitConfig
	NoRevisit bool
	// Rules filter the links parsers find (include/exclude patterns, traps).
	Rules frontier.Rules
	// HostPageBudget caps the URLs enqueued per host, cluster-wide (0: none).
	HostPageBudget int
	// SiteGroups labels trawler_parse_fields_total by site (zero value:
	// every site is "other").
	SiteGroups SiteGroups
	// OpenSink opens a sink spec (default sink.Open); tests wrap it to
	// inject faults.
	OpenSink func(ctx context.Context, spec string, log *slog.Logger) (sink.Sink, error)

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
	if cfg.OpenSink == nil {
		cfg.OpenSink = sink.Open
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
		if fr, err = frontier.New(ctx, js, cfg.Names, frontier.WithHostBudget(cfg.HostPageBudget)); err != nil {
			return nil, err
		}
	}
	var sched *frontier.Schedule
	if (cfg.Crawl || cfg.Parse) && !cfg.NoRevisit {
		if sched, err = frontier.OpenSchedule(ctx, js, cfg.Names, cfg.Revisit); err != nil {
			return nil, err
		}
	}
	if cfg.Crawl {
		c := &Crawl{JS: js, Names: cfg.Names, Scope: scope, Frontier: fr, Schedule: sched, Codec: codec,
			MaxPayload: int(nc.MaxPayload()), Metrics: n.Metrics, Log: cfg.Log}
		fcfg := cfg.Fetcher
		fcfg.Allow = c.AllowRedirect
		if c.Fetcher, err = crawler.NewFetcher(fcfg, cfg.Log); err != nil {
			return nil, err
		}
		lc := loop(trawler.StageCrawl, cfg.CrawlConcurrency)
		lc.OnDeadLetter = c.DeadLettered
		g.Go(func() error { return c.run(gctx, js, cfg, lc) })
	}
	if cfg.Parse {
		p := &Parse{JS: js, Names: cfg.Names, Frontier: fr, Schedule: sched, Scope: scope, Rules: cfg.Rules, Codec: codec,
			MaxDepth: cfg.MaxDepth, MaxPageBytes: maxPage, Metrics: n.Metrics, Log: cfg.Log, SiteGroups: cfg.SiteGroups}
		n.Metrics.StartFields(cfg.SiteGroups)
		if sched != nil {
			// Any number of schedulers may run: each revisit is claimed once.
			g.Go(func() error { return sched.Run(gctx, fr, cfg.Log, n.Metrics.Revisits.Inc) })
		}
		cons, err := js.Consumer(ctx, cfg.Names.PagesStream(), natsutil.ParseConsumer)
		if err != nil {
			return nil, fmt.Errorf("parse consumer: %w", err)
		}
		g.Go(func() error { return worker.Run(gctx, cons, loop(trawler.StageParse, cfg.ParseConcurrency), p.Handle) })
	}
	for _, spec := range cfg.Sinks {
		name := SinkName(spec)
		sinkLog := cfg.Log.With("sink", name)
		sk, err := cfg.OpenSink(ctx, spec, sinkLog)
		if err != nil {
			n.closeSinks()
			return nil, err
		}
		n.sinks = append(n.sinks, sk)
		cons, err := natsutil.SinkConsumer(ctx, js, cfg.Names, name, cfg.Topology)
		if err != nil {
			n.closeSinks()
			return nil, err
		}
		n.SinkConsumers = append(n.SinkConsumers, name)
		s := &Sink{Sink: sk, Kind: sink.Kind(spec), Metrics: n.Metrics, Log: sinkLog}
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
