package pipeline

import (
	"github.com/prometheus/client_golang/prometheus"
)

// Metrics are the per-stage counters and histograms. Labels are bounded: no
// URLs, no hosts.
type Metrics struct {
	Fetches        *prometheus.CounterVec   // by outcome and status class
	FetchSeconds   *prometheus.HistogramVec // by status class
	FetchedBytes   prometheus.Counter
	PageBytes      prometheus.Histogram
	PagesPublished prometheus.Counter

	PartitionsOwned prometheus.Gauge       // frontier partitions this process consumes
	LeaseEvents     *prometheus.CounterVec // partition leases acquired, released, lost

	ParseSeconds      prometheus.Histogram
	Pages             *prometheus.CounterVec // parsed pages by page type (article, hub, error)
	Links             *prometheus.CounterVec // links by fate
	ArticlesPublished prometheus.Counter
	Discovered        *prometheus.CounterVec // URLs found by discovery, by source (rss, atom, sitemap, sitemap_index, feed_link, robots_sitemap)
	Revisits          prometheus.Counter     // revisits of feeds and hubs enqueued by this process's scheduler

	SinkArticles     *prometheus.CounterVec // by sink kind and result
	SinkWriteSeconds *prometheus.HistogramVec
}

// Link fates, the label values of trawler_parse_links_total.
const (
	LinkDiscovered = "discovered"
	LinkEnqueued   = "enqueued"
	LinkDuplicate  = "duplicate"
	LinkOutOfScope = "out_of_scope"
	LinkTooDeep    = "depth_limit"
	LinkInvalid    = "invalid"
	LinkHostBudget = "host_budget"
	// and the frontier.Rule* and frontier.Trap* reasons.
)

// NewMetrics registers the stage metrics with reg.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		Fetches: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "trawler_crawl_fetches_total",
			Help: "Fetch attempts by outcome (ok, not_found, robots, not_html, too_large, blocked, timeout, …) and HTTP status class.",
		}, []string{"outcome", "status_class"}),
		FetchSeconds: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "trawler_crawl_fetch_seconds",
			Help:    "Fetch latency, including politeness waits, by HTTP status class.",
			Buckets: prometheus.ExponentialBuckets(0.005, 2.5, 12),
		}, []string{"status_class"}),
		FetchedBytes: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "trawler_crawl_fetched_bytes_total",
			Help: "Body bytes of pages passed on to the parsers.",
		}),
		PageBytes: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "trawler_crawl_page_bytes",
			Help:    "Body size of pages passed on to the parsers.",
			Buckets: prometheus.ExponentialBuckets(4096, 2, 12),
		}),
		PagesPublished: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "trawler_crawl_pages_published_total",
			Help: "Pages durably published to the pages stream.",
		}),
		PartitionsOwned: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "trawler_crawl_partitions_owned",
			Help: "Frontier partitions whose lease this crawler holds.",
		}),
		LeaseEvents: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "trawler_crawl_lease_events_total",
			Help: "Frontier partition leases by event: acquired, released (handed back), lost (not renewed in time).",
		}, []string{"event"}),
		ParseSeconds: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "trawler_parse_duration_seconds",
			Help:    "CPU-bound time to turn one page into an article and links.",
			Buckets: prometheus.ExponentialBuckets(0.001, 2, 12),
		}),
		Pages: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "trawler_parse_pages_total",
			Help: "Parsed pages by page type (article, hub, rss, atom, sitemap, sitemap_index) or error.",
		}, []string{"page_type"}),
		Links: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "trawler_parse_links_total",
			Help: "Links found by parsers, by fate: discovered, enqueued, duplicate, out_of_scope, depth_limit, invalid, host_budget, excluded, not_included, trap_calendar, trap_session, trap_query, trap_path.",
		}, []string{"result"}),
		ArticlesPublished: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "trawler_parse_articles_published_total",
			Help: "Articles durably published to the articles stream.",
		}),
		Discovered: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "trawler_parse_discovered_urls_total",
			Help: "URLs found by discovery, by source: rss, atom, sitemap, sitemap_index, feed_link, robots_sitemap.",
		}, []string{"source"}),
		Revisits: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "trawler_schedule_revisits_total",
			Help: "Revisits of feeds and hubs enqueued by this process's scheduler.",
		}),
		SinkArticles: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "trawler_sink_articles_total",
			Help: "Articles handled by sinks, by sink kind and result (written, invalid, failed).",
		}, []string{"sink", "result"}),
		SinkWriteSeconds: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "trawler_sink_write_seconds",
			Help:    "Time to durably write one batch, by sink kind.",
			Buckets: prometheus.ExponentialBuckets(0.0005, 2.5, 12),
		}, []string{"sink"}),
	}
	for _, ev := range []string{"acquired", "released", "lost"} {
		m.LeaseEvents.WithLabelValues(ev)
	}
	reg.MustRegister(m.Fetches, m.FetchSeconds, m.FetchedBytes, m.PageBytes, m.PagesPublished,
		m.PartitionsOwned, m.LeaseEvents,
		m.ParseSeconds, m.Pages, m.Links, m.ArticlesPublished, m.Discovered, m.Revisits, m.SinkArticles, m.SinkWriteSeconds)
	return m
}

func statusClass(status int) string {
	switch {
	case status >= 100 && status < 600:
		return string(rune('0'+status/100)) + "xx"
	default:
		return "none"
	}
}
