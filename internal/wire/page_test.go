package wire

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/trawler/trawler"
)

func TestPageRoundTrip(t *testing.T) {
	c, err := NewCodec(1 << 20)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	fetched := time.Date(2024, 7, 25, 10, 0, 0, 123456789, time.UTC)
	tests := []struct {
		name     string
		body     []byte
		wantZstd bool
	}{
		{"small page stays raw", []byte("<html>hi</html>"), false},
		{"repetitive page is compressed", bytes.Repeat([]byte("<p>بوتين يجتمع مع الأسد في موسكو</p>\n"), 200), true},
		{"incompressible page stays raw", noise(64 << 10), false},
		{"windows-1256 bytes untouched", []byte{0xC8, 0xE6, 0xCA, 0xED, 0xE4, 0x20, 0xED}, false},
	}
	for _, tt := range tests {
		p := trawler.Page{
			URL: "http://example.com/a", FinalURL: "http://example.com/b", Status: 200,
			ContentType: "text/html; charset=windows-1256", FetchedAt: fetched, Depth: 2, Body: tt.body,
			Kind: trawler.KindHTML, TemplateRun: 3,
		}
		m := c.PageMsg("t.pages", p)
		if got := m.Header.Get(HeaderEncoding) == "zstd"; got != tt.wantZstd {
			t.Errorf("%s: compressed=%v, want %v (%d -> %d bytes)", tt.name, got, tt.wantZstd, len(tt.body), len(m.Data))
		}
		if m.Header.Get(jetstream.MsgIDHeader) == "" {
			t.Errorf("%s: no Nats-Msg-Id", tt.name)
		}
		got, err := c.Page(m.Header, m.Data)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if !bytes.Equal(got.Body, p.Body) || got.URL != p.URL || got.FinalURL != p.FinalURL ||
			got.Status != 200 || got.ContentType != p.ContentType || got.Kind != p.Kind || got.Depth != 2 || got.TemplateRun != 3 || !got.FetchedAt.Equal(fetched) {
			t.Errorf("%s: round trip changed the page: %+v", tt.name, got)
		}
	}
}

func noise(n int) []byte {
	b := make([]byte, n)
	x := uint32(2463534242)
	for i := range b {
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		b[i] = byte(x)
	}
	return b
}

func TestPageMalformed(t *testing.T) {
	c, err := NewCodec(4096)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	good := c.PageMsg("s", trawler.Page{URL: "http://x/", Status: 200, FetchedAt: time.Now(), Body: []byte("x")})
	big := c.PageMsg("s", trawler.Page{URL: "http://x/", Status: 200, FetchedAt: time.Now(), Body: bytes.Repeat([]byte("a"), 10000)})
	bigRaw := c.PageMsg("s", trawler.Page{URL: "http://x/", Status: 200, FetchedAt: time.Now(), Body: noise(4097)})
	tests := []struct {
		name     string
		mutate   func(h nats.Header) []byte
		data     []byte
		tooLarge bool
	}{
		{"no url", func(h nats.Header) []byte { h.Del(HeaderURL); return good.Data }, nil, false},
		{"bad status", func(h nats.Header) []byte { h.Set(HeaderStatus, "x"); return good.Data }, nil, false},
		{"bad time", func(h nats.Header) []byte { h.Set(HeaderFetchedAt, "yesterday"); return good.Data }, nil, false},
		{"bad zstd", func(h nats.Header) []byte { h.Set(HeaderEncoding, "zstd"); return []byte("not zstd") }, nil, false},
		{"unknown encoding", func(h nats.Header) []byte { h.Set(HeaderEncoding, "br"); return good.Data }, nil, false},
		{"decompresses over the limit", func(h nats.Header) []byte { copyHeader(h, big.Header); return big.Data }, nil, true},
		{"over the limit", func(h nats.Header) []byte { copyHeader(h, bigRaw.Header); return bigRaw.Data }, nil, true},
	}
	for _, tt := range tests {
		h := nats.Header{}
		copyHeader(h, good.Header)
		data := tt.mutate(h)
		_, err := c.Page(h, data)
		if !errors.Is(err, ErrMalformed) {
			t.Errorf("%s: err = %v, want ErrMalformed", tt.name, err)
		}
		if errors.Is(err, ErrTooLarge) != tt.tooLarge {
			t.Errorf("%s: err = %v, want ErrTooLarge %v", tt.name, err, tt.tooLarge)
		}
	}
}

