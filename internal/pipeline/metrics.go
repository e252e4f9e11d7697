package pipeline

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/trawler/trawler"
	"github.com/trawler/trawler/internal/frontier"
)

// Metrics are the per-stage counters and histograms. Labels are bounded: no
// URLs, no hosts.
type Metrics struct {
	Fetches        *prometheus.CounterVec   // attempts, by outcome and status class
	Requests       *prometheus.CounterVec   // requests settled (one per URL visit), by final outcome and status class
	FetchSeconds   *prometheus.HistogramVec // by status class
	FetchedBytes   prometheus.Counter
	PageBytes      prometheus.Histogram
	PagesPublished prometheus.Counter
	Deferred       *prometheus.CounterVec // requests deferred because their host asked to wait, by reason
	// PagesBacklog is the pages stream's size as this crawler last read
	// it, and BackpressureSeconds the time it held back for it.
	PagesBacklog        prometheus.Gauge
	BackpressureSeconds prometheus.Counter

	PartitionsOwned prometheus.Gauge       // frontier partitions this process consumes
	LeaseEvents     *prometheus.CounterVec // partition leases acquired, released, lost

	ParseSeconds      prometheus.Histogram
	Pages             *prometheus.CounterVec // parsed pages by page type (article, hub, rss…), PageError or PageTooLarge
	Links             *prometheus.CounterVec // links by fate
	ArticlesPublished prometheus.Counter
	Aliases           *prometheus.CounterVec // article pages found to be another address of a written article, by reason
	Discovered        *prometheus.CounterVec // URLs found by discovery, by source (rss, atom, sitemap, sitemap_index, feed_link, robots_sitemap)
	Revisits          prometheus.Counter     // revisits of feeds and hubs enqueued by this process's scheduler
	Fields            *prometheus.CounterVec // published articles by site group, field and state (see ArticleFields)

	SinkArticles     *prometheus.CounterVec // by sink (its consumer's name, see SinkName) and result
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
	// LinkFrontierFull is a link dropped while the frontier held its cap
	// of queued requests (Config.MaxQueued).
	LinkFrontierFull = "frontier_full"
	// and the frontier.Rule* and frontier.Trap* reasons.
)

// Label values of trawler_parse_pages_total other than page types: a page
// that could not be parsed, and one refused whole for its size (over the
// parse stage's limit, --max-body-size).
const (
	PageError    = "error"
	PageTooLarge = "too_large"
	// PageOverBudget is a page over the parse budget (parser.ErrOverBudget):
	// too many nodes, block elements or links, or past its deadline.
	PageOverBudget = "over_budget"
	// PageOutOfWindow is an article published outside Config.Window: not
	// written, its links followed.
	PageOutOfWindow = "out_of_window"
)

// NewMetrics registers the stage metrics with reg.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		Fetches: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "trawler_crawl_fetches_total",
			Help: "Fetch attempts by outcome (ok, not_found, robots, not_html, too_large, blocked, blocked_port, timeout, …) and HTTP status class.",
		}, []string{"outcome", "status_class"}),
		Requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "trawler_crawl_requests_total",
			Help: "Crawl requests settled, once each however many attempts it took (revisits not counted), by final outcome and HTTP status class of the last attempt.",
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
		Deferred: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "trawler_crawl_deferred_total",
			Help: "Crawl requests put off, without counting as a failed delivery, because their host asked to wait, by reason: robots_unavailable, host_paused, rate_limited.",
		}, []string{"reason"}),
		PagesBacklog: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "trawler_crawl_pages_backlog",
			Help: "Pages fetched and not yet parsed (the pages stream's size), as this crawler last read it.",
		}),
		BackpressureSeconds: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "trawler_crawl_backpressure_seconds_total",
			Help: "Time this crawler spent held back because the pages backlog was over --max-pages-backlog.",
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
			Help: "Parsed pages by page type (article, hub, other, rss, atom, sitemap, sitemap_index), out_of_window (an article published outside --since/--until, not written), error, too_large (over the size limit, refused whole) or over_budget (over the parse budget: nodes, block elements, links, deadline).",
		}, []string{"page_type"}),
		Links: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "trawler_parse_links_total",
			Help: "Links found by parsers, by fate: discovered, enqueued, duplicate, out_of_scope, depth_limit, invalid, host_budget, frontier_full, excluded, not_included, trap_calendar, trap_session, trap_query, trap_path, trap_chain.",
		}, []string{"result"}),
		ArticlesPublished: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "trawler_parse_articles_published_total",
			Help: "Articles durably published to the articles stream.",
		}),
		Aliases: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "trawler_parse_aliases_total",
			Help: "Article pages recorded as another address of an article already written, by reason: canonical (its canonical URL), content (the same body on the same site).",
		}, []string{"reason"}),
		Discovered: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "trawler_parse_discovered_urls_total",
			Help: "URLs found by discovery, by source: rss, atom, sitemap, sitemap_index, feed_link, robots_sitemap.",
		}, []string{"source"}),
		Revisits: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "trawler_schedule_revisits_total",
			Help: "Revisits of feeds and hubs enqueued by this process's scheduler.",
		}),
		Fields: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "trawler_parse_fields_total",
			Help: "Published articles by site group (--site-group, else other), extracted field (title, published, author, body, image) and state (filled, empty).",
		}, []string{"site_group", "field", "state"}),
		SinkArticles: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "trawler_sink_articles_total",
			Help: "Articles handled by sinks, by sink (its consumer's name: sink_<kind>_<name> or sink_<kind>_<hash of the spec without its secrets>) and result (written, invalid, failed).",
		}, []string{"sink", "result"}),
		SinkWriteSeconds: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "trawler_sink_write_seconds",
			Help:    "Time to durably write one batch, by sink (its consumer's name).",
			Buckets: prometheus.ExponentialBuckets(0.0005, 2.5, 12),
		}, []string{"sink"}),
	}
	for _, ev := range []string{"acquired", "released", "lost"} {
		m.LeaseEvents.WithLabelValues(ev)
	}
	for _, r := range []string{DeferRobotsUnavailable, DeferHostPaused, DeferRateLimited} {
		m.Deferred.WithLabelValues(r)
	}
	for _, r := range []string{frontier.AliasCanonical, frontier.AliasContent} {
		m.Aliases.WithLabelValues(r)
	}
	reg.MustRegister(m.Fetches, m.Requests, m.FetchSeconds, m.FetchedBytes, m.PageBytes, m.PagesPublished, m.Deferred, m.PagesBacklog, m.BackpressureSeconds,
		m.PartitionsOwned, m.LeaseEvents,
		m.ParseSeconds, m.Pages, m.Links, m.ArticlesPublished, m.Aliases, m.Discovered, m.Revisits, m.Fields, m.SinkArticles, m.SinkWriteSeconds)
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

