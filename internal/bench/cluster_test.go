package bench

import (
	"context"
	"fmt"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"

	"github.com/trawler/trawler"
	"github.com/trawler/trawler/crawler"
	"github.com/trawler/trawler/internal/natstest"
	"github.com/trawler/trawler/internal/natsutil"
	"github.com/trawler/trawler/internal/pipeline"
	"github.com/trawler/trawler/internal/sitetest"
)

// The per-host budget of the cluster benchmark: 50 request starts a second
// at most, two in flight.
const (
	clusterDelay    = 20 * time.Millisecond
	clusterParallel = 2
	clusterWorkers  = 4
	manyHosts       = 8
)

// BenchmarkCrawlCluster crawls with four crawler workers (each a Node on its
// own NATS connection, plus one parse-and-sink Node) the fixture site served
// by one host, then by eight hosts, with the same per-host budget. On one
// host the budget is the limit, however many workers: one-host/budget
// reports how close the cluster comes to it (never above 1). On eight hosts
// the partitions spread the hosts over the workers: many/one reports the
// speed-up.
func BenchmarkCrawlCluster(b *testing.B) {
	var one, many []float64
	for i := 0; i < b.N; i++ {
		one = append(one, crawlCluster(b, 1))
		many = append(many, crawlCluster(b, manyHosts))
	}
	budget := float64(time.Second / clusterDelay)
	b.ReportMetric(median(one), "one-host-req/s")
	b.ReportMetric(median(one)/budget, "one-host/budget")
	b.ReportMetric(median(many), "many-hosts-req/s")
	b.ReportMetric(median(many)/median(one), "many/one")
}

// crawlCluster crawls hosts copies of the fixture site and returns the
// requests per second they received, from seeding to idle.
func crawlCluster(b *testing.B, hosts int) float64 {
	b.Helper()
	var sites []*sitetest.Site
	var seeds []string
	for range hosts {
		site := sitetest.New()
		site.SlowDelay = 0
		srv := httptest.NewServer(site)
		b.Cleanup(srv.Close)
		sites = append(sites, site)
		seeds = append(seeds, srv.URL+"/")
	}
	ns := natstest.Start(b)
	names := trawler.Names{NS: "cluster"}
	topo := natsutil.Topology{LeaseTTL: 3 * time.Second}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var nodes []*pipeline.Node
	start := func(cfg pipeline.Config) *pipeline.Node {
		nc, _ := ns.Connect(b)
		cfg.Names, cfg.Topology, cfg.Registry, cfg.Log = names, topo, prometheus.NewRegistry(), natstest.Discard()
		cfg.NoRevisit = true
		n, err := pipeline.Start(ctx, nc, cfg)
		if err != nil {
			b.Fatal(err)
		}
		nodes = append(nodes, n)
		return n
	}
	for i := range clusterWorkers {
		start(pipeline.Config{Crawl: true, CrawlConcurrency: 16, CrawlerID: fmt.Sprint("c", i),
			Fetcher: crawler.Config{AllowPrivate: true, HostDelay: clusterDelay, HostParallelism: clusterParallel}})
	}
	rest := start(pipeline.Config{Parse: true, MaxDepth: maxDepth,
		Sinks: []string{"jsonl:" + filepath.Join(b.TempDir(), "articles.jsonl")}})
	defer func() {
		cancel()
		for _, n := range nodes {
			_ = n.Wait()
		}
	}()
	// Every worker holds its share of the partitions before the clock starts.
	for deadline := time.Now().Add(20 * time.Second); ; {
		owned := 0
		for _, n := range nodes[:clusterWorkers] {
			if v := gauge(n.Metrics.PartitionsOwned); v > 0 {
				owned++
			}
		}
		if owned == clusterWorkers {
			break
		}
		if time.Now().After(deadline) {
			b.Fatal("partitions not shared among the workers")
		}
		time.Sleep(20 * time.Millisecond)
	}
	_, js := ns.Connect(b)
	t0 := time.Now()
	if _, err := pipeline.Seed(ctx, js, names, seeds, nil, natstest.Discard()); err != nil {
		b.Fatal(err)
	}
	if err := pipeline.WaitIdle(ctx, js, names, rest.SinkConsumers, 20*time.Millisecond); err != nil {
		b.Fatal(err)
	}
	d := time.Since(t0)
	total := 0
	for _, s := range sites {
		total += s.TotalHits()
	}
	return float64(total) / d.Seconds()
}

func gauge(g prometheus.Gauge) float64 {
	var m dto.Metric
	if err := g.Write(&m); err != nil {
		return 0
	}
	return m.GetGauge().GetValue()
}
