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

	"github.com/trawler/trawler"
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
	eopts := natsutil.EmbeddedOptions{StoreDir: filepath.Join(cfg.data, "nats"), Listen: cfg.listen, Names: names,
		TLSCert: cfg.listenCert, TLSKey: cfg.listenKey}
	if cfg.serverAuth == "nkey" {
		if eopts.Auth, err = natsutil.LoadOrGenerateAuth(filepath.Join(cfg.data, "nats-auth")); err != nil {
			return err
		}
	}
	emb, err := natsutil.StartEmbedded(eopts)
	if err != nil {
		return err
	}
	defer emb.Shutdown()
	if emb.URL != "" {
		log.Info("embedded NATS listening: workers can join with --nats", "url", emb.URL)
		printJoin(stderr, emb.URL, eopts)
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

	if cfg.exitIdle {
		if err := pipeline.WaitIdle(stagesCtx, js, names, node.SinkConsumers, 250*time.Millisecond); err == nil {
			log.Info("idle: nothing queued, in flight or unwritten")
		}
	} else {
		<-stagesCtx.Done()
	}
	stopStages()
	err = node.Wait()
	prog.summary(time.Since(start), cfg.stages.Sinks)
	return err
}

// printJoin tells how a worker joins the embedded server at url: with the
// seed file of its stage when the server has users.
func printJoin(w io.Writer, url string, opts natsutil.EmbeddedOptions) {
	tls := ""
	if opts.TLSCert != "" {
		tls = " --nats-tls-ca CA.pem"
	}
	fmt.Fprintf(w, "trawler: workers join with:\n")
	for _, stage := range []string{trawler.StageCrawl, trawler.StageParse, trawler.StageSink} {
		auth := ""
		if opts.Auth != nil {
			auth = " --nats-nkey " + opts.Auth.SeedFile(natsutil.RoleOfStage(stage))
		}
		extra := ""
		if stage == trawler.StageSink {
			extra = " --sink SPEC"
		}
		fmt.Fprintf(w, "  trawler %s --nats %s%s%s%s\n", stage, url, auth, tls, extra)
	}
	if opts.Auth != nil {
		fmt.Fprintf(w, "  (copy each seed file to its worker only; seed and dlq take %s)\n", opts.Auth.SeedFile(natsutil.RoleAdmin))
	}
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
