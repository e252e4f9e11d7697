// Package bench measures the whole pipeline against a bare colly crawl of
// the same fixture site, in the same process and run, so the figures are
// ratios that hold on a noisy machine. Run with `make bench`.
package bench

import (
	"context"
	"net/http/httptest"
	"path/filepath"
	"runtime/metrics"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gocolly/colly/v2"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/trawler/trawler"
	"github.com/trawler/trawler/crawler"
	"github.com/trawler/trawler/internal/natstest"
	"github.com/trawler/trawler/internal/natsutil"
	"github.com/trawler/trawler/internal/pipeline"
	"github.com/trawler/trawler/internal/sitetest"
)

// Both crawlers get the same politeness budget on the one fixture host.
const (
	parallelism = 4
	maxDepth    = 3
)

// BenchmarkCrawl crawls the fixture site once per iteration with trawler
// (all stages, embedded NATS, JSONL sink) and once with a bare colly
// collector that only fetches and follows links, and reports both rates,
// their ratio and each one's peak heap.
func BenchmarkCrawl(b *testing.B) {
	var trawlerRate, crawlRate, collyRate, trawlerPeak, collyPeak, setupMS, crawlMS, shutdownMS []float64
	for i := 0; i < b.N; i++ {
		srv := newSite(b)
		var ph phases
		pages, d, peak := measure(func() int { return crawlTrawler(b, srv, &ph) })
		trawlerRate = append(trawlerRate, float64(pages)/d.Seconds())
		setupMS = append(setupMS, float64(ph.setup.Milliseconds()))
		crawlMS = append(crawlMS, float64(ph.crawl.Milliseconds()))
		crawlRate = append(crawlRate, float64(pages)/ph.crawl.Seconds())
		shutdownMS = append(shutdownMS, float64(ph.shutdown.Milliseconds()))
		trawlerPeak = append(trawlerPeak, peak)

		srv = newSite(b)
		pages, d, peak = measure(func() int { return crawlColly(b, srv) })
		collyRate = append(collyRate, float64(pages)/d.Seconds())
		collyPeak = append(collyPeak, peak)
	}
	b.ReportMetric(median(trawlerRate), "trawler-pages/s")
	b.ReportMetric(median(collyRate), "colly-pages/s")
	b.ReportMetric(median(trawlerRate)/median(collyRate), "ratio")
	b.ReportMetric(median(trawlerPeak), "trawler-peak-heap-MB")
	b.ReportMetric(median(collyPeak), "colly-peak-heap-MB")
	// The crawl phase alone (seeded to idle), without starting and stopping
	// the embedded server and the node, which a 34-page site cannot amortise.
	b.ReportMetric(median(crawlRate), "trawler-crawl-phase-pages/s")
	b.ReportMetric(median(crawlRate)/median(collyRate), "crawl-phase-ratio")
	b.ReportMetric(median(setupMS), "trawler-setup-ms")
	b.ReportMetric(median(crawlMS), "trawler-crawl-ms")
	b.ReportMetric(median(shutdownMS), "trawler-shutdown-ms")
}

func newSite(b *testing.B) *httptest.Server {
	site := sitetest.New()
	site.SlowDelay = 0
	srv := httptest.NewServer(site)
	b.Cleanup(srv.Close)
	return srv
}

// measure runs crawl and returns the pages it reports, the wall time and
// the peak live heap in MB.
func measure(crawl func() int) (int, time.Duration, float64) {
	var peak atomic.Uint64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		for {
			metrics.Read(s)
			if v := s[0].Value.Uint64(); v > peak.Load() {
				peak.Store(v)
			}
			select {
			case <-stop:
				return
			case <-t.C:
			}
		}
	}()
	start := time.Now()
	pages := crawl()
	d := time.Since(start)
	close(stop)
	wg.Wait()
	return pages, d, float64(peak.Load()) / (1 << 20)
}

// phases is where one trawler crawl spent its wall time: starting the
// server and the node and seeding, crawling to idle, and shutting down.
type phases struct{ setup, crawl, shutdown time.Duration }

func crawlTrawler(b *testing.B, srv *httptest.Server, ph *phases) int {
	start := time.Now()
	nats := natstest.Start(b)
	nc, js := nats.Connect(b)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	names := trawler.Names{NS: "bench"}
	spec := "jsonl:" + filepath.Join(b.TempDir(), "articles.jsonl")
	node, err := pipeline.Start(ctx, nc, pipeline.Config{
		Names: names, Crawl: true, Parse: true, Sinks: []string{spec},
		CrawlConcurrency: 16, MaxDepth: maxDepth,
		Topology: natsutil.Topology{},
		Fetcher: crawler.Config{
			AllowPrivate: true, HostDelay: time.Nanosecond, HostParallelism: parallelism,
		},
		Registry: prometheus.NewRegistry(),
		Log:      natstest.Discard(),
	})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := pipeline.Seed(ctx, js, names, []string{srv.URL + "/"}, nil, natstest.Discard()); err != nil {
		b.Fatal(err)
	}
	seeded := time.Now()
	if err := pipeline.WaitIdle(ctx, js, names, node.SinkConsumers, 10*time.Millisecond); err != nil {
		b.Fatal(err)
	}
	idle := time.Now()
	cancel()
	if err := node.Wait(); err != nil {
		b.Fatal(err)
	}
	*ph = phases{setup: seeded.Sub(start), crawl: idle.Sub(seeded), shutdown: time.Since(idle)}
	return int(counter(b, js, names))
}

// counter reads how many pages reached the parsers: the pages stream's last
// sequence (every published page got one).
func counter(b *testing.B, js jetstream.JetStream, names trawler.Names) uint64 {
	return natstest.StreamState(b, js, names.PagesStream()).LastSeq
}

func crawlColly(b *testing.B, srv *httptest.Server) int {
	c := colly.NewCollector(
		colly.Async(true),
		colly.MaxDepth(maxDepth+1), // colly counts the seed as depth 1
		colly.AllowedDomains("127.0.0.1"),
		colly.MaxBodySize(crawler.DefaultMaxBodySize),
	)
	c.IgnoreRobotsTxt = false
	if err := c.Limit(&colly.LimitRule{DomainGlob: "*", Parallelism: parallelism}); err != nil {
		b.Fatal(err)
	}
	var pages atomic.Int64
	c.OnResponse(func(r *colly.Response) {
		if ct := r.Headers.Get("Content-Type"); len(ct) >= 9 && ct[:9] == "text/html" {
			pages.Add(1)
		}
	})
	c.OnHTML("a[href]", func(e *colly.HTMLElement) {
		_ = e.Request.Visit(e.Attr("href"))
	})
	if err := c.Visit(srv.URL + "/"); err != nil {
		b.Fatal(err)
	}
	c.Wait()
	return int(pages.Load())
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s) == 0 {
		return 0
	}
	return s[len(s)/2]
}
