package pipeline

import (
	"context"
	"errors"
	"log/slog"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/trawler/trawler"
	"github.com/trawler/trawler/crawler"
	"github.com/trawler/trawler/internal/natstest"
	"github.com/trawler/trawler/internal/sitetest"
	"github.com/trawler/trawler/sink"
)

// stuckSink never stores anything: it blocks every write until released,
// or fails every write.
type stuckSink struct {
	release chan struct{} // nil: fail
	inner   sink.Sink
	writes  atomic.Int64
}

func (s *stuckSink) Write(ctx context.Context, batch []trawler.Article) error {
	s.writes.Add(1)
	if s.release == nil {
		return errors.New("database down")
	}
	<-s.release
	return s.inner.Write(ctx, batch)
}

func (s *stuckSink) Close() error { return s.inner.Close() }

// One sink that hangs or fails holds back neither the other sink nor the
// crawl: each sink has its own consumer of the articles stream.
func TestStuckSinkHoldsBackNothingElse(t *testing.T) {
	if testing.Short() {
		t.Skip("crawls the fixture site")
	}
	for _, mode := range []string{"hangs", "fails"} {
		t.Run(mode, func(t *testing.T) {
			site, srv := sitetest.Start(t)
			site.SlowDelay = 10 * time.Millisecond
			nats := natstest.Start(t)
			nc, js := nats.Connect(t)
			names := trawler.Names{NS: "stuck"}
			dir := t.TempDir()
			good, bad := "jsonl:"+filepath.Join(dir, "good.jsonl"), "stuck:"+filepath.Join(dir, "bad.jsonl")
			stuck := &stuckSink{}
			if mode == "hangs" {
				stuck.release = make(chan struct{})
			}
			ctx, cancel := context.WithCancel(context.Background())
			node, err := Start(ctx, nc, Config{
				Names: names, Crawl: true, Parse: true, Sinks: []string{good, bad}, MaxDepth: sitetest.CrawlDepth,
				Fetcher: crawler.Config{AllowPrivate: true, HostDelay: time.Millisecond, HostParallelism: 4, RequestTimeout: 5 * time.Second},
				OpenSink: func(ctx context.Context, spec string, log *slog.Logger) (sink.Sink, error) {
					if path, ok := strings.CutPrefix(spec, "stuck:"); ok {
						inner, err := sink.Open(ctx, "jsonl:"+path, log)
						stuck.inner = inner
						return stuck, err
					}
					return sink.Open(ctx, spec, log)
				},
				Registry: prometheus.NewRegistry(), Log: natstest.Discard(),
			})
			if err != nil {
				t.Fatal(err)
			}
			defer func() {
				if stuck.release != nil {
					select {
					case <-stuck.release:
					default:
						close(stuck.release)
					}
				}
				cancel()
				node.Wait()
			}()
			if _, err := Seed(ctx, js, names, []string{srv.URL + "/"}, nil, natstest.Discard()); err != nil {
				t.Fatal(err)
			}
			consumers := sinkNames(t, good, bad)
			goodName, badName := consumers[0], consumers[1]
			wctx, wcancel := context.WithTimeout(ctx, time.Minute)
			defer wcancel()
			// The crawl and the good sink finish while the other is stuck.
			if err := WaitIdle(wctx, js, names, []string{goodName}, 50*time.Millisecond); err != nil {
				t.Fatalf("crawl or good sink held back: %v", err)
			}
			arts, err := sink.ReadJSONL(filepath.Join(dir, "good.jsonl"))
			if err != nil {
				t.Fatal(err)
			}
			if len(arts) != len(site.Articles()) {
				t.Errorf("good sink holds %d articles, want %d", len(arts), len(site.Articles()))
			}
			b, err := ReadBacklog(ctx, js, names, []string{badName})
			if err != nil {
				t.Fatal(err)
			}
			if b.Articles == 0 || stuck.writes.Load() == 0 {
				t.Fatalf("the stuck sink has %d articles pending after %d writes: it was not stuck", b.Articles, stuck.writes.Load())
			}
			t.Logf("crawl done, good sink has %d articles, stuck sink (%s) has %d pending", len(arts), mode, b.Articles)
			if mode != "hangs" {
				return
			}
			// Released, it catches up with everything.
			close(stuck.release)
			if err := WaitIdle(wctx, js, names, []string{goodName, badName}, 50*time.Millisecond); err != nil {
				t.Fatalf("released sink never caught up: %v", err)
			}
			late, err := sink.ReadJSONL(filepath.Join(dir, "bad.jsonl"))
			if err != nil {
				t.Fatal(err)
			}
			if len(late) != len(arts) {
				t.Errorf("released sink holds %d articles, want %d", len(late), len(arts))
			}
		})
	}
}
