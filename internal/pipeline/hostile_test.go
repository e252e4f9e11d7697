package pipeline

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"log"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/trawler/trawler"
	"github.com/trawler/trawler/crawler"
	"github.com/trawler/trawler/internal/natstest"
	"github.com/trawler/trawler/internal/testkit"
	"github.com/trawler/trawler/internal/worker"
)

// hostileSite serves pages that misbehave on purpose, each on its own
// server so that one host's failures do not open another's circuit.
func hostileSites(t *testing.T, maxBody int) map[string]string {
	t.Helper()
	serve := func(h http.HandlerFunc) string {
		srv := httptest.NewUnstartedServer(h)
		srv.Config.ErrorLog = log.New(io.Discard, "", 0)
		srv.Start()
		t.Cleanup(srv.Close)
		return srv.URL
	}
	urls := map[string]string{}
	urls["slow_loris"] = serve(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		for r.Context().Err() == nil {
			_, _ = w.Write([]byte("<"))
			w.(http.Flusher).Flush()
			time.Sleep(50 * time.Millisecond)
		}
	}) + "/slow"
	urls["too_large"] = serve(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		_, _ = w.Write(bytes.Repeat([]byte("<p>x</p>"), maxBody/8+1024))
	}) + "/huge"
	urls["gzip_bomb"] = serve(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Header().Set("Content-Encoding", "gzip")
		zw := gzip.NewWriter(w)
		zero := make([]byte, 64<<10)
		for i := 0; i < 4*maxBody/len(zero) && r.Context().Err() == nil; i++ {
			if _, err := zw.Write(zero); err != nil {
				return
			}
		}
		_ = zw.Close()
	}) + "/bomb"
	urls["redirect_loop"] = serve(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/a" {
			http.Redirect(w, r, "/b", http.StatusFound)
			return
		}
		http.Redirect(w, r, "/a", http.StatusFound)
	}) + "/a"
	urls["not_html"] = serve(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/pdf")
		_, _ = w.Write([]byte("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"))
	}) + "/report.pdf"
	urls["empty"] = serve(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Header().Set("Content-Length", "0")
	}) + "/empty"
	urls["connection"] = serve(func(w http.ResponseWriter, r *http.Request) {
		c, _, err := w.(http.Hijacker).Hijack()
		if err != nil {
			return
		}
		if tc, ok := c.(*net.TCPConn); ok {
			_ = tc.SetLinger(0) // RST, not FIN
		}
		_ = c.Close()
	}) + "/reset"
	tlsSrv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	tlsSrv.Config.ErrorLog = log.New(io.Discard, "", 0)
	tlsSrv.StartTLS()
	t.Cleanup(tlsSrv.Close)
	urls["tls"] = tlsSrv.URL + "/secure"
	return urls
}

// Every hostile server ends in its own counted outcome, logged with its
// URL: permanent ones are acked at once, transient ones retried and then
// dead-lettered. Nothing hangs: the pipeline goes idle.
func TestHostileServersThroughPipeline(t *testing.T) {
	if testing.Short() {
		t.Skip("hostile servers through the pipeline")
	}
	const maxBody = 256 << 10
	urls := hostileSites(t, maxBody)
	srv := natstest.Start(t)
	nc, js := srv.Connect(t)
	names := trawler.Names{NS: "hostile"}
	var logs testkit.LockedBuffer
	ctx, cancel := context.WithCancel(context.Background())
	node, err := Start(ctx, nc, Config{
		Names: names, Crawl: true, Parse: true, Sinks: []string{"jsonl:" + filepath.Join(t.TempDir(), "a.jsonl")},
		MaxDepth: 1, MaxDeliver: 2,
		Fetcher: crawler.Config{AllowPrivate: true, IgnoreRobots: true, HostDelay: time.Millisecond,
			RequestTimeout: 1500 * time.Millisecond, MaxBodySize: maxBody},
		Registry: prometheus.NewRegistry(), Log: slog.New(slog.NewTextHandler(&logs, nil)),
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
	var seeds []string
	for _, u := range urls {
		seeds = append(seeds, u)
	}
	if _, err := Seed(ctx, js, names, seeds, nil, natstest.Discard()); err != nil {
		t.Fatal(err)
	}
	waitIdle(t, js, node, names)

	transient := map[string]bool{"slow_loris": true, "connection": true}
	for name, u := range urls {
		outcome := name
		switch name {
		case "slow_loris":
			outcome = "timeout"
		case "gzip_bomb":
			outcome = "too_large"
		}
		var got float64
		for _, class := range []string{"none", "2xx", "3xx"} {
			got += testutil.ToFloat64(node.Metrics.Fetches.WithLabelValues(outcome, class))
		}
		want := 1.0
		if transient[name] {
			want = 2 // max deliver
		}
		if outcome == "too_large" {
			want = 2 // the oversized page and the bomb
		}
		if got != want {
			t.Errorf("%s: %v fetches counted as %q, want %v", name, got, outcome, want)
		}
		if !strings.Contains(logs.String(), u) {
			t.Errorf("%s: no log line names %s", name, u)
		}
	}
	dead := map[string]bool{}
	for _, m := range deadLetters(t, js, names) {
		if m.Header.Get(worker.HeaderStage) == trawler.StageCrawl {
			for name, u := range urls {
				if strings.Contains(string(m.Data), u) {
					dead[name] = true
				}
			}
		}
	}
	for name := range urls {
		if dead[name] != transient[name] {
			t.Errorf("%s: dead-lettered %v, want %v", name, dead[name], transient[name])
		}
	}
}
