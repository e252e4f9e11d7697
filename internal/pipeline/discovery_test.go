package pipeline

import (
	"context"
	"fmt"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/trawler/trawler"
	"github.com/trawler/trawler/crawler"
	"github.com/trawler/trawler/internal/frontier"
	"github.com/trawler/trawler/internal/natstest"
	"github.com/trawler/trawler/internal/testkit"
	"github.com/trawler/trawler/sink"
)

// newsSite publishes the way news sites do: robots.txt points at a sitemap
// index, the index at a Google News sitemap, the front page's head at an RSS
// feed. Feeds and sitemaps answer conditional requests. Publish adds an
// item to the feed.
type newsSite struct {
	base string

	mu    sync.Mutex
	hits  map[string]int
	items []string // feed items (paths)
	ver   atomic.Int32
}

func (s *newsSite) publish(path string) {
	s.mu.Lock()
	s.items = append(s.items, path)
	s.mu.Unlock()
	s.ver.Add(1)
}

func (s *newsSite) hit(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hits[path]
}

func articleHTML(title string) string {
	return `<html lang="en"><head><title>` + title + ` | Herald</title><meta property="og:type" content="article"></head><body><article><h1>` + title + `</h1>` +
		`<p>This is a perfectly good article with enough words in it to count as one, about the harbour and its ferries and the people who use them every day.</p>` +
		`<p>A second paragraph makes the story longer, with more detail about timetables, fares and the repairs to the old breakwater that took the whole spring.</p>` +
		`<p>A third paragraph quotes the harbour master, who said the work was finished on time and under budget, which nobody in the town had expected.</p></article></body></html>`
}

func (s *newsSite) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.hits[r.URL.Path]++
	items := append([]string(nil), s.items...)
	s.mu.Unlock()
	conditional := func(etag string) bool {
		w.Header().Set("ETag", etag)
		if r.Header.Get("If-None-Match") == etag {
			w.WriteHeader(http.StatusNotModified)
			return true
		}
		return false
	}
	switch p := r.URL.Path; {
	case p == "/robots.txt":
		fmt.Fprintf(w, "User-agent: *\nDisallow: /private/\nSitemap: %s/sitemap-index.xml\n", s.base)
	case p == "/":
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, `<html><head><title>Herald</title><link rel="alternate" type="application/rss+xml" href="/rss.xml"></head><body><h1>Herald</h1><ul><li><a href="/about.html">About</a></li></ul></body></html>`)
	case p == "/sitemap-index.xml":
		if conditional(`"index-1"`) {
			return
		}
		w.Header().Set("Content-Type", "application/xml")
		fmt.Fprintf(w, `<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap><loc>%s/sitemap-news.xml</loc></sitemap></sitemapindex>`, s.base)
	case p == "/sitemap-news.xml":
		if conditional(`"news-1"`) {
			return
		}
		w.Header().Set("Content-Type", "application/xml")
		fmt.Fprintf(w, `<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">`+
			`<url><loc>%[1]s/a1.html</loc><news:news><news:publication_date>2024-09-12T10:00:00Z</news:publication_date><news:title>One</news:title></news:news></url>`+
			`<url><loc>%[1]s/a2.html</loc><news:news><news:publication_date>2024-09-12T11:00:00Z</news:publication_date><news:title>Two</news:title></news:news></url></urlset>`, s.base)
	case p == "/rss.xml":
		if conditional(fmt.Sprintf(`"rss-%d"`, s.ver.Load())) {
			return
		}
		w.Header().Set("Content-Type", "application/rss+xml")
		var b strings.Builder
		b.WriteString(`<?xml version="1.0"?><rss version="2.0"><channel><title>Herald</title>`)
		for _, it := range items {
			fmt.Fprintf(&b, `<item><title>%s</title><link>%s%s</link></item>`, it, s.base, it)
		}
		b.WriteString(`</channel></rss>`)
		fmt.Fprint(w, b.String())
	case strings.HasPrefix(p, "/a") && strings.HasSuffix(p, ".html"):
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, articleHTML("Story "+strings.TrimSuffix(strings.TrimPrefix(p, "/"), ".html")))
	default:
		http.NotFound(w, r)
	}
}

