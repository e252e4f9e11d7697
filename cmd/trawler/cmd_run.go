package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
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

// cmdRun runs every stage in this process on an embedded NATS server. What
// can be checked is checked before anything starts, in this order: the
// flags, --listen's port, the sinks (opened, databases connected), then the
// embedded server, /metrics, and only then the stages.
func cmdRun(ctx context.Context, args []string, getenv func(string) string, stderr io.Writer) error {
	out := newStatusWriter(stderr)
	cfg, err := parseConfig("run", args, getenv, out, func(cfg *config) error {
		return errors.Join(checkSeeds(cfg.seeds, cfg.args), checkSinkSpecs(cfg.stages.Sinks), checkStatsFile(cfg.statsJSON))
	})
	if err != nil {
		return err
	}
	log, names := cfg.log, cfg.names
	seeds := slices.Concat(cfg.seeds, cfg.args) // run URL… is run --seed URL…
	if err := checkListen(cfg.listen); err != nil {
		return err
	}
	if err := os.MkdirAll(cfg.data, 0o755); err != nil {
		return fmt.Errorf("--data: %w", err)
	}
	openSink, closeSinks, err := openSinks(ctx, cfg.stages.Sinks, log)
	if err != nil {
		return err
	}
	defer closeSinks()
	eopts := natsutil.EmbeddedOptions{StoreDir: filepath.Join(cfg.data, "nats"), Listen: cfg.listen, Names: names,
		TLSCert: cfg.listenCert, TLSKey: cfg.listenKey, MaxStore: cfg.maxStore}
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
	js, err := jetstream.New(nc)
	if err != nil {
		return err
	}
	reg := newRegistry()
	if _, err := serveOps(ctx, cfg.metricsAddr, reg, natsReady(nc), log); err != nil {
		return err
	}

	start := time.Now()
	stagesCtx, stopStages := context.WithCancel(ctx)
	defer stopStages()
	ncfg := cfg.nodeConfig(true, true, reg, log)
	ncfg.OpenSink = openSink
	node, err := pipeline.Start(stagesCtx, nc, ncfg)
	if err != nil {
		return err
	}
	reg.MustRegister(pipeline.NewJetStreamCollector(js, names, log))
	announceRedeliveries(ctx, js, names, cfg.topology.AckWait, log)
	before := clusterCounts(ctx, js, names)
	if len(seeds) > 0 {
		if _, err := pipeline.Seed(ctx, js, names, seeds, cfg.allowDomains, log); err != nil {
			if _, interrupted := interruption(ctx); !interrupted {
				stopStages()
				return errors.Join(err, node.Wait())
			}
			// Interrupted while seeding: stop as any interrupted run does,
			// saying what is queued (the seeds not enqueued are not).
		}
	} else if len(cfg.allowDomains) > 0 {
		log.Warn("--allow-domain without --seed: nothing new to crawl; resuming what is queued")
	}

	// Stopping can take a while (fetches in flight, partitions handed
	// back): say so rather than sit silent.
	defer context.AfterFunc(ctx, func() {
		log.Info("stopping: finishing and acking the work in flight; run the same command to resume the rest")
	})()
	go newProgress(out, reg).run(stagesCtx)
	reason := "stopped"
	idle := make(chan error, 1)
	if cfg.exitIdle {
		go func() { idle <- pipeline.WaitIdle(stagesCtx, js, names, node.SinkConsumers, 250*time.Millisecond) }()
	}
	select {
	case err := <-idle:
		if err == nil {
			log.Info("idle: nothing queued, in flight or unwritten")
			reason = "finished"
		}
	case <-node.CrawlStopped():
		// A limit reached: what was fetched is parsed and written, what is
		// queued stays for the next run.
		if err := pipeline.WaitDrained(stagesCtx, js, names, node.SinkConsumers, 250*time.Millisecond); err == nil {
			b, _ := pipeline.ReadBacklog(stagesCtx, js, names, node.SinkConsumers)
			fmt.Fprintf(out, "trawler: stopped: %s; %d requests still queued (run the same command to go on)\n", node.StopReason(), b.Frontier)
			reason = "limit_reached"
		}
	case <-stagesCtx.Done():
	}
	stopStages()
	err = node.Wait()
	out.setStatus("")

	st := readStats(reg, cfg.stages.Sinks)
	st.finish(start, time.Now())
	after := clusterCounts(context.WithoutCancel(ctx), js, names)
	st.AllPagesFetched, st.AllArticlesPublished = after.pages-before.pages, after.articles-before.articles
	bctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	if b, berr := pipeline.ReadBacklog(bctx, js, names, node.SinkConsumers); berr == nil {
		st.Queued = queuedStats{Frontier: int(b.Frontier), Pages: int(b.Pages), Articles: int(b.Articles)}
	}
	cancel()
	err = runResult(ctx, err, st, cfg.strict)
	switch {
	case err == nil:
	case errors.As(err, new(*interruptedError)):
		reason = "interrupted"
	case reason == "stopped" || exitCode(err) == exitFailed:
		reason = "failed"
	}
	st.FinishReason, st.ExitStatus = reason, exitCode(err)
	st.print(out, cfg.stages.Fetcher.AllowPrivate, cfg.listen != "")
	if cfg.statsJSON != "" {
		err = errors.Join(err, st.writeJSON(cfg.statsJSON))
	}
	return err
}

