package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	dto "github.com/prometheus/client_model/go"

	"github.com/trawler/trawler"
	"github.com/trawler/trawler/internal/archive"
	"github.com/trawler/trawler/internal/natsutil"
	"github.com/trawler/trawler/internal/pipeline"
	"github.com/trawler/trawler/internal/wire"
)

// reparseBacklog bounds the archived pages queued for the parsers, so that
// memory follows it, not the archive's size.
const reparseBacklog = 256

// cmdReparse parses archived pages again (see package archive) into the
// sinks, on an embedded server, with the parse stage of a crawl: the same
// extraction, the same dedup of addresses, the same sinks; links are not
// followed.
func cmdReparse(ctx context.Context, args []string, getenv func(string) string, stderr io.Writer) error {
	var files []string
	cfg, err := parseConfig("reparse", args, getenv, stderr, func(cfg *config) error {
		sinkErr := checkSinkSpecs(cfg.stages.Sinks)
		if len(cfg.args) == 0 {
			return errors.Join(errors.New("reparse: give at least one warc:DIR or warc:FILE"), sinkErr)
		}
		var errs []error
		for _, a := range cfg.args {
			path, ok := strings.CutPrefix(a, "warc:")
			if !ok || path == "" {
				errs = append(errs, fmt.Errorf("reparse %q: want warc:DIR or warc:FILE", a))
				continue
			}
			fs, err := archive.Files(path)
			if err != nil {
				errs = append(errs, err)
			}
			files = append(files, fs...)
		}
		if len(errs) == 0 && len(files) == 0 {
			errs = append(errs, fmt.Errorf("reparse: no WARC files in %s", strings.Join(cfg.args, ", ")))
		}
		return errors.Join(append(errs, sinkErr)...)
	})
	if err != nil {
		return err
	}
	log, names := cfg.log, cfg.names
	if err := os.MkdirAll(cfg.data, 0o755); err != nil {
		return fmt.Errorf("data dir: %w", err)
	}
	emb, err := natsutil.StartEmbedded(natsutil.EmbeddedOptions{StoreDir: filepath.Join(cfg.data, "nats")})
	if err != nil {
		return err
	}
	defer emb.Shutdown()
	nc, err := emb.Connect(log, "trawler-reparse")
	if err != nil {
		return err
	}
	defer nc.Close()

	start := time.Now()
	ncfg := cfg.nodeConfig(false, true, newRegistry(), log)
	ncfg.NoLinks, ncfg.NoRevisit = true, true
	stagesCtx, stopStages := context.WithCancel(ctx)
	defer stopStages()
	node, err := pipeline.Start(stagesCtx, nc, ncfg)
	if err != nil {
		return err
	}
	js, err := jetstream.New(nc)
	if err != nil {
		stopStages()
		return errors.Join(err, node.Wait())
	}
	pages, err := publishArchives(stagesCtx, js, names, files, int(ncfg.Fetcher.MaxBodySize), node.SinkConsumers)
	if err == nil {
		err = pipeline.WaitDrained(stagesCtx, js, names, node.SinkConsumers, 100*time.Millisecond)
	}
	stopStages()
	err = errors.Join(err, node.Wait())
	var written dto.Metric
	_ = node.Metrics.ArticlesPublished.Write(&written)
	fmt.Fprintf(stderr, "trawler: reparsed %d pages from %d WARC files in %s, published %.0f articles to the sinks\n",
		pages, len(files), time.Since(start).Round(time.Millisecond), written.GetCounter().GetValue())
	return err
}

// publishArchives publishes every page of files to the pages stream, each
// under its own message id (an archive holds revisits of one URL), and
// waits while more than reparseBacklog are unparsed.
func publishArchives(ctx context.Context, js jetstream.JetStream, names trawler.Names, files []string, maxPage int, sinks []string) (int, error) {
	codec, err := wire.NewCodec(maxPage)
	if err != nil {
		return 0, err
	}
	defer codec.Close()
	n := 0
	for _, f := range files {
		err := archive.Read(f, func(p trawler.Page) error {
			for {
				b, err := pipeline.ReadBacklog(ctx, js, names, sinks)
				if err != nil {
					return err
				}
				if b.Pages < reparseBacklog {
					break
				}
				select {
				case <-ctx.Done():
					return ctx.Err()
				case <-time.After(50 * time.Millisecond):
				}
			}
			p.Attempt = "warc " + p.FetchedAt.Format(time.RFC3339Nano)
			pctx, cancel := context.WithTimeout(ctx, natsutil.OpTimeout)
			defer cancel()
			if _, err := js.PublishMsg(pctx, codec.PageMsg(names.PagesSubject(), p)); err != nil {
				return fmt.Errorf("publish %s: %w", p.URL, err)
			}
			n++
			return nil
		})
		if err != nil {
			return n, err
		}
	}
	return n, nil
}
