package crawler

import (
	"compress/gzip"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// endless serves a body that never ends by itself: it writes until the
// client goes away or until limit bytes, counting what it wrote. declared,
// when non-zero, is sent as Content-Length. With gz the bytes are zeros
// gzip-compressed on the fly (Content-Encoding: gzip), a decompression bomb;
// written then counts decompressed bytes.
type endless struct {
	contentType string
	declared    int64
	gz          bool
	limit       int64
	written     atomic.Int64
	done        chan struct{}
}

func newEndless(contentType string, declared int64, gz bool, limit int64) *endless {
	return &endless{contentType: contentType, declared: declared, gz: gz, limit: limit, done: make(chan struct{})}
}

func (e *endless) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	defer close(e.done)
	w.Header().Set("Content-Type", e.contentType)
	if e.declared > 0 {
		w.Header().Set("Content-Length", strconv.FormatInt(e.declared, 10))
	}
	var out io.Writer = w
	chunk := []byte(strings.Repeat("<p>spam</p>", 3000))
	if e.gz {
		w.Header().Set("Content-Encoding", "gzip")
		zw := gzip.NewWriter(w)
		defer zw.Close()
		out = zw
		chunk = make([]byte, 64<<10)
	}
	for e.written.Load() < e.limit && r.Context().Err() == nil {
		n, err := out.Write(chunk)
		e.written.Add(int64(n))
		if err != nil {
			return
		}
	}
}

// wait returns what the handler wrote once it has stopped.
func (e *endless) wait(t *testing.T) int64 {
	t.Helper()
	select {
	case <-e.done:
	case <-time.After(10 * time.Second):
		t.Fatal("handler still writing 10s after the fetch returned")
	}
	return e.written.Load()
}

// TestFetchRefusesOversizedWithoutReadingIt shows that refusal is bounded:
// the server offers far more than it could ever send before the test ends,
// and stops early because the client hung up.
func TestFetchRefusesOversizedWithoutReadingIt(t *testing.T) {
	t.Parallel()
	const (
		maxBody = 64 << 10
		cap     = 1 << 30 // what the server would send if nobody stopped it
		// Loopback socket buffers hold a few MiB, so the server can get
		// that far ahead of a client that has stopped reading.
		bound = 32 << 20
	)
	tests := []struct {
		name    string
		handler *endless
		kind    error
		bound   int64
	}{
		{"declared content-length", newEndless("text/html", 1<<40, false, cap), ErrTooLarge, bound},
		{"no content-length", newEndless("text/html", 0, false, cap), ErrTooLarge, bound},
		// Decompressed bytes: zeros compress about 1000:1, so socket buffers
		// hold gigabytes' worth; the bound is that the fetch returned at all
		// with a refusal, having read at most MaxBodySize+1 bytes.
		{"gzip bomb", newEndless("text/html", 0, true, 4*cap), ErrTooLarge, 4 * cap},
		// colly would gunzip this itself, outside its size limit.
		{"gzip bomb as content-type", newEndless("application/gzip", 0, false, cap), ErrNotHTML, bound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := newServer(t, tt.handler)
			cfg := testConfig()
			cfg.MaxBodySize = maxBody
			f := newTestFetcher(t, cfg)
			_, err := fetch(t, f, srv.URL+"/big")
			wantKind(t, err, tt.kind)
			f.CloseIdleConnections()
			n := tt.handler.wait(t)
			t.Logf("server wrote %d bytes", n)
			if n >= tt.bound {
				t.Errorf("server wrote %d bytes, want < %d: the client kept reading", n, tt.bound)
			}
		})
	}
}
