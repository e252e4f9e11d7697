package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/trawler/trawler"
	"github.com/trawler/trawler/internal/natsutil"
	"github.com/trawler/trawler/internal/pipeline"
)

// cmdRun runs every stage in this process on an embedded NATS server.
func cmdRun(ctx context.Context, args []string, getenv func(string) string, stderr io.Writer) error {
	var o options
	fs := newFlagSet("run", stderr, &o, gCommon|gRun)
	if err := parseArgs(fs, args, getenv); err != nil {
		return err
	}
	o.seeds = append(o.seeds, fs.Args()...)
	log, err := o.logger(stderr)
	if err != nil {
		return usageError{err}
	}
	if err := o.validate(); err != nil {
		return usageError{err}
	}
	if len(o.sinks) == 0 {
		o.sinks = list{"jsonl:" + filepath.Join(o.data, "articles.jsonl")}
	}
	if err := os.MkdirAll(o.data, 0o755); err != nil {
		return fmt.Errorf("data dir: %w", err)
	}
	emb, err := natsutil.StartEmbedded(natsutil.EmbeddedOptions{StoreDir: filepath.Join(o.data, "nats"), Listen: o.listen})
	if err != nil {
		return err
	}
	defer emb.Shutdown()
	if emb.URL != "" {
		log.Info("embedded NATS listening: workers can join with --nats", "url", emb.URL)
	}
	nc, err := emb.Connect(log, "trawler-run")
	if err != nil {
		return err
	}
	defer nc.Close()

	start := time.Now()
	reg := newRegistry()
	names := trawler.Names{NS: o.namespace}
	if err := names.Validate(); err != nil {
		return usageError{err}
	}
	stagesCtx, stopStages := context.WithCancel(ctx)
	defer stopStages()
	node, err := pipeline.Start(stagesCtx, nc, o.nodeConfig(names, true, true, reg, log))
	if err != nil {
		return err
	}
	js, err := jetstream.New(nc)
	if err != nil {
		return err
	}
	reg.MustRegister(pipeline.NewJetStreamCollector(js, names, log))
	if _, err := serveOps(ctx, o.metricsAddr, reg, natsReady(nc), log); err != nil {
		stopStages()
		return errors.Join(err, node.Wait())
	}
	if len(o.seeds) > 0 {
		if _, err := pipeline.Seed(ctx, js, names, o.seeds, o.allowDomains, log); err != nil {
			stopStages()
			return errors.Join(err, node.Wait())
		}
	} else if len(o.allowDomains) > 0 {
		log.Warn("--allow-domain without --seed: nothing new to crawl; resuming what is queued")
	}

	prog := newProgress(stderr, reg)
	go prog.run(stagesCtx)

	if o.exitIdle {
		if err := pipeline.WaitIdle(stagesCtx, js, names, node.SinkConsumers, 250*time.Millisecond); err == nil {
			log.Info("idle: nothing queued, in flight or unwritten")
		}
	} else {
		<-stagesCtx.Done()
	}
	stopStages()
	err = node.Wait()
	prog.summary(time.Since(start), o.sinks)
	return err
}

// natsReady is the readiness check of a worker: it can work while connected.
func natsReady(nc *nats.Conn) func() error {
	return func() error {
		if !nc.IsConnected() {
			return fmt.Errorf("nats: %s", nc.Status())
		}
		return nil
	}
}
