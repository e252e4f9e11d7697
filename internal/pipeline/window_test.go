package pipeline

import (
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/trawler/trawler"
	"github.com/trawler/trawler/crawler"
	"github.com/trawler/trawler/internal/natstest"
	"github.com/trawler/trawler/sink"
)

func TestWindowContains(t *testing.T) {
	since, _ := ParseWindowBound("2026-11-01", false)
	until, _ := ParseWindowBound("2026-11-30", true)
	w := Window{Since: since, Until: until}
	for published, want := range map[string]bool{
		"":                          true, // undated: written
		"2026-11-01T00:00:00Z":      true,
		"2026-10-31T23:59:59Z":      false,
		"2026-11-01T01:00:00+02:00": false, // 23:00 UTC the day before
		"2026-11-30T23:59:59Z":      true,
		"2026-12-01T00:00:00Z":      false,
		"not a time":                true,
	} {
		if got := w.Contains(published); got != want {
			t.Errorf("Contains(%q) = %v, want %v", published, got, want)
		}
	}
	if !(Window{}).Contains("1999-01-01T00:00:00Z") {
		t.Error("the zero window refuses an article")
	}
	if _, err := ParseWindowBound("11/01/2026", false); err == nil {
		t.Error("ParseWindowBound took a US date")
	}
}

// Articles published outside the window are not written, and counted; an
// old article's links are still followed, and an undated article is
// written.
func TestWindowFiltersArticles(t *testing.T) {
	published := map[string]string{"/old": "2026-10-01T10:00:00Z", "/new": "2026-11-05T10:00:00Z", "/undated": "", "/via-old": "2026-11-06T10:00:00Z"}
	links := map[string][]string{"/": {"/old", "/new", "/undated"}, "/old": {"/via-old"}}
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		date, ok := published[r.URL.Path]
		if !ok && r.URL.Path != "/" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		if r.URL.Path == "/" {
			writeSection(w, links["/"])
			return
		}
		writeStory(w, r.URL.Path, date, links[r.URL.Path]...)
	}))
	defer site.Close()

	srv := natstest.Start(t)
	nc, js := srv.Connect(t)
	names := trawler.Names{NS: "win"}
	out := filepath.Join(t.TempDir(), "articles.jsonl")
	since, _ := ParseWindowBound("2026-11-01", false)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	node, err := Start(ctx, nc, Config{
		Names: names, Crawl: true, Parse: true, Sinks: []string{"jsonl:" + out}, MaxDepth: 3,
		Window:   Window{Since: since},
		Fetcher:  crawler.Config{AllowPrivate: true, HostDelay: time.Millisecond, RequestTimeout: 5 * time.Second},
		Registry: prometheus.NewRegistry(), Log: natstest.Discard(),
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Seed(ctx, js, names, []string{site.URL + "/"}, nil, natstest.Discard()); err != nil {
		t.Fatal(err)
	}
	wctx, wcancel := context.WithTimeout(ctx, 30*time.Second)
	defer wcancel()
	if err := WaitIdle(wctx, js, names, node.SinkConsumers, 20*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	cancel()
	if err := node.Wait(); err != nil {
		t.Error(err)
	}
	arts, err := sink.ReadJSONL(out)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, a := range arts {
		got = append(got, strings.TrimPrefix(a.URL, site.URL))
	}
	slices.Sort(got)
	if want := []string{"/new", "/undated", "/via-old"}; !slices.Equal(got, want) {
		t.Errorf("written %v, want %v", got, want)
	}
	if n := testutil.ToFloat64(node.Metrics.Pages.WithLabelValues(PageOutOfWindow)); n != 1 {
		t.Errorf("out_of_window pages = %v, want 1", n)
	}
}
