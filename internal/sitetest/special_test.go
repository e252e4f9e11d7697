package sitetest

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/temoto/robotstxt"
)

func TestRobots(t *testing.T) {
	s, origin := startTest(t)
	f := get(t, noRedirect(), origin+RobotsPath)
	if f.status != http.StatusOK || !strings.HasPrefix(f.header.Get("Content-Type"), "text/plain") {
		t.Fatalf("robots.txt: status %d, Content-Type %q", f.status, f.header.Get("Content-Type"))
	}
	if !strings.Contains(string(f.raw), "User-agent: *\nDisallow: /private/\n") {
		t.Errorf("robots.txt lacks the Disallow for /private/:\n%s", f.raw)
	}
	robots, err := robotstxt.FromBytes(f.raw)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		path, agent string
		allowed     bool
	}{
		{DisallowedPath, "trawler/0.1.0", false},
		{"/private/", "trawler/0.1.0", false},
		{"/", "trawler/0.1.0", true},
		{SlowPath, "trawler/0.1.0", true},
		{"/ar/", "trawler/0.1.0", true},
		{"/", "BadBot", false},
	}
	for _, tt := range tests {
		if got := robots.TestAgent(tt.path, tt.agent); got != tt.allowed {
			t.Errorf("robots.txt allows %s to %s: %v, want %v", tt.path, tt.agent, got, tt.allowed)
		}
	}
	if s.Hits(RobotsPath) != 1 {
		t.Errorf("Hits(robots.txt) = %d, want 1", s.Hits(RobotsPath))
	}
}

func TestRedirect(t *testing.T) {
	_, origin := startTest(t)
	f := get(t, noRedirect(), origin+RedirectPath)
	if f.status != http.StatusMovedPermanently || f.header.Get("Location") != RedirectTarget {
		t.Fatalf("status %d, Location %q; want 301 to %s", f.status, f.header.Get("Location"), RedirectTarget)
	}
	resp, err := http.Get(origin + RedirectPath)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.Request.URL.Path != RedirectTarget {
		t.Errorf("following the redirect: status %d at %s", resp.StatusCode, resp.Request.URL)
	}
}

func TestNotFound(t *testing.T) {
	_, origin := startTest(t)
	for _, p := range []string{NotFoundPath, "/world", "/nope.html", "/comments"} {
		f := get(t, noRedirect(), origin+p)
		if f.status != http.StatusNotFound || f.doc == nil {
			t.Errorf("%s: status %d, HTML %v; want an HTML 404", p, f.status, f.doc != nil)
		}
	}
}

