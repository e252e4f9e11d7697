package crawler

import (
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
)

// recordingProxy stands for an HTTP proxy: it answers every request itself
// and records the absolute URLs it was asked for.
type recordingProxy struct {
	mu   sync.Mutex
	urls []string
}

func (p *recordingProxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p.mu.Lock()
	p.urls = append(p.urls, r.URL.String()) // absolute-form, as a proxy gets it
	p.mu.Unlock()
	if r.URL.Path == "/robots.txt" {
		http.NotFound(w, r)
		return
	}
	page("text/html", htmlPage)(w, r)
}

func (p *recordingProxy) seen() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.urls...)
}

// Through a proxy on loopback, with the guard on: the proxy is reached
// (the operator chose it), public targets are fetched through it, and a
// target resolving to a private address is refused before the request,
// since the dialer never sees it.
func TestFetchThroughProxy(t *testing.T) {
	proxy := &recordingProxy{}
	srv := newServer(t, proxy)
	fake := newFakeNet(t, "127.0.0.1:1") // the targets are never dialled: the proxy is
	cfg := testConfig()
	cfg.AllowPrivate = false
	cfg.IgnoreRobots = false
	cfg.Proxy = srv.URL
	cfg.lookup, cfg.dial = fake.lookup, fake.dial
	f := newTestFetcher(t, cfg)

	res, err := fetch(t, f, "http://public.example/story")
	if err != nil {
		t.Fatalf("through the proxy: %v", err)
	}
	if res.FinalURL != "http://public.example/story" {
		t.Errorf("FinalURL = %q", res.FinalURL)
	}
	for _, target := range []string{"http://internal.example/secret", "http://mixed.example/secret", "http://169.254.169.254/latest/meta-data"} {
		_, err := fetch(t, f, target)
		wantKind(t, err, ErrBlocked)
	}
	got := proxy.seen()
	if strings.Join(got, " ") != "http://public.example/robots.txt http://public.example/story" {
		t.Errorf("the proxy was asked for %q, want robots.txt and the public page only", got)
	}
	if calls := fake.dialled(); len(calls) != 0 {
		t.Errorf("the guard's dialer was used through a proxy: %v", calls)
	}
}

// The environment's proxy is used only when asked for, and NO_PROXY holds.
func TestProxyFromEnvironment(t *testing.T) {
	proxy := &recordingProxy{}
	srv := newServer(t, proxy)
	t.Setenv("HTTP_PROXY", srv.URL)
	t.Setenv("NO_PROXY", "direct.example")

	ps, err := newProxySetup(ProxyFromEnvironment)
	if err != nil {
		t.Fatal(err)
	}
	for raw, want := range map[string]bool{"http://news.example/": true, "http://direct.example/": false} {
		u := mustParse(t, raw)
		if got := ps.uses(u); got != want {
			t.Errorf("uses(%s) = %v, want %v", raw, got, want)
		}
	}
	if none, _ := newProxySetup(""); none.uses(mustParse(t, "http://news.example/")) {
		t.Error("without --proxy the environment's proxy is used")
	}
	for _, bad := range []string{"ftp://proxy:21", "proxy:3128", "http://"} {
		if _, err := newProxySetup(bad); err == nil {
			t.Errorf("proxy %q accepted", bad)
		}
	}
	if _, err := ParseProxy("http://user:s3cret@proxy:3128/%zz"); err == nil || strings.Contains(err.Error(), "s3cret") {
		t.Errorf("a bad proxy URL's error shows its password or passes: %v", err)
	}
}

func mustParse(t *testing.T, raw string) *url.URL {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	return u
}
