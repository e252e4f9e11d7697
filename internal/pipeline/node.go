// Package pipeline wires the stages to JetStream: each stage is a domain
// package (crawler, parser, sink) driven by the worker loop. A Node runs any
// set of stages in one process against one NATS connection.
package pipeline

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus"
	"golang.org/x/sync/errgroup"

	"github.com/trawler/trawler"
	"github.com/trawler/trawler/crawler"
	"github.com/trawler/trawler/internal/archive"
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
	Sinks            []string // sink specs; one consumer each, named by SinkName (Start refuses two with one name)
	CrawlConcurrency int      // fetches in flight (default DefaultCrawlConcurrency)
	ParseConcurrency int      // pages parsed at once (default DefaultParseConcurrency)
	SinkBatch        int      // articles per sink write (default DefaultSinkBatch)
	MaxDepth         int      // links deeper are not followed (0: the seeds only)
	MaxDeliver       uint64   // deliveries before a failing message is dead-lettered (default worker.DefaultMaxDeliver)
	// MaxPagesBacklog holds crawling back while more fetched pages than
	// this wait for the parsers (default DefaultMaxPagesBacklog; negative:
	// never), so memory and disk follow the bound, not the site.
	MaxPagesBacklog int
	// Limits end the crawl early (see Limits): crawlers stop pulling and
	// Node.CrawlStopped is closed.
	Limits Limits
	// Fetcher configures the crawl stage. Its MaxBodySize (default
	// crawler.DefaultMaxBodySize) is also the largest page the parse stage
	// takes: a larger one is refused whole, counted as too_large and
	// dead-lettered, never parsed in part.
	Fetcher crawler.Config
	// ArchiveDir, if set, keeps every page fetched in rotating WARC files
	// there (see package archive), named after CrawlerID.
	ArchiveDir string
	// CrawlerID names this process in the crawler group that shares the
	// frontier partitions (default: random).
	CrawlerID string
	// Revisit bounds the adaptive revisit intervals of feeds and hubs;
	// NoRevisit turns revisiting off (feeds and hubs are then fetched once).
	Revisit   frontier.RevisitConfig
	NoRevisit bool
	// Rules filter the links parsers find (include/exclude patterns, traps).
	Rules frontier.Rules
	// Window bounds the publication times of the articles written (zero:
	// every article).
	Window Window
	// NoLinks keeps parsers from enqueueing the links they find: pages
	// come from elsewhere than a crawl (trawler reparse).
	NoLinks bool
	// HostPageBudget caps the URLs enqueued per host, cluster-wide (0: none).
	HostPageBudget int
	// MaxQueued caps the requests queued in the frontier, cluster-wide (0:
	// none): links found while it is full are dropped and counted.
	MaxQueued uint64
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
	group   *errgroup.Group
	stop    context.CancelFunc
	codec   *wire.Codec
	Metrics *Metrics
	// SinkConsumers names the durable consumers of this node's sinks.
	SinkConsumers []string

	gate *crawlGate // the crawl stage's, if it has limits
}

// CrawlStopped is closed once the crawl stage reached one of its Limits;
// StopReason then names it. Without a crawl stage or limits it is nil,
// which never fires.
func (n *Node) CrawlStopped() <-chan struct{} {
	if n.gate == nil {
		return nil
	}
	return n.gate.Stopped()
}

// StopReason names the limit that stopped the crawl, "" before.
func (n *Node) StopReason() string {
	if n.gate == nil {
		return ""
	}
	return n.gate.Reason()
}

// A stage is one component of a Node: built whole by its constructor (its
// consumer found, its sink opened), then run by Run until ctx ends, when it
// stops pulling, finishes and acks what it holds, releases what it opened,
// and returns.
type stage interface {
	Run(ctx context.Context) error
}