func TestMethodNotAllowed(t *testing.T) {
	s, origin := startTest(t)
	resp, err := http.Post(origin+"/comments", "application/x-www-form-urlencoded", strings.NewReader("comment=hi"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed || s.Hits("/comments") != 1 {
		t.Errorf("POST: status %d, hits %d; want 405, counted", resp.StatusCode, s.Hits("/comments"))
	}
}

func TestPDF(t *testing.T) {
	_, origin := startTest(t)
	f := get(t, noRedirect(), origin+PDFPath)
	body := string(f.raw)
	if f.status != http.StatusOK || f.header.Get("Content-Type") != "application/pdf" ||
		!strings.HasPrefix(body, "%PDF-") || !strings.HasSuffix(body, "%%EOF\n") {
		t.Errorf("PDF: status %d, Content-Type %q, body %.20q…", f.status, f.header.Get("Content-Type"), body)
	}
}

func TestSlowPage(t *testing.T) {
	s := New()
	s.SlowDelay = 150 * time.Millisecond
	srv := s.Start(t)
	start := time.Now()
	f := get(t, noRedirect(), srv.URL+SlowPath)
	if elapsed := time.Since(start); elapsed < s.SlowDelay {
		t.Errorf("slow page answered after %v, want at least %v", elapsed, s.SlowDelay)
	}
	if f.status != http.StatusOK || metaContent(f.doc, "property", "og:type") != "article" {
		t.Errorf("slow page: status %d, not an article", f.status)
	}

	// A cancelled request ends the wait: closing the server, which waits
	// for running handlers, does not take SlowDelay.
	s2 := New()
	s2.SlowDelay = 10 * time.Second
	srv2 := s2.Start(t)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv2.URL+SlowPath, nil)
	if resp, err := http.DefaultClient.Do(req); err == nil {
		resp.Body.Close()
		t.Error("request to a 10s slow page succeeded within 50ms")
	}
	start = time.Now()
	srv2.Close()
	if elapsed := time.Since(start); elapsed > 5*time.Second {
		t.Errorf("closing the server took %v: the slow handler ignored cancellation", elapsed)
	}
}

func TestOversize(t *testing.T) {
	s := New()
	s.OversizeBytes = 3<<20 + 17
	srv := s.Start(t)
	resp, err := http.Get(srv.URL + OversizePath)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if len(body) != s.OversizeBytes {
		t.Errorf("body is %d bytes, want %d", len(body), s.OversizeBytes)
	}
	if resp.ContentLength != -1 || len(resp.TransferEncoding) == 0 || resp.TransferEncoding[0] != "chunked" {
		t.Errorf("ContentLength %d, TransferEncoding %v; want a chunked stream", resp.ContentLength, resp.TransferEncoding)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
		t.Errorf("Content-Type %q", ct)
	}
	if !strings.HasPrefix(string(body), "<!DOCTYPE html>") || !strings.HasSuffix(string(body), "</html>\n") {
		t.Errorf("body is not a complete HTML document")
	}
}

func TestOversizeExactLength(t *testing.T) {
	for _, n := range []int{0, 1, 100, len(oversizeHead) + len(oversizeTail), len(oversizeHead) + len(oversizeTail) + 1, oversizeChunk - 1, oversizeChunk, 5*oversizeChunk + 3} {
		s := New()
		s.OversizeBytes = n
		w := httptest.NewRecorder()
		s.ServeHTTP(w, httptest.NewRequest(http.MethodGet, OversizePath, nil))
		if w.Body.Len() != n {
			t.Errorf("OversizeBytes %d: wrote %d bytes", n, w.Body.Len())
		}
	}
}

func TestDefaults(t *testing.T) {
	s := New()
	if s.SlowDelay != time.Second || s.OversizeBytes != 12<<20 {
		t.Errorf("defaults: SlowDelay %v, OversizeBytes %d", s.SlowDelay, s.OversizeBytes)
	}
}

func TestOffsiteLink(t *testing.T) {
	s, origin := startTest(t)
	port := origin[strings.LastIndex(origin, ":")+1:]
	home := get(t, noRedirect(), origin+"/")
	want := "http://" + OffsiteHost + ":" + port + OffsitePath
	found := false
	for _, a := range anchors(home.doc) {
		found = found || a.href == want
	}
	if !found {
		t.Fatalf("home page has no link to %s", want)
	}
	if s.Hits(OffsitePath) != 0 {
		t.Fatal("off-site page hit before anyone asked")
	}
	// The same server answers under the other name, and counts the hit.
	req, _ := http.NewRequest(http.MethodGet, origin+OffsitePath, nil)
	req.Host = OffsiteHost + ":" + port
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || s.Hits(OffsitePath) != 1 {
		t.Errorf("off-site page: status %d, hits %d", resp.StatusCode, s.Hits(OffsitePath))
	}
}

func TestHitsConcurrent(t *testing.T) {
	s, origin := startTest(t)
	paths := []string{"/", "/world/", RobotsPath, enFloods, arPutin + "?utm_source=x"}
	const workers, rounds = 8, 5
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for range rounds {
				for _, p := range paths {
					resp, err := http.Get(origin + p)
					if err != nil {
						t.Error(err)
						return
					}
					_, _ = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
				}
			}
		})
	}
	wg.Wait()
	for _, p := range []string{"/", "/world/", RobotsPath, enFloods, arPutin} {
		if got := s.Hits(p); got != workers*rounds {
			t.Errorf("Hits(%s) = %d, want %d", p, got, workers*rounds)
		}
	}
	if got, want := s.TotalHits(), workers*rounds*len(paths); got != want {
		t.Errorf("TotalHits = %d, want %d", got, want)
	}
	if got := s.HitCounts()["/"]; got != workers*rounds {
		t.Errorf("HitCounts()[/] = %d", got)
	}
}
