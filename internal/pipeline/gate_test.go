package pipeline

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/trawler/trawler"
	"github.com/trawler/trawler/crawler"
	"github.com/trawler/trawler/internal/natstest"
	"github.com/trawler/trawler/internal/testkit"
	"github.com/trawler/trawler/sink"
)

// With no parser running, a crawler stops pulling once the pages backlog
// is over its bound, however much is queued; when a parser starts, the
// crawl resumes and every page is fetched once and written.
func TestBackpressure(t *testing.T) {
	const seeds, bound = 60, 5
	var hits atomic.Int64
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			http.NotFound(w, r)
			return
		}
		hits.Add(1)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		writeStory(w, r.URL.Path, "2026-11-02T10:00:00Z")
	}))
	defer site.Close()

	srv := natstest.Start(t)
	nc, js := srv.Connect(t)
	names := trawler.Names{NS: "bp"}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	crawlNode, err := Start(ctx, nc, Config{
		Names: names, Crawl: true, CrawlConcurrency: 1, MaxPagesBacklog: bound,
		// 20 fetches a second: the gate, read four times a second, closes
		// a few pages past its bound.
		Fetcher:  crawler.Config{AllowPrivate: true, HostDelay: 50 * time.Millisecond, RequestTimeout: 5 * time.Second},
		Registry: prometheus.NewRegistry(), Log: natstest.Discard(),
	})
	if err != nil {
		t.Fatal(err)
	}
	var urls []string
	for i := range seeds {
		urls = append(urls, fmt.Sprintf("%s/story/%d", site.URL, i))
	}
	if _, err := Seed(ctx, js, names, urls, nil, natstest.Discard()); err != nil {
		t.Fatal(err)
	}

	testkit.WaitFor(t, 10*time.Second, "the crawl held back", func() bool {
		return testutil.ToFloat64(crawlNode.Metrics.PagesBacklog) > bound
	})
	held := hits.Load()
	time.Sleep(time.Second) // held back: at most the fetch in hand ends
	if n := hits.Load(); n > held+1 || n >= seeds {
		t.Fatalf("pages fetched while held back: %d, then %d of %d", held, n, seeds)
	}
	if pages := natstest.StreamState(t, js, names.PagesStream()).Msgs; pages < bound || pages > bound+10 {
		t.Errorf("pages waiting = %d, want the bound %d and a few fetched before the gate closed", pages, bound)
	}
	if s := testutil.ToFloat64(crawlNode.Metrics.BackpressureSeconds); s < 0.5 {
		t.Errorf("trawler_crawl_backpressure_seconds_total = %v, want the second held back", s)
	}

	out := filepath.Join(t.TempDir(), "articles.jsonl")
	parseNode, err := Start(ctx, nc, Config{
		Names: names, Parse: true, Sinks: []string{"jsonl:" + out},
		Registry: prometheus.NewRegistry(), Log: natstest.Discard(),
	})
	if err != nil {
		t.Fatal(err)
	}
	wctx, wcancel := context.WithTimeout(ctx, 30*time.Second)
	defer wcancel()
	if err := WaitIdle(wctx, js, names, parseNode.SinkConsumers, 20*time.Millisecond); err != nil {
		t.Fatalf("not idle: %v", err)
	}
	cancel()
	if err := crawlNode.Wait(); err != nil {
		t.Error(err)
	}
	if err := parseNode.Wait(); err != nil {
		t.Error(err)
	}
	if n := hits.Load(); n != seeds {
		t.Errorf("%d fetches, want each of the %d pages once", n, seeds)
	}
	arts, err := sink.ReadJSONL(out)
	if err != nil || len(arts) != seeds {
		t.Errorf("%d articles written (%v), want %d", len(arts), err, seeds)
	}
}