// Start declares the pipeline's streams, builds the configured stages and
// runs them. They run until ctx is cancelled; then each stops pulling,
// finishes and acks what it holds, and Wait returns. Every stage is built
// before any runs, so a Start that fails has started nothing: it closes what
// it opened and returns.
func Start(ctx context.Context, nc *nats.Conn, cfg Config) (_ *Node, err error) {
	cfg = cfg.withDefaults()
	sinkNames, err := SinkNames(cfg.Sinks)
	if err != nil {
		return nil, err
	}
	js, err := jetstream.New(nc)
	if err != nil {
		return nil, fmt.Errorf("jetstream: %w", err)
	}
	if err := natsutil.Setup(ctx, js, cfg.Names, cfg.Topology); err != nil {
		return nil, err
	}
	codec, err := wire.NewCodec(int(cfg.Fetcher.MaxBodySize))
	if err != nil {
		return nil, err
	}
	// runCtx outlives Start: the scope watch and the stages run under it.
	runCtx, stop := context.WithCancel(ctx)
	var stages []stage
	var sinks []sink.Sink
	var crawl *Crawl
	defer func() {
		if err != nil {
			stop()
			codec.Close()
			for _, sk := range sinks {
				err = errors.Join(err, sk.Close())
			}
			if crawl != nil && crawl.archive != nil {
				err = errors.Join(err, crawl.archive.Close())
			}
		}
	}()

	n := &Node{stop: stop, codec: codec, Metrics: NewMetrics(cfg.Registry)}
	b := builder{cfg: cfg, js: js, codec: codec, metrics: n.Metrics, loops: worker.NewMetrics(cfg.Registry)}
	if cfg.Crawl || cfg.Parse {
		if b.scope, err = frontier.OpenScope(runCtx, js, cfg.Names, cfg.Log); err != nil {
			return nil, err
		}
		if b.frontier, err = frontier.New(ctx, js, cfg.Names, frontier.WithHostBudget(cfg.HostPageBudget), frontier.WithMaxQueued(cfg.MaxQueued)); err != nil {
			return nil, err
		}
		if !cfg.NoRevisit {
			if b.schedule, err = frontier.OpenSchedule(ctx, js, cfg.Names, cfg.Revisit); err != nil {
				return nil, err
			}
		}
	}
	if cfg.Crawl {
		c, err := b.crawl(int(nc.MaxPayload()))
		if err != nil {
			return nil, err
		}
		crawl = c
		stages = append(stages, c)
		n.gate = c.gate
	}
	if cfg.Parse {
		p, err := b.parse(ctx)
		if err != nil {
			return nil, err
		}
		stages = append(stages, p)
		if b.schedule != nil {
			// Any number of schedulers may run: each revisit is claimed once.
			stages = append(stages, revisits{b.schedule, b.frontier, cfg.Log, n.Metrics.Revisits.Inc})
		}
	}
	for i, spec := range cfg.Sinks {
		s, err := b.sink(ctx, spec, sinkNames[i])
		if err != nil {
			return nil, err
		}
		sinks = append(sinks, s.Sink)
		stages = append(stages, s)
		n.SinkConsumers = append(n.SinkConsumers, sinkNames[i])
	}

	g, gctx := errgroup.WithContext(runCtx)
	for _, st := range stages {
		g.Go(func() error { return st.Run(gctx) })
	}
	n.group = g
	return n, nil
}

// Wait blocks until every stage has stopped and released what it opened.
func (n *Node) Wait() error {
	err := n.group.Wait()
	n.stop()
	n.codec.Close()
	return err
}

// withDefaults fills the sizes left zero.
func (cfg Config) withDefaults() Config {
	if cfg.MaxPagesBacklog == 0 {
		cfg.MaxPagesBacklog = DefaultMaxPagesBacklog
	}
	if cfg.CrawlConcurrency <= 0 {
		cfg.CrawlConcurrency = DefaultCrawlConcurrency
	}
	if cfg.ParseConcurrency <= 0 {
		cfg.ParseConcurrency = DefaultParseConcurrency()
	}
	if cfg.SinkBatch <= 0 {
		cfg.SinkBatch = DefaultSinkBatch
	}
	if cfg.OpenSink == nil {
		cfg.OpenSink = sink.Open
	}
	if cfg.Fetcher.MaxBodySize <= 0 {
		cfg.Fetcher.MaxBodySize = crawler.DefaultMaxBodySize
	}
	return cfg
}

// builder holds what the stages of one Node share while Start builds them.
type builder struct {
	cfg      Config
	js       jetstream.JetStream
	codec    *wire.Codec
	metrics  *Metrics
	loops    *worker.Metrics
	scope    *frontier.Scope
	frontier *frontier.Frontier
	schedule *frontier.Schedule // nil: no revisits
}

// loop is the worker loop configuration of a stage.
func (b *builder) loop(stage string, concurrency int) worker.Config {
	return worker.Config{
		Stage:       stage,
		Concurrency: concurrency,
		MaxDeliver:  b.cfg.MaxDeliver,
		AckWait:     b.cfg.Topology.AckWait,
		DeadLetter:  b.cfg.Names.DeadLetterSubject(stage),
		Publisher:   b.js,
		Metrics:     b.loops,
		Log:         b.cfg.Log,
		MsgAttrs:    msgURL,
	}
}

