package crawler

import (
	"bytes"
	"compress/gzip"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/trawler/trawler"
)

// windows1256 is an Arabic page in its legacy encoding ("مرحبا"), which
// must reach the parser byte for byte.
const windows1256 = "<html><head><meta charset=\"windows-1256\"></head><body><p>\xe3\xd1\xcd\xc8\xc7</p></body></html>"

func gzipped(t *testing.T, s string) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	zw.Write([]byte(s))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestFetchOK(t *testing.T) {
	t.Parallel()
	gz := gzipped(t, htmlPage)
	tests := []struct {
		name    string
		handler http.HandlerFunc
		wantCT  string
		want    string
	}{
		{"html", page("text/html; charset=utf-8", htmlPage), "text/html; charset=utf-8", htmlPage},
		{"windows-1256 untouched", page("text/html; charset=windows-1256", windows1256),
			"text/html; charset=windows-1256", windows1256},
		{"xhtml", page("application/xhtml+xml", htmlPage), "application/xhtml+xml", htmlPage},
		{"html served as text/plain", page("text/plain; charset=utf-8", htmlPage), "text/plain; charset=utf-8", htmlPage},
		{"html served as octet-stream", page("application/octet-stream", htmlPage), "application/octet-stream", htmlPage},
		{"no content-type: sniffed", page("-", htmlPage), "text/html; charset=utf-8", htmlPage},
		{"gzip content-encoding decoded", func(w http.ResponseWriter, r *http.Request) {
			if !strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
				t.Errorf("Accept-Encoding = %q, want gzip", r.Header.Get("Accept-Encoding"))
			}
			w.Header().Set("Content-Type", "text/html")
			w.Header().Set("Content-Encoding", "gzip")
			w.Write(gz)
		}, "text/html", htmlPage},
		{"exactly the size limit", page("text/html", strings.Repeat("a", 4096)), "text/html", strings.Repeat("a", 4096)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := newServer(t, tt.handler)
			cfg := testConfig()
			cfg.MaxBodySize = 4096
			f := newTestFetcher(t, cfg)
			before := time.Now().UTC()
			res, err := fetch(t, f, srv.URL+"/p?q=1#frag")
			if err != nil {
				t.Fatalf("Fetch: %v", err)
			}
			if want := srv.URL + "/p?q=1"; res.FinalURL != want {
				t.Errorf("FinalURL = %q, want %q", res.FinalURL, want)
			}
			if res.Status != http.StatusOK {
				t.Errorf("Status = %d", res.Status)
			}
			if res.ContentType != tt.wantCT {
				t.Errorf("ContentType = %q, want %q", res.ContentType, tt.wantCT)
			}
			if res.Kind != trawler.KindHTML {
				t.Errorf("Kind = %q, want %q", res.Kind, trawler.KindHTML)
			}
			if !bytes.Equal(res.Body, []byte(tt.want)) {
				t.Errorf("Body = %q, want %q", res.Body, tt.want)
			}
			if res.FetchedAt.Before(before) || res.FetchedAt.Location() != time.UTC {
				t.Errorf("FetchedAt = %v, want UTC after %v", res.FetchedAt, before)
			}
			// Header carries what the server sent: no Content-Type when it sent none.
			wantHeader := tt.wantCT
			if strings.Contains(tt.name, "sniffed") {
				wantHeader = ""
			}
			if got := res.Header.Get("Content-Type"); got != wantHeader {
				t.Errorf("Header Content-Type = %q, want %q", got, wantHeader)
			}
			if res.Header.Get("Content-Encoding") != "" {
				t.Errorf("Content-Encoding left in Header: %q", res.Header.Get("Content-Encoding"))
			}
		})
	}
}