// runResult is what run reports at exit (see exitCode): a stage's failure;
// an interruption with what is still queued; nothing fetched at all; or,
// with --strict, dead letters.
func runResult(ctx context.Context, err error, st *stats, strict bool) error {
	if errors.Is(err, context.Canceled) {
		err = nil
	}
	if sig, ok := interruption(ctx); ok {
		q := st.Queued
		detail := "nothing was left queued"
		if q.Frontier < 0 {
			detail = "what is left queued is unknown"
		} else if q.Frontier+q.Pages+q.Articles > 0 {
			detail = fmt.Sprintf("%d URLs, %d pages and %d articles still queued; run the same command to resume", q.Frontier, q.Pages, q.Articles)
		}
		if err != nil {
			// Interrupted all the same: the status says so.
			detail += fmt.Sprintf(" (while stopping: %v)", err)
		}
		return &interruptedError{sig: sig, detail: detail}
	}
	if err != nil {
		return err
	}
	if st.URLs > 0 && st.URLsByOutcome["ok"] == 0 && st.AllPagesFetched == 0 {
		return &exitError{code: exitFailed, err: fmt.Errorf("nothing could be fetched: %d URLs tried (%s)", st.URLs, breakdown(st.URLsByOutcome))}
	}
	if strict && st.DeadLetters > 0 {
		return &exitError{code: exitDeadLetters, err: fmt.Errorf("--strict: %d dead letters (trawler dlq list --nats … shows them)", st.DeadLetters)}
	}
	return nil
}

// counts are the pages and articles published by every worker of a
// pipeline, remote ones included: the streams' last sequences.
type counts struct{ pages, articles int }

func clusterCounts(ctx context.Context, js jetstream.JetStream, names trawler.Names) counts {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	var c counts
	for _, s := range []struct {
		stream string
		n      *int
	}{{names.PagesStream(), &c.pages}, {names.ArticlesStream(), &c.articles}} {
		if st, err := js.Stream(ctx, s.stream); err == nil {
			if info, err := st.Info(ctx); err == nil {
				*s.n = int(info.State.LastSeq)
			}
		}
	}
	return c
}

// announceRedeliveries says why a resumed run may sit idle for a while:
// messages a killed process had taken are redelivered only once their ack
// wait has passed.
func announceRedeliveries(ctx context.Context, js jetstream.JetStream, names trawler.Names, ackWait time.Duration, log *slog.Logger) {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	held := 0
	for _, name := range []string{names.FrontierStream(), names.PagesStream(), names.ArticlesStream()} {
		st, err := js.Stream(ctx, name)
		if err != nil {
			continue
		}
		infos := st.ListConsumers(ctx)
		for info := range infos.Info() {
			held += info.NumAckPending
		}
	}
	if held > 0 {
		if ackWait <= 0 {
			ackWait = natsutil.DefaultAckWait
		}
		log.Info("messages taken by a process that stopped without settling them are redelivered once their ack wait has passed",
			"messages", held, "ack_wait", ackWait)
	}
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
