package crawler

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// testConfig is a Config for local httptest servers: private addresses
// allowed (they live on 127.0.0.1), no robots.txt unless a test wants it,
// and a host delay short enough not to slow the suite down.
func testConfig() Config {
	return Config{
		AllowPrivate:   true,
		IgnoreRobots:   true,
		HostDelay:      time.Millisecond,
		RequestTimeout: 5 * time.Second,
	}
}

func newTestFetcher(t *testing.T, cfg Config) *Fetcher {
	t.Helper()
	f, err := NewFetcher(cfg, nil)
	if err != nil {
		t.Fatalf("NewFetcher: %v", err)
	}
	t.Cleanup(f.CloseIdleConnections)
	return f
}

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
