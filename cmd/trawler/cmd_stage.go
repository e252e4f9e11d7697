package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/trawler/trawler"
	"github.com/trawler/trawler/internal/natsutil"
	"github.com/trawler/trawler/internal/pipeline"
)

// cmdStage runs one stage as a worker against an external NATS.
func cmdStage(ctx context.Context, stage string, args []string, getenv func(string) string, stderr io.Writer) error {
	var o options
	groups := gCommon | gNATS
	switch stage {
	case trawler.StageCrawl:
		groups |= gCrawl
	case trawler.StageParse:
		groups |= gParse
	case trawler.StageSink:
		groups |= gSink
	}
	fs := newFlagSet(stage, stderr, &o, groups)
	if err := parseArgs(fs, args, getenv); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Errorf("unexpected arguments: %v", fs.Args())}
	}
	if stage == trawler.StageSink && len(o.sinks) == 0 {
		return usageError{errors.New("sink: give at least one --sink SPEC")}
	}
	if err := o.validate(); err != nil {
		return usageError{err}
	}
	c, err := o.dial("trawler-"+stage, stderr)
	if err != nil {
		return err
	}
	defer c.nc.Close()
	nc, names, log := c.nc, c.names, c.log.With("stage", stage)
	reg := newRegistry()
	node, err := pipeline.Start(ctx, nc, o.nodeConfig(names, stage == trawler.StageCrawl, stage == trawler.StageParse, reg, log))
	if err != nil {
		if ctx.Err() != nil && errors.Is(err, context.Canceled) {
			// SIGTERM while starting (a sink still connecting to its
			// database): nothing was taken yet, so this is a clean stop.
			log.Info("stopped while starting", "err", err)
			return nil
		}
		return err
	}
	reg.MustRegister(pipeline.NewJetStreamCollector(c.js, names, log))
	if _, err := serveOps(ctx, o.metricsAddr, reg, natsReady(nc), log); err != nil {
		return err
	}
	if stage == trawler.StageParse && len(o.allowDomains) > 0 {
		log.Warn("--allow-domain is read by run and seed; parsers follow the scope stored in NATS")
	}
	log.Info("worker started", "nats", nc.ConnectedUrlRedacted())
	// SIGTERM cancels ctx: the stages stop taking work and settle what they
	// hold. The time from there to a closed connection is the drain an
	// orchestrator's grace period must cover.
	stopped := make(chan time.Time, 1)
	defer context.AfterFunc(ctx, func() {
		stopped <- time.Now()
		log.Info("draining: no new work, settling messages in flight")
	})()
	err = node.Wait()
	if cerr := closeConn(nc, drainTimeout); cerr != nil {
		// Not fatal: at worst an ack is lost and its message redelivered.
		log.Warn("close nats", "err", cerr)
	}
	if ctx.Err() != nil {
		log.Info("worker stopped", "drain", time.Since(<-stopped).Round(time.Millisecond))
	} else {
		log.Info("worker stopped")
	}
	return err
}

// drainTimeout bounds closeConn: the stages have settled their messages by
// then, so only the last acks are still on their way.
const drainTimeout = 5 * time.Second

// closeConn drains nc and waits for it to close: unlike Close, Drain flushes
// the last acks and waits for the server to answer, so an ack sent just
// before exit is not lost with the socket (its message would come back after
// the ack wait).
func closeConn(nc *nats.Conn, timeout time.Duration) error {
	closed := make(chan struct{})
	nc.SetClosedHandler(func(*nats.Conn) { close(closed) })
	if err := nc.Drain(); err != nil {
		nc.Close()
		return fmt.Errorf("drain nats connection: %w", err)
	}
	select {
	case <-closed:
		return nil
	case <-time.After(timeout):
		nc.Close()
		return fmt.Errorf("drain nats connection: not closed after %v", timeout)
	}
}

// cmdSeed enqueues seeds into a running pipeline.
func cmdSeed(ctx context.Context, args []string, getenv func(string) string, stderr io.Writer) error {
	var o options
	fs := newFlagSet("seed", stderr, &o, gNATS)
	fs.Var(&o.allowDomains, "allow-domain", "also crawl this registered `DOMAIN` (repeatable; default: the seeds' domains)")
	fs.StringVar(&o.logFormat, "log-format", "text", "log format: text or json")
	fs.StringVar(&o.logLevel, "log-level", "info", "log level")
	force := fs.Bool("force", false, "enqueue the seeds even if they were fetched before (a seed whose last attempt failed is always enqueued again)")
	if err := parseArgs(fs, args, getenv); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return usageError{errors.New("seed: give at least one URL")}
	}
	if err := o.validate(); err != nil {
		return usageError{err}
	}
	c, err := o.dial("trawler-seed", stderr)
	if err != nil {
		return err
	}
	defer c.nc.Close()
	js, names, log := c.js, c.names, c.log
	if err := natsutil.Setup(ctx, js, names, o.topology()); err != nil {
		return err
	}
	var opts []pipeline.SeedOption
	if *force {
		opts = append(opts, pipeline.Force())
	}
	n, err := pipeline.Seed(ctx, js, names, fs.Args(), o.allowDomains, log, opts...)
	if err != nil {
		return err
	}
	fmt.Fprintf(stderr, "trawler: %d of %d seeds enqueued (the others are queued or were fetched; --force enqueues them again)\n", n, fs.NArg())
	return nil
}