// msgURL is the url= log attribute of a stage's message: a page's from its
// header, a crawl request's or an article's from its body.
func msgURL(msg jetstream.Msg) []any {
	if u := msg.Headers().Get(wire.HeaderURL); u != "" {
		return []any{"url", u}
	}
	if req, err := wire.CrawlRequest(msg.Data()); err == nil && req.URL != "" {
		return []any{"url", req.URL}
	}
	if a, err := wire.Article(msg.Data()); err == nil && a.URL != "" {
		return []any{"url", a.URL}
	}
	return nil
}

// crawl builds the crawl stage and its fetcher.
func (b *builder) crawl(maxPayload int) (*Crawl, error) {
	cfg := b.cfg
	c := &Crawl{JS: b.js, Names: cfg.Names, Scope: b.scope, Frontier: b.frontier, Schedule: b.schedule, Codec: b.codec,
		MaxPayload: maxPayload, Metrics: b.metrics, Log: cfg.Log, crawlerID: cfg.CrawlerID}
	if c.crawlerID == "" {
		var id [8]byte
		_, _ = rand.Read(id[:]) // never fails
		c.crawlerID = hex.EncodeToString(id[:])
	}
	if cfg.ArchiveDir != "" {
		w, err := archive.Create(cfg.ArchiveDir, archive.Options{Prefix: c.crawlerID})
		if err != nil {
			return nil, err
		}
		c.archive = w
	}
	fcfg := cfg.Fetcher
	if fcfg.AllowPort == nil {
		fcfg.AllowPort = b.scope.Port // the seeds' ports
	}
	var err error
	if c.Fetcher, err = crawler.NewFetcher(fcfg, cfg.Log); err != nil {
		return nil, err
	}
	if cfg.MaxPagesBacklog > 0 || cfg.Limits.any() {
		c.gate = newCrawlGate(b.js, cfg.Names, cfg.MaxPagesBacklog, cfg.Limits, b.metrics, cfg.Log)
	}
	c.loop = b.loop(trawler.StageCrawl, cfg.CrawlConcurrency)
	c.loop.OnDeadLetter = c.DeadLettered
	return c, nil
}

// parse builds the parse stage on the pages stream's consumer.
func (b *builder) parse(ctx context.Context) (*Parse, error) {
	cfg := b.cfg
	cons, err := b.js.Consumer(ctx, cfg.Names.PagesStream(), natsutil.ParseConsumer)
	if err != nil {
		return nil, fmt.Errorf("parse consumer: %w", err)
	}
	b.metrics.StartFields(cfg.SiteGroups)
	return &Parse{JS: b.js, Names: cfg.Names, Frontier: b.frontier, Schedule: b.schedule, Scope: b.scope, Rules: cfg.Rules,
		Codec: b.codec, MaxDepth: cfg.MaxDepth, MaxPageBytes: cfg.Fetcher.MaxBodySize, Metrics: b.metrics, Log: cfg.Log,
		SiteGroups: cfg.SiteGroups, Window: cfg.Window, NoLinks: cfg.NoLinks, cons: cons, loop: b.loop(trawler.StageParse, cfg.ParseConcurrency)}, nil
}

// sink builds the sink stage of one sink spec: the sink opened and its
// durable consumer, name. The stage closes the sink when it stops.
func (b *builder) sink(ctx context.Context, spec, name string) (*Sink, error) {
	cfg := b.cfg
	log := cfg.Log.With("sink", name)
	sk, err := cfg.OpenSink(ctx, spec, log)
	if err != nil {
		return nil, err
	}
	cons, err := natsutil.SinkConsumer(ctx, b.js, cfg.Names, name, cfg.Topology)
	if err != nil {
		return nil, errors.Join(err, sk.Close())
	}
	lc := b.loop(trawler.StageSink, cfg.SinkBatch)
	// A sink outage is not the articles' fault: give it time to recover
	// before anything is dead-lettered.
	lc.MaxDeliver = max(cfg.MaxDeliver, 50)
	lc.BackoffMax = 30 * time.Second
	lc.Timeout = 30 * time.Second
	return &Sink{Sink: sk, Kind: name, Metrics: b.metrics, Log: log, cons: cons, loop: lc}, nil
}

// revisits runs the revisit schedule: due feeds and hubs back into the
// frontier.
type revisits struct {
	schedule  *frontier.Schedule
	frontier  *frontier.Frontier
	log       *slog.Logger
	revisited func()
}

func (r revisits) Run(ctx context.Context) error {
	return r.schedule.Run(ctx, r.frontier, r.log, r.revisited)
}
