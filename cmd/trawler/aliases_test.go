package main

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/trawler/trawler/sink"
)

// aliasSite serves one story under several addresses (pagination variants
// with the same bytes, an AMP copy naming the story as canonical, links
// with tracking and session parameters), and a second story. It counts requests by path and query.
type aliasSite struct {
	mu   sync.Mutex
	hits map[string]int
}

func (s *aliasSite) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.hits[r.URL.RequestURI()]++
	s.mu.Unlock()
	para := strings.Repeat("The harbour master said on Tuesday that the breakwater works had been finished on time and under budget. ", 4)
	story := func(title, head, body string) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!doctype html><html><head><title>%s</title>%s
<meta property="og:type" content="article"><meta property="article:published_time" content="2024-08-01T10:00:00Z"></head>
<body><article><h1>%s</h1>%s</article></body></html>`, title, head, title, body)
	}
	switch r.URL.Path {
	case "/":
		fmt.Fprint(w, `<html><body><h1>News</h1><ul><li><a href="/news/1">Harbour works finished</a></li></ul></body></html>`)
	case "/news/1":
		// Its own pagination and print links, and a link with tracking.
		story("Harbour works finished", "", strings.Repeat("<p>"+para+"</p>", 4)+
			`<nav><a href="/news/1?p=2">2</a> <a href="/news/1?p=3">3</a></nav>
<aside class="related"><h3>Related</h3><ul><li><a href="/amp/1">Fast</a></li>
<li><a href="/news/2?utm_source=x&amp;fbclid=y&amp;PHPSESSID=0a1b2c">Ferries</a></li></ul></aside>`)
	case "/amp/1":
		story("Harbour works finished", `<link rel="canonical" href="/news/1">`, "<p>"+para+"</p>")
	case "/news/2":
		var body strings.Builder
		for i := range 6 {
			fmt.Fprintf(&body, "<p>Ferry fares rise by a tenth from September %d, the operator said, citing fuel costs, crew wages and the %d new boats.</p>", i+1, i+2)
		}
		story("Ferry fares rise", "", body.String())
	default:
		http.NotFound(w, r)
	}
}

func (s *aliasSite) requested() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for u := range s.hits {
		out = append(out, u)
	}
	slices.Sort(out)
	return out
}

// One story reached under five addresses is written once, with the others
// as aliases; a link with tracking parameters is fetched without them.
func TestRunWritesEachArticleOnce(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end crawl")
	}
	site := &aliasSite{hits: map[string]int{}}
	srv := httptest.NewServer(site)
	defer srv.Close()
	data := t.TempDir()
	args := append([]string{"run", "--seed", srv.URL + "/", "--data", data, "--exit-when-idle"}, crawlFlags()...)
	if stderr, err := runCmd(t, context.Background(), args...); err != nil {
		t.Fatalf("run: %v\n%s", err, stderr)
	}
	arts, err := sink.ReadJSONL(filepath.Join(data, "articles.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	byURL := map[string][]string{}
	for _, a := range arts {
		if _, dup := byURL[a.Key()]; dup {
			t.Errorf("%s written twice", a.Key())
		}
		byURL[a.Key()] = slices.Sorted(slices.Values(a.Aliases))
	}
	want := map[string][]string{
		srv.URL + "/news/1": {srv.URL + "/amp/1", srv.URL + "/news/1?p=2", srv.URL + "/news/1?p=3"},
		srv.URL + "/news/2": nil,
	}
	for key, aliases := range want {
		got, ok := byURL[key]
		if !ok {
			t.Errorf("%s not written", key)
			continue
		}
		if !slices.Equal(got, aliases) {
			t.Errorf("aliases of %s = %q, want %q", key, got, aliases)
		}
	}
	if len(byURL) != len(want) {
		t.Errorf("wrote %d articles, want %d: %v", len(byURL), len(want), byURL)
	}
	for _, u := range site.requested() {
		if strings.Contains(u, "utm_") || strings.Contains(u, "fbclid") || strings.Contains(u, "PHPSESSID") {
			t.Errorf("requested %s, with tracking parameters", u)
		}
	}
}
