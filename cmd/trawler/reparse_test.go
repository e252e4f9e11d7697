package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/trawler/trawler/sink"
)

// The WARC round trip: a crawl archives every page it fetches; reparsing
// the archive, with nothing served any more, writes the same articles,
// field for field, but for the later time of their extraction.
func TestArchiveReparseRoundTrip(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end crawl")
	}
	site := &listingSite{n: 12, hits: map[string]int{}}
	srv := httptest.NewServer(site)
	crawled, reparsed, warcs := t.TempDir(), t.TempDir(), filepath.Join(t.TempDir(), "warc")
	ctx := context.Background()
	stderr, err := runCmd(t, ctx, "run", "--seed", srv.URL+"/", "--data", crawled, "--allow-private", "--host-delay", "0",
		"--exit-when-idle", "--metrics-addr", "", "--archive", "warc:"+warcs)
	if err != nil {
		t.Fatalf("run: %v\n%s", err, stderr)
	}
	srv.Close() // from here on, nothing is fetched
	fetched, _ := site.fetches()

	stderr, err = runCmd(t, ctx, "reparse", "--data", reparsed, "--metrics-addr", "", "warc:"+warcs)
	if err != nil {
		t.Fatalf("reparse: %v\n%s", err, stderr)
	}
	if !strings.Contains(stderr, fmt.Sprintf("reparsed %d pages", fetched)) {
		t.Errorf("reparse does not report the %d pages fetched:\n%s", fetched, stderr)
	}
	want := articlesByURL(t, filepath.Join(crawled, "articles.jsonl"))
	got := articlesByURL(t, filepath.Join(reparsed, "articles.jsonl"))
	if len(want) != site.n {
		t.Fatalf("the crawl wrote %d articles, want %d", len(want), site.n)
	}
	if len(got) != len(want) {
		t.Errorf("reparse wrote %d articles, the crawl %d", len(got), len(want))
	}
	for u, w := range want {
		if g, ok := got[u]; !ok || g.json != w.json || !g.extracted.After(w.extracted) {
			t.Errorf("%s:\n reparsed %s (extracted %v)\n crawled  %s (extracted %v)", u, g.json, g.extracted, w.json, w.extracted)
		}
	}
	entries, err := os.ReadDir(warcs)
	if err != nil || len(entries) == 0 {
		t.Fatalf("no WARC files in %s: %v", warcs, err)
	}
}

// extraction is an article as JSON, but for when it was extracted.
type extraction struct {
	json      string
	extracted time.Time
}

// articlesByURL reads a JSONL sink's articles, by URL.
func articlesByURL(t *testing.T, path string) map[string]extraction {
	t.Helper()
	arts, err := sink.ReadJSONL(path)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]extraction{}
	for _, a := range arts {
		at := a.ExtractedAt
		a.ExtractedAt = time.Time{}
		b, err := json.Marshal(a)
		if err != nil {
			t.Fatal(err)
		}
		out[a.URL] = extraction{string(b), at}
	}
	return out
}
