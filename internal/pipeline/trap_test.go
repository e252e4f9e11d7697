package pipeline

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/trawler/trawler"
	"github.com/trawler/trawler/crawler"
	"github.com/trawler/trawler/internal/frontier"
	"github.com/trawler/trawler/internal/natstest"
)

// A site with a trap of generated ids (each /trap/N-M page links two new
// ones, eight levels down) beside id-in-path articles that its home page
// and each other link: the crawl follows the trap only
// frontier.DefaultMaxTemplateRun links deep, the template run travelling
// from crawl request to page to link, and fetches every article.
func TestTrapChainThroughPipeline(t *testing.T) {
	const articles = 20
	var mu sync.Mutex
	fetched := map[string]bool{}
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		fetched[r.URL.Path] = true
		mu.Unlock()
		var links []string
		switch p := r.URL.Path; {
		case p == "/":
			links = append(links, "/trap/0-0")
			for i := range articles {
				links = append(links, fmt.Sprintf("/article/%d", 1000+i))
			}
		case strings.HasPrefix(p, "/article/"):
			var n int
			fmt.Sscanf(p, "/article/%d", &n)
			links = append(links, fmt.Sprintf("/article/%d", n+1), fmt.Sprintf("/article/%d", n+100))
		case strings.HasPrefix(p, "/trap/"):
			var n, m int
			fmt.Sscanf(p, "/trap/%d-%d", &n, &m)
			if n < 8 {
				links = append(links, fmt.Sprintf("/trap/%d-%d", n+1, 2*m), fmt.Sprintf("/trap/%d-%d", n+1, 2*m+1))
			}
		case p == "/robots.txt":
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, "<html><body>")
		for _, l := range links {
			fmt.Fprintf(w, `<a href="%s">%s</a> `, l, l)
		}
		fmt.Fprint(w, "</body></html>")
	}))
	defer site.Close()

	srv := natstest.Start(t)
	nc, js := srv.Connect(t)
	names := trawler.Names{NS: "trap"}
	ctx, cancel := context.WithCancel(context.Background())
	node, err := Start(ctx, nc, Config{
		Names: names, Crawl: true, Parse: true, Sinks: []string{"jsonl:" + filepath.Join(t.TempDir(), "a.jsonl")},
		MaxDepth: 16, MaxDeliver: 2,
		Fetcher:  crawler.Config{AllowPrivate: true, HostDelay: time.Millisecond, RequestTimeout: 2 * time.Second},
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
	if _, err := Seed(ctx, js, names, []string{site.URL + "/"}, nil, natstest.Discard()); err != nil {
		t.Fatal(err)
	}
	waitIdle(t, js, node, names)

	mu.Lock()
	defer mu.Unlock()
	trap := 0
	for p := range fetched {
		if strings.HasPrefix(p, "/trap/") {
			trap++
		}
	}
	// The way in, then 2, 4 and 8 pages a run of 1, 2 and 3 away; without
	// the rule, all 511.
	if want := 1 + 2 + 4 + 8; trap != want {
		t.Errorf("%d trap pages fetched, want %d", trap, want)
	}
	for i := range articles {
		if p := fmt.Sprintf("/article/%d", 1000+i); !fetched[p] {
			t.Errorf("article %s not fetched", p)
		}
		if p := fmt.Sprintf("/article/%d", 1100+i); !fetched[p] {
			t.Errorf("related article %s (linked from an article only) not fetched", p)
		}
	}
	if got := testutil.ToFloat64(node.Metrics.Links.WithLabelValues(frontier.TrapChain)); got == 0 {
		t.Error("no link counted as trap_chain")
	}
}
