package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/trawler/trawler/internal/natsutil"
	"github.com/trawler/trawler/internal/pipeline"
)

// cmdRun runs every stage in this process on an embedded NATS server.
func cmdRun(ctx context.Context, args []string, getenv func(string) string, stderr io.Writer) error {
	cfg, err := parseConfig("run", args, getenv, stderr, nil)
	if err != nil {
		return err
	}
	log, names := cfg.log, cfg.names
	seeds := slices.Concat(cfg.seeds, cfg.args) // run URL… is run --seed URL…
	if err := os.MkdirAll(cfg.data, 0o755); err != nil {
		return fmt.Errorf("data dir: %w", err)
	}
	emb, err := natsutil.StartEmbedded(natsutil.EmbeddedOptions{StoreDir: filepath.Join(cfg.data, "nats"), Listen: cfg.listen})
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
	stagesCtx, stopStages := context.WithCancel(ctx)
	defer stopStages()
	node, err := pipeline.Start(stagesCtx, nc, cfg.nodeConfig(true, true, reg, log))
	if err != nil {
		return err
	}
	js, err := jetstream.New(nc)
	if err != nil {
		return err
	}
	reg.MustRegister(pipeline.NewJetStreamCollector(js, names, log))
	if _, err := serveOps(ctx, cfg.metricsAddr, reg, natsReady(nc), log); err != nil {
		stopStages()
		return errors.Join(err, node.Wait())
	}
	if len(seeds) > 0 {
		if _, err := pipeline.Seed(ctx, js, names, seeds, cfg.allowDomains, log); err != nil {
			stopStages()
			return errors.Join(err, node.Wait())
		}
	} else if len(cfg.allowDomains) > 0 {
		log.Warn("--allow-domain without --seed: nothing new to crawl; resuming what is queued")
	}

	prog := newProgress(stderr, reg)
	go prog.run(stagesCtx)

	idle := make(chan error, 1)
	if cfg.exitIdle {
		go func() { idle <- pipeline.WaitIdle(stagesCtx, js, names, node.SinkConsumers, 250*time.Millisecond) }()
	}
	select {
	case err := <-idle:
		if err == nil {
			log.Info("idle: nothing queued, in flight or unwritten")
		}
	case <-node.CrawlStopped():
		// A limit reached: what was fetched is parsed and written, what is
		// queued stays for the next run.
		if err := pipeline.WaitDrained(stagesCtx, js, names, node.SinkConsumers, 250*time.Millisecond); err == nil {
			b, _ := pipeline.ReadBacklog(stagesCtx, js, names, node.SinkConsumers)
			fmt.Fprintf(stderr, "trawler: stopped: %s; %d requests still queued (run the same command to go on)\n", node.StopReason(), b.Frontier)
		}
	case <-stagesCtx.Done():
	}
	stopStages()
	err = node.Wait()
	prog.summary(time.Since(start), cfg.stages.Sinks)
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