// Field states, the state label values of trawler_parse_fields_total.
const (
	FieldFilled = "filled"
	FieldEmpty  = "empty"
)

// articleFields are the fields whose fill rate trawler_parse_fields_total
// follows: the ones a site redesign silently empties.
var articleFields = []struct {
	name   string
	filled func(*trawler.Article) bool
}{
	{"title", func(a *trawler.Article) bool { return a.Title != "" }},
	{"published", func(a *trawler.Article) bool { return a.Published != "" }},
	{"author", func(a *trawler.Article) bool { return len(a.Authors) > 0 }},
	{"body", func(a *trawler.Article) bool { return a.Body != "" }},
	{"image", func(a *trawler.Article) bool { return a.Image != "" }},
}

// StartFields creates the fields series of every site group at zero, so
// that a parser's first articles are an increase rate() can see.
func (m *Metrics) StartFields(groups SiteGroups) {
	for _, g := range groups.Groups() {
		for _, f := range articleFields {
			m.Fields.WithLabelValues(g, f.name, FieldFilled)
			m.Fields.WithLabelValues(g, f.name, FieldEmpty)
		}
	}
}

// ArticleFields counts which fields of an article of site group are filled.
func (m *Metrics) ArticleFields(group string, a *trawler.Article) {
	for _, f := range articleFields {
		state := FieldEmpty
		if f.filled(a) {
			state = FieldFilled
		}
		m.Fields.WithLabelValues(group, f.name, state).Inc()
	}
}

// OtherSiteGroup is the site group of hosts no --site-group rule matches.
const OtherSiteGroup = "other"

// SiteGroups maps hosts to the site groups that label
// trawler_parse_fields_total: a bounded set the operator chooses, so fill
// rates can be followed per kind of site without a series per host. The
// zero value puts every host in OtherSiteGroup.
type SiteGroups struct {
	rules []siteGroupRule // longest domain first
}

type siteGroupRule struct{ domain, group string }

// ParseSiteGroups parses DOMAIN=GROUP rules. A rule matches DOMAIN and its
// subdomains; when several match a host, the longest DOMAIN wins, so
// news.example.com=a beats example.com=b on news.example.com.
func ParseSiteGroups(specs []string) (SiteGroups, error) {
	var g SiteGroups
	for _, spec := range specs {
		domain, group, ok := strings.Cut(spec, "=")
		domain = strings.TrimSuffix(strings.ToLower(strings.TrimSpace(domain)), ".")
		group = strings.TrimSpace(group)
		switch {
		case !ok || domain == "" || group == "":
			return SiteGroups{}, fmt.Errorf("site group %q: want DOMAIN=GROUP", spec)
		case strings.ContainsAny(domain, "/:@*? "):
			return SiteGroups{}, fmt.Errorf("site group %q: DOMAIN is a host name such as example.com, not a URL or pattern", spec)
		case !validGroup(group):
			return SiteGroups{}, fmt.Errorf("site group %q: GROUP must be letters, digits, '_', '-' or '.'", spec)
		}
		if i := slices.IndexFunc(g.rules, func(r siteGroupRule) bool { return r.domain == domain }); i >= 0 {
			if g.rules[i].group != group {
				return SiteGroups{}, fmt.Errorf("site group %q: %s is already in group %s", spec, domain, g.rules[i].group)
			}
			continue
		}
		g.rules = append(g.rules, siteGroupRule{domain, group})
	}
	slices.SortFunc(g.rules, func(a, b siteGroupRule) int {
		return cmp.Or(cmp.Compare(len(b.domain), len(a.domain)), strings.Compare(a.domain, b.domain))
	})
	return g, nil
}

func validGroup(s string) bool {
	return len(s) <= 64 && strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-' || r == '.')
	}) < 0
}

// Group returns the site group of host, a host name without a port.
func (g SiteGroups) Group(host string) string {
	host = strings.TrimSuffix(strings.ToLower(host), ".")
	for _, r := range g.rules {
		if host == r.domain || strings.HasSuffix(host, "."+r.domain) {
			return r.group
		}
	}
	return OtherSiteGroup
}

// Groups returns every group a host can be put in, OtherSiteGroup
// included, sorted.
func (g SiteGroups) Groups() []string {
	out := []string{OtherSiteGroup}
	for _, r := range g.rules {
		out = append(out, r.group)
	}
	slices.Sort(out)
	return slices.Compact(out)
}
