package main

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/trawler/trawler/sink"
)

// listingSite serves a listing of n articles at "/" and counts requests.
type listingSite struct {
	n    int
	mu   sync.Mutex
	hits map[string]int
}

func (s *listingSite) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/robots.txt" {
		http.NotFound(w, r)
		return
	}
	s.mu.Lock()
	s.hits[r.URL.Path]++
	s.mu.Unlock()
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if r.URL.Path == "/" {
		fmt.Fprint(w, `<html lang="en"><head><title>Latest</title></head><body><h1>Latest news</h1><ul>`)
		for i := range s.n {
			fmt.Fprintf(w, `<li><a href="/story/%d">The full story number %d, with pictures</a></li>`, i, i)
		}
		fmt.Fprint(w, `</ul></body></html>`)
		return
	}
	_, _ = w.Write([]byte(strings.Replace(seedArticle, "Harbour reopens</h1>", "Harbour reopens "+r.URL.Path+"</h1>", 1)))
}

// fetches returns the requests so far, and whether any page was fetched twice.
func (s *listingSite) fetches() (n int, twice bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, c := range s.hits {
		n += c
		twice = twice || c > 1
	}
	return n, twice
}

// run --max-pages stops the crawl at the limit (a fetch already sent may
// finish), writes what
// it fetched, says how much is still queued and exits 0; the same command
// goes on from there, fetching nothing twice.
func TestRunMaxPages(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end crawl")
	}
	const total, limit = 40, 5
	site := &listingSite{n: total, hits: map[string]int{}}
	srv := httptest.NewServer(site)
	defer srv.Close()
	data := t.TempDir()
	// Two in flight: the limit stops the crawl at the page that reaches it,
	// and calls off the fetches still waiting; one already sent may finish.
	args := []string{"run", "--seed", srv.URL + "/", "--data", data, "--allow-private", "--host-delay", "100ms", "--concurrency", "2",
		"--max-pages", fmt.Sprint(limit), "--metrics-addr", ""}
	ctx := context.Background()

	stderr, err := runCmd(t, ctx, args...)
	if err != nil {
		t.Fatalf("run: %v\n%s", err, stderr)
	}
	first, twice := site.fetches()
	if first < limit || first > limit+2 || twice { // two in flight may have been sent when the limit was reached
		t.Fatalf("first run fetched %d pages (twice: %v), want %d and a few in flight", first, twice, limit)
	}
	if !strings.Contains(stderr, fmt.Sprintf("stopped: --max-pages %d reached;", limit)) || !strings.Contains(stderr, "requests still queued") {
		t.Errorf("run does not say why it stopped and what is left:\n%s", stderr)
	}
	arts, err := sink.ReadJSONL(filepath.Join(data, "articles.jsonl"))
	if err != nil || len(arts) != first-1 { // every story fetched is written; "/" is a listing
		t.Errorf("wrote %d articles (%v), want the %d stories fetched", len(arts), err, first-1)
	}

	stderr, err = runCmd(t, ctx, args...)
	if err != nil {
		t.Fatalf("second run: %v\n%s", err, stderr)
	}
	second, twice := site.fetches()
	if second-first < limit || twice {
		t.Errorf("second run fetched %d more pages (twice: %v), want at least %d new ones", second-first, twice, limit)
	}
}