func TestFetchStatus(t *testing.T) {
	t.Parallel()
	date := time.Now().Add(time.Hour).UTC().Format(http.TimeFormat)
	tests := []struct {
		code       int
		retryAfter string
		kind       error
		transient  bool
		wantRetry  [2]time.Duration // inclusive range
	}{
		{404, "", ErrNotFound, false, [2]time.Duration{}},
		{410, "", ErrNotFound, false, [2]time.Duration{}},
		{403, "", ErrHTTPStatus, false, [2]time.Duration{}},
		{400, "", ErrHTTPStatus, false, [2]time.Duration{}},
		{408, "", ErrTimeout, true, [2]time.Duration{}},
		{429, "7", ErrRateLimited, true, [2]time.Duration{7 * time.Second, 7 * time.Second}},
		{500, "120", ErrServer, true, [2]time.Duration{2 * time.Minute, 2 * time.Minute}},
		{502, "", ErrServer, true, [2]time.Duration{}},
		{503, date, ErrServer, true, [2]time.Duration{58 * time.Minute, time.Hour}},
		{300, "", ErrHTTPStatus, false, [2]time.Duration{}}, // a 3xx without Location
	}
	for _, tt := range tests {
		t.Run(strconv.Itoa(tt.code), func(t *testing.T) {
			t.Parallel()
			srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if tt.retryAfter != "" {
					w.Header().Set("Retry-After", tt.retryAfter)
				}
				w.Header().Set("Content-Type", "text/html")
				w.WriteHeader(tt.code)
				w.Write([]byte(htmlPage))
			}))
			f := newTestFetcher(t, testConfig())
			_, err := fetch(t, f, srv.URL+"/x")
			fe := wantKind(t, err, tt.kind)
			if fe.Status != tt.code {
				t.Errorf("Status = %d, want %d", fe.Status, tt.code)
			}
			if IsTransient(err) != tt.transient {
				t.Errorf("IsTransient = %v, want %v", IsTransient(err), tt.transient)
			}
			if ra := RetryAfter(err); ra < tt.wantRetry[0] || ra > tt.wantRetry[1] {
				t.Errorf("RetryAfter = %v, want within %v", ra, tt.wantRetry)
			}
			if !strings.Contains(err.Error(), srv.URL+"/x") {
				t.Errorf("error %q does not name the URL", err)
			}
		})
	}
}

func TestFetchRefusesContent(t *testing.T) {
	t.Parallel()
	const pdf = "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
	tests := []struct {
		name    string
		handler http.HandlerFunc
		kind    error
	}{
		{"pdf", page("application/pdf", pdf), ErrNotHTML},
		{"pdf served as text/plain", page("text/plain", pdf), ErrNotHTML},
		{"pdf served as octet-stream", page("application/octet-stream", pdf), ErrNotHTML},
		{"pdf without content-type", page("-", pdf), ErrNotHTML},
		{"pdf served as html", page("text/html", pdf), ErrNotHTML},
		{"json", page("application/json", `{"a":1}`), ErrNotHTML},
		{"plain text", page("text/plain", "just words, no markup"), ErrNotHTML},
		{"empty 200", page("text/html", ""), ErrEmpty},
		{"204", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) }, ErrEmpty},
		{"unknown content-encoding", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			w.Header().Set("Content-Encoding", "x-gzip")
			w.Write(gzipped(t, htmlPage))
		}, ErrNotHTML},
		{"gzip content-type", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/x-gzip")
			w.Write(gzipped(t, htmlPage))
		}, ErrNotHTML},
		{"too large, content-length", page("text/html", strings.Repeat("a", 4097)), ErrTooLarge},
		{"too large, chunked", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			w.Write([]byte(strings.Repeat("a", 100)))
			w.(http.Flusher).Flush() // no Content-Length from here on
			w.Write([]byte(strings.Repeat("a", 3997)))
		}, ErrTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := newServer(t, tt.handler)
			cfg := testConfig()
			cfg.MaxBodySize = 4096
			f := newTestFetcher(t, cfg)
			res, err := fetch(t, f, srv.URL+"/doc")
			if res != nil {
				t.Errorf("got a result with the error")
			}
			wantKind(t, err, tt.kind)
			if IsTransient(err) {
				t.Errorf("%v is transient, want permanent", err)
			}
		})
	}
}

func TestFetchInvalidURL(t *testing.T) {
	t.Parallel()
	f := newTestFetcher(t, testConfig())
	for _, u := range []string{"ftp://example.com/", "/relative", "http://", "mailto:a@example.com", "http://a b.com/\x7f"} {
		_, err := fetch(t, f, u)
		wantKind(t, err, ErrInvalidURL)
	}
}

func TestNewFetcherValidates(t *testing.T) {
	t.Parallel()
	for _, cfg := range []Config{{RequestTimeout: -1}, {MaxBodySize: -1}, {HostDelay: -1}, {HostParallelism: -1}, {MaxRedirects: -1}} {
		if _, err := NewFetcher(cfg, nil); err == nil {
			t.Errorf("NewFetcher(%+v) accepted a negative value", cfg)
		}
	}
	f, err := NewFetcher(Config{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	c := f.cfg
	if c.UserAgent != "trawler/0.1.0" || c.RequestTimeout != 30*time.Second || c.MaxBodySize != 10<<20 ||
		c.HostDelay != 0 || c.HostParallelism != 2 || c.MaxRedirects != 10 || c.AllowPrivate || c.IgnoreRobots {
		t.Errorf("defaults = %+v", c)
	}
}
