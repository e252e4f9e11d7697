package archive

import (
	"bytes"
	"encoding/hex"
	"math/rand/v2"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/trawler/trawler"
)

// Pages written come back whole: bytes (a windows-1256 page stays
// undecoded), URLs, depth, kind, status, validators and the time to the
// nanosecond; files rotate by size and open files are not read.
func TestWriteReadRoundTrip(t *testing.T) {
	dir := t.TempDir()
	w, err := Create(dir, Options{Prefix: "crawler-a", MaxFileSize: 64 << 10})
	if err != nil {
		t.Fatal(err)
	}
	fetched := time.Date(2026, 12, 5, 1, 2, 3, 456789012, time.UTC)
	arabic := []byte("<html><head><meta charset=\"windows-1256\"><title>\xc7\xe1\xce\xc8\xd1</title></head><body>\xc7\xe1\xce\xc8\xd1</body></html>")
	var want []trawler.Page
	for i := range 40 {
		p := trawler.Page{
			URL: "http://news.example/story?id=" + string(rune('a'+i%26)), FinalURL: "https://news.example/story/" + strings.Repeat("x", i),
			Status: 200, ContentType: "text/html; charset=windows-1256", Kind: trawler.KindHTML, Depth: i % 4,
			FetchedAt: fetched.Add(time.Duration(i) * time.Millisecond), ETag: `"v1"`,
			Body: append([]byte("<p>"+hex.EncodeToString(noise(i, 4<<10))+"</p>"), arabic...), // 8 KiB that gzip cannot shrink much: files rotate
		}
		if i == 7 {
			p.Kind, p.ContentType, p.Body = trawler.KindFeed, "application/rss+xml", []byte(`<?xml version="1.0"?><rss><channel></channel></rss>`)
		}
		h := http.Header{"Etag": {`"v1"`}, "Content-Encoding": {"gzip"}, "Content-Length": {"12"}, "Server": {"test"}}
		if err := w.Write(p, h); err != nil {
			t.Fatal(err)
		}
		want = append(want, p)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	files, err := Files(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 2 {
		t.Fatalf("%d files, want the archive rotated", len(files))
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".open") || !strings.HasPrefix(e.Name(), "crawler-a-trawler-") || !strings.HasSuffix(e.Name(), ".warc.gz") {
			t.Errorf("file %s: want crawler-a-trawler-….warc.gz, closed", e.Name())
		}
	}
	var got []trawler.Page
	for _, f := range files {
		if err := Read(f, func(p trawler.Page) error { got = append(got, p); return nil }); err != nil {
			t.Fatal(err)
		}
	}
	if len(got) != len(want) {
		t.Fatalf("read %d pages, want %d", len(got), len(want))
	}
	byURL := map[string]trawler.Page{}
	for _, p := range got {
		byURL[p.FinalURL] = p
	}
	for _, w := range want {
		g, ok := byURL[w.FinalURL]
		if !ok {
			t.Errorf("%s not read back", w.FinalURL)
			continue
		}
		if g.URL != w.URL || g.Depth != w.Depth || g.Kind != w.Kind || g.Status != w.Status || g.ContentType != w.ContentType ||
			g.ETag != w.ETag || !g.FetchedAt.Equal(w.FetchedAt) || !bytes.Equal(g.Body, w.Body) {
			t.Errorf("read back %+v\nwant %+v", g, w)
		}
	}
}

// noise returns n pseudo-random bytes, the same for the same seed.
func noise(seed, n int) []byte {
	b := make([]byte, n)
	r := rand.New(rand.NewPCG(uint64(seed), 1))
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

// A file that is not WARC is an error naming it, not a silent skip.
func TestReadRefusesGarbage(t *testing.T) {
	f := t.TempDir() + "/bad.warc"
	if err := os.WriteFile(f, []byte("this is not a WARC file\r\n\r\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	err := Read(f, func(trawler.Page) error { return nil })
	if err == nil || !strings.Contains(err.Error(), "bad.warc") {
		t.Errorf("Read(garbage) = %v, want an error naming the file", err)
	}
}

// Crawl loops archive pages at once: the writer is safe for concurrent use
// (run with -race).
func TestConcurrentWrites(t *testing.T) {
	dir := t.TempDir()
	w, err := Create(dir, Options{Prefix: "c", MaxFileSize: 32 << 10})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			for j := range 10 {
				p := trawler.Page{URL: "http://x/" + string(rune('a'+i)) + string(rune('a'+j)), Status: 200, ContentType: "text/html",
					Body: []byte(hex.EncodeToString(noise(i*10+j, 2<<10))), FetchedAt: time.Now()}
				if err := w.Write(p, nil); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	files, _ := Files(dir)
	n := 0
	for _, f := range files {
		if err := Read(f, func(trawler.Page) error { n++; return nil }); err != nil {
			t.Fatal(err)
		}
	}
	if n != 80 {
		t.Errorf("read %d pages back, want 80", n)
	}
}
