package crawler

import (
	"context"
	"errors"
	"net"
	"net/http"
	"testing"
	"time"
)

// rawServer accepts connections on 127.0.0.1, reads the request, and hands
// the connection to handle.
func rawServer(t *testing.T, handle func(*net.TCPConn)) string {
	t.Helper()
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
			c.Read(make([]byte, 4096))
			handle(c.(*net.TCPConn))
		}
	}()
	return "http://" + ln.Addr().String()
}

func TestFetchNetworkFailures(t *testing.T) {
	t.Parallel()
	const timeout = 300 * time.Millisecond
	dribble := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		for r.Context().Err() == nil {
			w.Write([]byte("<"))
			w.(http.Flusher).Flush()
			time.Sleep(20 * time.Millisecond)
		}
	}))
	slowHeaders := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	}))
	reset := rawServer(t, func(c *net.TCPConn) {
		c.SetLinger(0) // close with RST
		c.Close()
	})
	hangUp := rawServer(t, func(c *net.TCPConn) {
		c.Write([]byte("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 1000\r\n\r\n<html>"))
		c.Close() // 994 bytes short
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	refused := "http://" + ln.Addr().String()
	ln.Close()

	tests := []struct {
		name string
		url  string
		kind error
	}{
		{"body dribbles", dribble.URL, ErrTimeout},
		{"headers never come", slowHeaders.URL, ErrTimeout},
		{"connection reset", reset, ErrConnection},
		{"body cut short", hangUp, ErrConnection},
		{"connection refused", refused, ErrConnection},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cfg := testConfig()
			cfg.RequestTimeout = timeout
			f := newTestFetcher(t, cfg)
			start := time.Now()
			_, err := fetch(t, f, tt.url+"/page")
			elapsed := time.Since(start)
			wantKind(t, err, tt.kind)
			if !IsTransient(err) {
				t.Errorf("%v is permanent, want transient", err)
			}
			if elapsed > timeout+2*time.Second {
				t.Errorf("took %v with a %v timeout", elapsed, timeout)
			}
		})
	}
}

func TestFetchThrottledAndCanceled(t *testing.T) {
	t.Parallel()
	srv := newServer(t, page("text/html", htmlPage))
	cfg := testConfig()
	cfg.HostDelay = time.Hour
	cfg.RequestTimeout = 100 * time.Millisecond
	f := newTestFetcher(t, cfg)
	if _, err := fetch(t, f, srv.URL+"/1"); err != nil {
		t.Fatal(err)
	}
	// The host's next turn is an hour away: said at once, with when.
	_, err := fetch(t, f, srv.URL+"/2")
	wantKind(t, err, ErrThrottled)
	if !IsTransient(err) {
		t.Errorf("throttled is permanent")
	}
	if ra := RetryAfter(err); ra < 59*time.Minute || ra > time.Hour {
		t.Errorf("RetryAfter = %v, want the hour until the host's turn", ra)
	}

	// Canceled while waiting for a turn within its deadline.
	cfg.RequestTimeout = 2 * time.Hour
	f = newTestFetcher(t, cfg)
	if _, err := fetch(t, f, srv.URL+"/1"); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(20*time.Millisecond, cancel)
	_, err = f.Fetch(ctx, srv.URL+"/3")
	if !errors.Is(err, context.Canceled) || Outcome(err) != "canceled" || !IsTransient(err) {
		t.Errorf("canceled fetch: %v (outcome %s)", err, Outcome(err))
	}
}
