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
	cfg, err := parseConfig(stage, args, getenv, stderr, func(cfg *config) error {
		if len(cfg.args) > 0 {
			return fmt.Errorf("unexpected arguments: %v", cfg.args)
		}
		return checkSinkSpecs(cfg.stages.Sinks)
	})
	if err != nil {
		return err
	}
	c, err := cfg.dial("trawler-"+stage, natsutil.RoleOfStage(stage))
	if err != nil {
		return err
	}
	defer c.nc.Close()
	nc, names, log := c.nc, c.names, c.log.With("stage", stage)
	reg := newRegistry()
	if _, err := serveOps(ctx, cfg.metricsAddr, reg, natsReady(nc), log); err != nil {
		return err
	}
	ctx, stop := context.WithCancel(ctx) // a crawler that reaches a limit stops itself
	defer stop()
	if cfg.natsAuth != (natsutil.ClientAuth{}) {
		// A stage's credentials may not declare streams, consumers or
		// buckets (only admin's may): wait for the first seed, or run, to
		// declare them all.
		if err := natsutil.WaitDeclared(ctx, c.js, names, log); err != nil {
			if ctx.Err() != nil {
				log.Info("stopped while waiting for the streams")
				return nil
			}
			return err
		}
	}
	node, err := pipeline.Start(ctx, nc, cfg.nodeConfig(stage == trawler.StageCrawl, stage == trawler.StageParse, reg, log))
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
	if stage == trawler.StageParse && len(cfg.allowDomains) > 0 {
		log.Warn("--allow-domain is read by run and seed; parsers follow the scope stored in NATS")
	}
	log.Info("worker started", "nats", nc.ConnectedUrlRedacted())
	go func() { // a crawler that reached a limit is done: it drains and exits
		select {
		case <-node.CrawlStopped():
			log.Info("limit reached: stopping", "reason", node.StopReason())
			stop()
		case <-ctx.Done():
		}
	}()
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
	cfg, err := parseConfig("seed", args, getenv, stderr, func(cfg *config) error {
		if len(cfg.args) == 0 {
			return errors.New("seed: give at least one URL")
		}
		return checkSeeds(nil, cfg.args)
	})
	if err != nil {
		return err
	}
	c, err := cfg.dial("trawler-seed", natsutil.RoleAdmin)
	if err != nil {
		return err
	}
	defer c.nc.Close()
	js, names, log := c.js, c.names, c.log
	if err := natsutil.Setup(ctx, js, names, cfg.topology); err != nil {
		return err
	}
	var opts []pipeline.SeedOption
	if cfg.force {
		opts = append(opts, pipeline.Force())
	}
	n, err := pipeline.Seed(ctx, js, names, cfg.args, cfg.allowDomains, log, opts...)
	if err != nil {
		return err
	}
	fmt.Fprintf(stderr, "trawler: %d of %d seeds enqueued (the others are queued or were fetched; --force enqueues them again)\n", n, len(cfg.args))
	return nil
}