// From a site root alone, trawler finds the articles of its sitemaps
// (through robots.txt and a sitemap index) and of its feed (through the
// front page's head); it revisits the feed and follows an article published
// later, while unchanged sitemaps answer 304; every article is fetched once.
func TestDiscoveryAndRevisits(t *testing.T) {
	if testing.Short() {
		t.Skip("discovery and revisits")
	}
	site := &newsSite{hits: map[string]int{}}
	site.publish("/a3.html")
	srv := httptestServer(t, site)
	site.base = srv.URL

	ns := natstest.Start(t)
	nc, js := ns.Connect(t)
	names := trawler.Names{NS: "disc"}
	out := filepath.Join(t.TempDir(), "articles.jsonl")
	ctx, cancel := context.WithCancel(context.Background())
	node, err := Start(ctx, nc, Config{
		Names: names, Crawl: true, Parse: true, Sinks: []string{"jsonl:" + out}, MaxDepth: 3,
		Fetcher:  crawler.Config{AllowPrivate: true, HostDelay: time.Millisecond, RequestTimeout: 2 * time.Second},
		Revisit:  frontier.RevisitConfig{Min: 300 * time.Millisecond, Max: time.Second, Initial: 300 * time.Millisecond, Tick: 50 * time.Millisecond},
		Registry: prometheus.NewRegistry(), Log: natstest.Discard(),
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cancel()
		if err := node.Wait(); err != nil {
			t.Errorf("node: %v", err)
		}
	})
	if _, err := Seed(ctx, js, names, []string{srv.URL + "/"}, nil, natstest.Discard()); err != nil {
		t.Fatal(err)
	}
	articles := func() map[string]int {
		arts, err := sink.ReadJSONL(out)
		if err != nil {
			return nil
		}
		got := map[string]int{}
		for _, a := range arts {
			got[strings.TrimPrefix(a.Key(), srv.URL)]++
		}
		return got
	}
	has := func(paths ...string) func() bool {
		return func() bool {
			got := articles()
			for _, p := range paths {
				if got[p] == 0 {
					return false
				}
			}
			return true
		}
	}
	testkit.WaitFor(t, 15*time.Second, "a1, a2 and a3 fetched", has("/a1.html", "/a2.html", "/a3.html"))
	site.publish("/a4.html")
	testkit.WaitFor(t, 15*time.Second, "the new a4 fetched", has("/a4.html"))
	// Let a few more revisits happen: they must not refetch articles.
	testkit.WaitFor(t, 15*time.Second, "three revisits answered 304", func() bool {
		return testutil.ToFloat64(node.Metrics.Fetches.WithLabelValues("not_modified", "3xx")) >= 3
	})

	for _, p := range []string{"/a1.html", "/a2.html", "/a3.html", "/a4.html"} {
		if n := site.hit(p); n != 1 {
			t.Errorf("%s fetched %d times, want once", p, n)
		}
	}
	for p, n := range articles() {
		if n != 1 {
			t.Errorf("article %s written %d times", p, n)
		}
	}
	if n := site.hit("/rss.xml"); n < 2 {
		t.Errorf("feed fetched %d times, want revisits", n)
	}
	for _, source := range []string{"robots_sitemap", "feed_link", "sitemap_index", "sitemap", "rss"} {
		if testutil.ToFloat64(node.Metrics.Discovered.WithLabelValues(source)) == 0 {
			t.Errorf("nothing discovered from %s", source)
		}
	}
	if testutil.ToFloat64(node.Metrics.Revisits) == 0 {
		t.Error("no revisit counted")
	}
}
