package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/trawler/trawler"
	"github.com/trawler/trawler/internal/natstest"
	"github.com/trawler/trawler/internal/pipeline"
	"github.com/trawler/trawler/sink"
)

const seedArticle = `<!doctype html><html lang="en"><head><title>Harbour reopens | Example News</title>
<meta property="og:type" content="article"></head><body><article><h1>Harbour reopens</h1>
<p>The harbour reopened on Thursday after repairs to the breakwater that took most of the spring, officials said, and ferries resumed their normal timetable.</p>
<p>Fishing crews, who had moored at the neighbouring port since March, began returning on Friday morning and unloaded the first catch at the old quay.</p>
<p>The works cost less than the council had budgeted, according to the harbour master, who thanked residents for their patience during the closure.</p>
</article></body></html>`

// flakySite serves one article that answers 404 to its first failFirst
// requests, and counts the requests.
type flakySite struct {
	failFirst int

	mu   sync.Mutex
	hits int
}

func (s *flakySite) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/story" {
		http.NotFound(w, r)
		return
	}
	s.mu.Lock()
	s.hits++
	fail := s.hits <= s.failFirst
	s.mu.Unlock()
	if fail {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_, _ = w.Write([]byte(seedArticle))
}

func (s *flakySite) Hits() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hits
}

// A seed whose last attempt failed is fetched again by the next run on the
// same data; one that succeeded is not.
func TestRunRetriesFailedSeeds(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end crawl")
	}
	tests := []struct {
		name      string
		failFirst int      // 404s before the page is served
		first     []string // flags of the first run, beside the common ones
		wantHits  int      // requests to the seed after the first run
	}{
		{name: "not found", failFirst: 1, first: []string{"--allow-private"}, wantHits: 1},
		// Without --allow-private the request is refused before it is sent.
		{name: "blocked address", first: nil, wantHits: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			site := &flakySite{failFirst: tt.failFirst}
			srv := httptest.NewServer(site)
			defer srv.Close()
			data := t.TempDir()
			out := filepath.Join(data, "articles.jsonl")
			common := []string{"run", "--seed", srv.URL + "/story", "--data", data, "--exit-when-idle",
				"--host-delay", "0", "--request-timeout", "5s", "--metrics-addr", ""}
			ctx := context.Background()

			// Its only seed failed: nothing could be fetched (exit 1).
			stderr, err := runCmd(t, ctx, append(common, tt.first...)...)
			if exitCode(err) != exitFailed {
				t.Fatalf("first run: %v (exit %d), want exit 1\n%s", err, exitCode(err), stderr)
			}
			if got := site.Hits(); got != tt.wantHits {
				t.Fatalf("first run made %d requests, want %d\n%s", got, tt.wantHits, stderr)
			}
			if arts, _ := sink.ReadJSONL(out); len(arts) != 0 {
				t.Fatalf("first run wrote %d articles, want none", len(arts))
			}

			stderr, err = runCmd(t, ctx, append(common, "--allow-private")...)
			if err != nil {
				t.Fatalf("second run: %v\n%s", err, stderr)
			}
			if got := site.Hits(); got != tt.wantHits+1 {
				t.Errorf("second run made %d requests, want 1: a failed seed is retried\n%s", got-tt.wantHits, stderr)
			}
			if !strings.Contains(stderr, "retry=true") {
				t.Errorf("second run does not say the seed is retried:\n%s", stderr)
			}
			if arts, _ := sink.ReadJSONL(out); len(arts) != 1 || arts[0].Title != "Harbour reopens" {
				t.Errorf("second run wrote %d articles, want the seed's", len(arts))
			}

			// Fetched now: a third run resumes without fetching it again.
			before := site.Hits()
			stderr, err = runCmd(t, ctx, append(common, "--allow-private")...)
			if err != nil {
				t.Fatalf("third run: %v\n%s", err, stderr)
			}
			if got := site.Hits(); got != before {
				t.Errorf("third run fetched the fetched seed again (%d requests)\n%s", got-before, stderr)
			}
			if !strings.Contains(stderr, "new=false retry=false last=fetched") {
				t.Errorf("third run does not say the seed was fetched:\n%s", stderr)
			}
		})
	}
}

// trawler seed enqueues a seed that was fetched only with --force, and a
// forced refetch of a changed page reaches the sink; trawler forget makes
// it a new seed again.
func TestSeedForce(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end crawl")
	}
	site := &flakySite{}
	srv := httptest.NewServer(site)
	defer srv.Close()
	nats := natstest.Start(t)
	const ns = "force"
	common := []string{"--nats", nats.URL, "--namespace", ns, "--metrics-addr", ""}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	workers := []stageProc{
		{"crawl", append(append([]string{"crawl"}, common...), crawlFlags()...)},
		{"parse", append([]string{"parse"}, common...)},
	}
	logs, wait := startWorkers(t, ctx, workers)
	defer wait()
	defer cancel()
	_, js := nats.Connect(t)
	idle := func(step string) {
		t.Helper()
		ictx, icancel := context.WithTimeout(ctx, time.Minute)
		defer icancel()
		if err := pipeline.WaitIdle(ictx, js, trawler.Names{NS: ns}, nil, 50*time.Millisecond); err != nil {
			for i, w := range workers {
				t.Logf("%s:\n%s", w.name, logs[i].String())
			}
			t.Fatalf("%s: not idle: %v", step, err)
		}
	}
	seed := func(args ...string) string {
		t.Helper()
		args = append([]string{"seed", "--nats", nats.URL, "--namespace", ns}, args...)
		stderr, err := runCmd(t, ctx, append(args, srv.URL+"/story")...)
		if err != nil {
			t.Fatalf("%q: %v\n%s", args, err, stderr)
		}
		return stderr
	}

	seed()
	idle("first seed")
	if got := site.Hits(); got != 1 {
		t.Fatalf("seed: %d requests, want 1", got)
	}
	if stderr := seed(); !strings.Contains(stderr, "0 of 1 seeds enqueued") {
		t.Errorf("a fetched seed is enqueued again:\n%s", stderr)
	}
	idle("second seed")
	if got := site.Hits(); got != 1 {
		t.Errorf("a fetched seed was fetched again without --force (%d requests)", got)
	}
	if stderr := seed("--force"); !strings.Contains(stderr, "1 of 1 seeds enqueued") {
		t.Errorf("--force did not enqueue the seed:\n%s", stderr)
	}
	idle("forced seed")
	if got := site.Hits(); got != 2 {
		t.Errorf("seed --force: %d requests in all, want 2", got)
	}
	// The refetched page was published, not dropped by the pages stream as
	// a duplicate of the first fetch's page.
	if st := natstest.StreamState(t, js, trawler.Names{NS: ns}.PagesStream()); st.LastSeq != 2 {
		t.Errorf("pages published = %d, want 2", st.LastSeq)
	}

	// Forgotten, the URL is a new seed again, without --force.
	stderr, err := runCmd(t, ctx, "forget", "--nats", nats.URL, "--namespace", ns, srv.URL+"/story")
	if err != nil || !strings.Contains(stderr, "1 URLs forgotten") {
		t.Fatalf("forget: %v\n%s", err, stderr)
	}
	if stderr := seed(); !strings.Contains(stderr, "1 of 1 seeds enqueued") {
		t.Errorf("a forgotten URL is not a new seed:\n%s", stderr)
	}
	idle("seed after forget")
	if got := site.Hits(); got != 3 {
		t.Errorf("after forget: %d requests in all, want 3", got)
	}
}
