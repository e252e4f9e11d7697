package main

import (
	"context"
	"io"
	"net"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/trawler/trawler"
	"github.com/trawler/trawler/crawler"
	"github.com/trawler/trawler/internal/natstest"
	"github.com/trawler/trawler/internal/pipeline"
	"github.com/trawler/trawler/internal/sitetest"
	"github.com/trawler/trawler/internal/testkit"
	"github.com/trawler/trawler/sink"
)

// env builds a getenv that sees only the given variables, so tests are not
// steered by the developer's TRAWLER_* settings.
func env(kv ...string) func(string) string {
	m := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return func(k string) string { return m[k] }
}

// crawlFlags are the fetcher settings of every test crawl: the fixture site
// is on 127.0.0.1 and the tests should not wait on politeness.
func crawlFlags() []string {
	return []string{"--allow-private", "--host-delay", "5ms", "--host-parallelism", "4", "--request-timeout", "5s", "--metrics-addr", ""}
}

// fixtureDepth is the depth the fixture site's expectations are written
// for, given to every process that parses it.
func fixtureDepth() []string { return []string{"--max-depth", strconv.Itoa(sitetest.CrawlDepth)} }

// stageProc is one stage process of a test pipeline: a name for messages and
// its command line.
type stageProc struct {
	name string
	args []string
}

// startWorkers runs each worker's command until ctx ends, its output in the
// returned buffers; a worker that fails fails the test with its output.
// wait returns once every worker has exited.
func startWorkers(t *testing.T, ctx context.Context, workers []stageProc) (logs []*testkit.LockedBuffer, wait func()) {
	var wg sync.WaitGroup
	logs = make([]*testkit.LockedBuffer, len(workers))
	for i, w := range workers {
		logs[i] = &testkit.LockedBuffer{}
		wg.Go(func() {
			if err := run(ctx, w.args, env(), strings.NewReader(""), io.Discard, logs[i]); err != nil {
				t.Errorf("%s: %v\n%s", w.name, err, logs[i].String())
			}
		})
	}
	return logs, wg.Wait
}

func runCmd(t *testing.T, ctx context.Context, args ...string) (string, error) {
	t.Helper()
	var stderr testkit.LockedBuffer
	err := run(ctx, args, env(), strings.NewReader(""), io.Discard, &stderr)
	return stderr.String(), err
}

// byPath indexes articles by URL path and fails on any duplicate.
func byPath(t *testing.T, arts []trawler.Article) map[string]trawler.Article {
	t.Helper()
	out := map[string]trawler.Article{}
	for _, a := range arts {
		u, err := url.Parse(a.URL)
		if err != nil {
			t.Fatalf("article with bad url %q", a.URL)
		}
		if _, dup := out[u.Path]; dup {
			t.Errorf("article %s written twice", u.Path)
		}
		out[u.Path] = a
	}
	return out
}

// checkArticles compares a crawl's output with the site's expected set.
func checkArticles(t *testing.T, site *sitetest.Site, arts []trawler.Article) {
	t.Helper()
	got := byPath(t, arts)
	want := site.Articles()
	for _, e := range want {
		a, ok := got[e.Path]
		if !ok {
			t.Errorf("missing article %s (%q, related only: %v)", e.Path, e.Title, e.RelatedOnly)
			continue
		}
		if a.Title != e.Title {
			t.Errorf("%s: title %q, want %q", e.Path, a.Title, e.Title)
		}
		if a.Language != e.Language {
			t.Errorf("%s: language %q, want %q", e.Path, a.Language, e.Language)
		}
		if a.PageType != trawler.PageArticle || a.Body == "" || a.ContentHash == "" {
			t.Errorf("%s: page type %q, body %d bytes, hash %q", e.Path, a.PageType, len(a.Body), a.ContentHash)
		}
	}
	if len(got) != len(want) {
		wanted := map[string]bool{}
		for _, e := range want {
			wanted[e.Path] = true
		}
		for p := range got {
			if !wanted[p] {
				t.Errorf("unexpected article %s", p)
			}
		}
	}
	for _, p := range site.NeverArticles() {
		if _, ok := got[p]; ok {
			t.Errorf("%s must never become an article", p)
		}
	}
}

