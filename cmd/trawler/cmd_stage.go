package main

import (
	"context"
	"errors"
	"fmt"
	"io"

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
		return err
	}
	reg.MustRegister(pipeline.NewBacklogCollector(c.js, names))
	if _, err := serveOps(ctx, o.metricsAddr, reg, natsReady(nc), log); err != nil {
		return err
	}
	if stage == trawler.StageParse && len(o.allowDomains) > 0 {
		log.Warn("--allow-domain is read by run and seed; parsers follow the scope stored in NATS")
	}
	log.Info("worker started", "nats", nc.ConnectedUrlRedacted())
	err = node.Wait()
	log.Info("worker stopped")
	return err
}

// cmdSeed enqueues seeds into a running pipeline.
func cmdSeed(ctx context.Context, args []string, getenv func(string) string, stderr io.Writer) error {
	var o options
	fs := newFlagSet("seed", stderr, &o, gNATS)
	fs.Var(&o.allowDomains, "allow-domain", "also crawl this registered `DOMAIN` (repeatable; default: the seeds' domains)")
	fs.StringVar(&o.logFormat, "log-format", "text", "log format: text or json")
	fs.StringVar(&o.logLevel, "log-level", "info", "log level")
	if err := parseArgs(fs, args, getenv); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return usageError{errors.New("seed: give at least one URL")}
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
	n, err := pipeline.Seed(ctx, js, names, fs.Args(), o.allowDomains, log)
	if err != nil {
		return err
	}
	fmt.Fprintf(stderr, "trawler: %d of %d seeds enqueued (the others were seen before)\n", n, fs.NArg())
	return nil
}