func copyHeader(dst, src nats.Header) {
	for k, v := range src {
		dst[k] = append([]string(nil), v...)
	}
}

func TestArticleAndRequest(t *testing.T) {
	a := trawler.Article{URL: "http://x/a", CanonicalURL: "http://x/c", Title: "t", ContentHash: "h", PageType: trawler.PageArticle}
	m, err := ArticleMsg("s", &a)
	if err != nil {
		t.Fatal(err)
	}
	got, err := Article(m.Data)
	if err != nil || got.Title != "t" || got.CanonicalURL != "http://x/c" {
		t.Fatalf("Article = %+v, %v", got, err)
	}
	b := a
	b.ContentHash = "h2"
	m2, _ := ArticleMsg("s", &b)
	if m.Header.Get(jetstream.MsgIDHeader) == m2.Header.Get(jetstream.MsgIDHeader) {
		t.Error("a changed article must get a new message id")
	}
	if _, err := Article([]byte(`{"title":"no url"}`)); !errors.Is(err, ErrMalformed) {
		t.Errorf("article without url: %v", err)
	}
	if _, err := Article([]byte(`{`)); !errors.Is(err, ErrMalformed) {
		t.Errorf("truncated article: %v", err)
	}
	r, err := CrawlRequestMsg("s", trawler.CrawlRequest{URL: "http://x/", Depth: 3})
	if err != nil {
		t.Fatal(err)
	}
	if cr, err := CrawlRequest(r.Data); err != nil || cr.Depth != 3 {
		t.Errorf("CrawlRequest = %+v, %v", cr, err)
	}
	if _, err := CrawlRequest([]byte(strings.Repeat("\x00", 10))); !errors.Is(err, ErrMalformed) {
		t.Errorf("binary request: %v", err)
	}
}

// Each attempt at a seed is a new message on both streams; the same attempt
// published twice is the same message.
func TestAttemptMessageIDs(t *testing.T) {
	c, err := NewCodec(1 << 20)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	reqID := func(attempt string) string {
		m, err := CrawlRequestMsg("s", trawler.CrawlRequest{URL: "http://x/", Attempt: attempt})
		if err != nil {
			t.Fatal(err)
		}
		if r, err := CrawlRequest(m.Data); err != nil || r.Attempt != attempt {
			t.Fatalf("CrawlRequest = %+v, %v", r, err)
		}
		return m.Header.Get(jetstream.MsgIDHeader)
	}
	pageID := func(attempt string) string {
		m := c.PageMsg("s", trawler.Page{URL: "http://x/", Status: 200, FetchedAt: time.Now(), Attempt: attempt})
		if p, err := c.Page(m.Header, m.Data); err != nil || p.Attempt != attempt {
			t.Fatalf("Page = %+v, %v", p, err)
		}
		return m.Header.Get(jetstream.MsgIDHeader)
	}
	for name, id := range map[string]func(string) string{"request": reqID, "page": pageID} {
		if id("") == id("7") || id("7") == id("9") {
			t.Errorf("%s: attempts share a message id", name)
		}
		// Two calls are two publications of one attempt (a page fetched
		// at another instant, a request enqueued again): one message id.
		if first, again := id("7"), id("7"); first != again {
			t.Errorf("%s: one attempt gets two message ids, %q and %q", name, first, again)
		}
	}
}