func TestRunCrawlsFixtureSite(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end crawl")
	}
	site, srv := sitetest.Start(t)
	site.SlowDelay = 300 * time.Millisecond
	data := t.TempDir()
	ctx := context.Background()
	args := append(append([]string{"run", "--seed", srv.URL + "/", "--data", data, "--exit-when-idle"}, crawlFlags()...), fixtureDepth()...)
	stderr, err := runCmd(t, ctx, args...)
	if err != nil {
		t.Fatalf("run: %v\n%s", err, stderr)
	}
	if !strings.Contains(stderr, "jsonl:"+filepath.Join(data, "articles.jsonl")+": ") {
		t.Errorf("summary does not say where the articles are:\n%s", stderr)
	}
	arts, err := sink.ReadJSONL(filepath.Join(data, "articles.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	checkArticles(t, site, arts)

	// Never fetched at all: robots-disallowed, beyond the depth limit, off site.
	for _, p := range site.NeverFetched() {
		if n := site.Hits(p); n != 0 {
			t.Errorf("%s fetched %d times, want never", p, n)
		}
	}
	for _, e := range site.Articles() {
		if n := site.Hits(e.Path); n != 1 {
			t.Errorf("%s fetched %d times, want once", e.Path, n)
		}
	}

	// A second run on the same data has nothing new to fetch.
	before := site.TotalHits()
	if stderr, err := runCmd(t, ctx, args...); err != nil {
		t.Fatalf("second run: %v\n%s", err, stderr)
	}
	if after := site.TotalHits(); after != before {
		t.Errorf("second run made %d requests, want none", after-before)
	}
	again, err := sink.ReadJSONL(filepath.Join(data, "articles.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	if len(again) != len(arts) {
		t.Errorf("second run wrote %d more articles", len(again)-len(arts))
	}
}

func TestRunResumesAfterInterruption(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end crawl")
	}
	site, srv := sitetest.Start(t)
	site.SlowDelay = 10 * time.Millisecond
	data := t.TempDir()
	out := filepath.Join(data, "articles.jsonl")
	args := append([]string{"run", "--seed", srv.URL + "/", "--data", data, "--exit-when-idle",
		"--concurrency", "2"}, append(crawlFlags(), fixtureDepth()...)...)
	args = append(args, "--host-delay", "40ms", "--host-parallelism", "1")

	// Interrupt the first run once a few articles are written, as Ctrl-C would.
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	var stderr testkit.LockedBuffer
	go func() { done <- run(ctx, args, env(), strings.NewReader(""), io.Discard, &stderr) }()
	deadline := time.Now().Add(30 * time.Second)
	for {
		arts, _ := sink.ReadJSONL(out)
		if len(arts) >= 3 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no articles after 30s:\n%s", stderr.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("interrupted run: %v\n%s", err, stderr.String())
	}
	partial, err := sink.ReadJSONL(out)
	if err != nil {
		t.Fatal(err)
	}
	if len(partial) >= len(site.Articles()) {
		t.Fatalf("the first run was not interrupted mid-crawl (%d articles)", len(partial))
	}

	if stderr, err := runCmd(t, context.Background(), args...); err != nil {
		t.Fatalf("resumed run: %v\n%s", err, stderr)
	}
	arts, err := sink.ReadJSONL(out)
	if err != nil {
		t.Fatal(err)
	}
	checkArticles(t, site, arts)
	for _, e := range site.Articles() {
		if n := site.Hits(e.Path); n != 1 {
			t.Errorf("%s fetched %d times across both runs, want once", e.Path, n)
		}
	}
}

func TestWorkersScaleOut(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end crawl")
	}
	site, srv := sitetest.Start(t)
	site.SlowDelay = 10 * time.Millisecond
	nats := natstest.Start(t)
	out := filepath.Join(t.TempDir(), "articles.jsonl")
	spec := "jsonl:" + out
	common := []string{"--nats", nats.URL, "--namespace", "scale", "--metrics-addr", ""}

	// The oversize page streams 12 MiB, of which a crawler reads 10 before
	// it refuses the page. Beside two parsers in one race-built process on
	// a loaded machine that took longer than crawlFlags' 5 s: the fetch
	// timed out and was retried, as a timeout should be, and the page was
	// "fetched 3 times", by one crawler. The default deadline leaves room
	// for the download, so a second fetch here means two crawlers took it.
	crawl := append(crawlFlags(), "--request-timeout", crawler.DefaultRequestTimeout.String())

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	workers := []stageProc{
		{"crawl-1", append(append([]string{"crawl"}, common...), crawl...)},
		{"crawl-2", append(append([]string{"crawl"}, common...), crawl...)},
		{"parse-1", append(append([]string{"parse"}, common...), fixtureDepth()...)},
		{"parse-2", append(append([]string{"parse"}, common...), fixtureDepth()...)},
		{"sink", append([]string{"sink", "--sink", spec}, common...)},
	}
	logs, wait := startWorkers(t, ctx, workers)
	if stderr, err := runCmd(t, ctx, "seed", "--nats", nats.URL, "--namespace", "scale", srv.URL+"/"); err != nil {
		t.Fatalf("seed: %v\n%s", err, stderr)
	}
	_, js := nats.Connect(t)
	idleCtx, idleCancel := context.WithTimeout(ctx, 2*time.Minute)
	defer idleCancel()
	// The sink worker declares its consumer when it starts; wait for idle
	// only once every stage has had the chance to run.
	if err := pipeline.WaitIdle(idleCtx, js, trawler.Names{NS: "scale"}, sinkNames(t, spec), 250*time.Millisecond); err != nil {
		for i, w := range workers {
			t.Logf("%s:\n%s", w.name, logs[i].String())
		}
		t.Fatalf("pipeline not idle: %v", err)
	}
	cancel()
	wait()

	arts, err := sink.ReadJSONL(out)
	if err != nil {
		t.Fatal(err)
	}
	checkArticles(t, site, arts)
	for p, n := range site.HitCounts() {
		if p == sitetest.RobotsPath {
			continue // each crawler process reads it once
		}
		if n > 1 {
			t.Errorf("%s fetched %d times by two crawlers, want at most once; their log of it:\n%s",
				p, n, logOf(p, logs[0], logs[1]))
		}
	}
	if n := site.Hits(sitetest.RobotsPath); n > 2 {
		t.Errorf("robots.txt fetched %d times by two crawlers", n)
	}
}

// logOf returns the lines of logs that mention path.
func logOf(path string, logs ...*testkit.LockedBuffer) string {
	var b strings.Builder
	for _, l := range logs {
		for line := range strings.Lines(l.String()) {
			if strings.Contains(line, path) {
				b.WriteString(line)
			}
		}
	}
	return b.String()
}

// A worker stopped while it is still starting (here a sink whose database
// accepts connections but never answers) exits cleanly: an orchestrator's
// SIGTERM during start-up is a stop, not a failure.
func TestStageStoppedWhileStarting(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			t.Cleanup(func() { c.Close() }) // held open, never answered
		}
	}()
	nats := natstest.Start(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	var stderr testkit.LockedBuffer
	go func() {
		done <- run(ctx, []string{"sink", "--nats", nats.URL, "--namespace", "starting", "--metrics-addr", "",
			"--sink", "postgres://trawler@" + ln.Addr().String() + "/trawler?sslmode=disable&connect_timeout=60"},
			env(), strings.NewReader(""), io.Discard, &stderr)
	}()
	time.Sleep(300 * time.Millisecond) // connecting to the silent database
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("stopped while starting: %v\n%s", err, stderr.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatalf("not stopped 10 s after cancellation\n%s", stderr.String())
	}
}
