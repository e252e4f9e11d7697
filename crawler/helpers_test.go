package crawler

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
	"time"
)

// testConfig is a Config for local httptest servers: private addresses
// allowed (they live on 127.0.0.1, on any port), no robots.txt unless a
// test wants it, and a host delay short enough not to slow the suite down.
func testConfig() Config {
	return Config{
		AllowPrivate:   true,
		AllowPort:      anyPort.extra,
		IgnoreRobots:   true,
		HostDelay:      time.Millisecond,
		RequestTimeout: 5 * time.Second,
	}
}

// anyPort admits every port, as test servers listen on random ones.
var anyPort = ports{extra: func(context.Context, int) (bool, error) { return true, nil }}

func newTestFetcher(t *testing.T, cfg Config) *Fetcher {
	t.Helper()
	f, err := NewFetcher(cfg, nil)
	if err != nil {
		t.Fatalf("NewFetcher: %v", err)
	}
	t.Cleanup(f.CloseIdleConnections)
	return f
}

// wireLog notes when the fetcher hands each request to its connection pool,
// which is when the limiter lets it go. A server sees a request later, after
// a dial, the trip through loopback and its own scheduling; on a loaded
// machine that lag differs from one request to the next by tens of
// milliseconds (the first request to a server, which dials, lags most), so
// gaps between requests are measured here, and a server's clock is kept for
// what it alone can tell: how many requests it held at once.
type wireLog struct {
	mu     sync.Mutex
	starts map[string][]time.Time // by URL
}

// watch returns cfg with the log below its limiter.
func (w *wireLog) watch(cfg Config) Config {
	cfg.wrapPool = func(next http.RoundTripper) http.RoundTripper {
		return roundTripFunc(func(r *http.Request) (*http.Response, error) {
			now := time.Now()
			w.mu.Lock()
			if w.starts == nil {
				w.starts = make(map[string][]time.Time)
			}
			w.starts[r.URL.String()] = append(w.starts[r.URL.String()], now)
			w.mu.Unlock()
			return next.RoundTrip(r)
		})
	}
	return cfg
}

// startsOf returns the times requests for rawURL left, in order.
func (w *wireLog) startsOf(rawURL string) []time.Time {
	w.mu.Lock()
	defer w.mu.Unlock()
	s := slices.Clone(w.starts[rawURL])
	slices.SortFunc(s, time.Time.Compare)
	return s
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func newServer(t *testing.T, h http.Handler) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

// page serves body with the given Content-Type; "-" sends none at all
// (net/http would otherwise sniff one).
func page(contentType, body string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if contentType == "-" {
			w.Header()["Content-Type"] = nil
		} else {
			w.Header().Set("Content-Type", contentType)
		}
		w.Write([]byte(body))
	}
}

// wantKind fails unless err is an *Error of the given class.
func wantKind(t *testing.T, err, kind error) *Error {
	t.Helper()
	if err == nil {
		t.Fatalf("got no error, want %v", kind)
	}
	var fe *Error
	if !errors.As(err, &fe) {
		t.Fatalf("error %v (%T) is not an *Error", err, err)
	}
	if !errors.Is(err, kind) {
		t.Fatalf("error %q: class %q, want %q", err, Outcome(err), Outcome(kind))
	}
	return fe
}

func fetch(t *testing.T, f *Fetcher, rawURL string) (*Result, error) {
	t.Helper()
	return f.Fetch(context.Background(), rawURL)
}

const htmlPage = "<!DOCTYPE html><html><head><title>t</title></head><body><p>hello</p></body></html>"
