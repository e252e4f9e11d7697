package sink

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/trawler/trawler"
)

func article(n int) trawler.Article {
	body := fmt.Sprintf("Body of article %d, long enough to take some room in a file. %s", n, strings.Repeat("x", 200))
	return trawler.Article{URL: fmt.Sprintf("http://x/%d", n), Title: fmt.Sprintf("Article %d", n), Body: body,
		PageType: trawler.PageArticle, ContentHash: ContentHash(&trawler.Article{Body: body})}
}

func writeEach(t *testing.T, s Sink, from, to int) {
	t.Helper()
	for n := from; n < to; n++ {
		if err := s.Write(context.Background(), []trawler.Article{article(n)}); err != nil {
			t.Fatal(err)
		}
	}
}

func urls(t *testing.T, path string) []string {
	t.Helper()
	arts, err := ReadJSONL(path)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, a := range arts {
		out = append(out, a.URL)
	}
	return out
}

func TestParseJSONLSpec(t *testing.T) {
	tests := []struct {
		arg  string
		want JSONLOptions
	}{
		{"a.jsonl", JSONLOptions{Path: "a.jsonl", Dedup: DefaultDedup}},
		{"out/?rotate=100MB&gzip=1", JSONLOptions{Path: "out/", RotateSize: 100e6, Gzip: true, Dedup: DefaultDedup}},
		{"out?rotate=1h", JSONLOptions{Path: "out", RotateAge: time.Hour, Dedup: DefaultDedup}},
		{"out?rotate=64MiB,24h&dedup=10", JSONLOptions{Path: "out", RotateSize: 64 << 20, RotateAge: 24 * time.Hour, Dedup: 10}},
		{"out?rotate=2GB&rotate=30m", JSONLOptions{Path: "out", RotateSize: 2e9, RotateAge: 30 * time.Minute, Dedup: DefaultDedup}},
		{"a.jsonl.gz?gzip=true", JSONLOptions{Path: "a.jsonl.gz", Gzip: true, Dedup: DefaultDedup}},
	}
	for _, tt := range tests {
		got, err := ParseJSONLSpec(tt.arg)
		if err != nil || got != tt.want {
			t.Errorf("ParseJSONLSpec(%q) = %+v, %v; want %+v", tt.arg, got, err, tt.want)
		}
	}
}

func TestJSONLRotatesBySize(t *testing.T) {
	for _, gz := range []bool{false, true} {
		t.Run(fmt.Sprintf("gzip=%t", gz), func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "out")
			opts := JSONLOptions{Path: dir, RotateSize: 1000, Gzip: gz}
			s, err := OpenJSONL(opts)
			if err != nil {
				t.Fatal(err)
			}
			writeEach(t, s, 0, 20)
			s.Close()
			files, err := listRotated(dir)
			if err != nil {
				t.Fatal(err)
			}
			if len(files) < 3 {
				t.Fatalf("%d files after 20 writes with rotate=1000B, want several", len(files))
			}
			for _, f := range files[:len(files)-1] {
				st, _ := os.Stat(f.path)
				if st.Size() < 1000 || st.Size() > 1000+600 {
					t.Errorf("%s holds %d bytes, want the limit plus at most one batch", f.path, st.Size())
				}
				if f.gzip != gz || !strings.HasPrefix(filepath.Base(f.path), "articles-") {
					t.Errorf("file %s: want articles-YYYYMMDD-HHMMSS.jsonl, gzip %t", f.path, gz)
				}
			}
			if got := urls(t, dir); len(got) != 20 || got[0] != "http://x/0" || got[19] != "http://x/19" {
				t.Errorf("read back %v", got)
			}
			// Reopened, the sink still skips what any file holds.
			s, err = OpenJSONL(opts)
			if err != nil {
				t.Fatal(err)
			}
			writeEach(t, s, 0, 21)
			s.Close()
			if got := urls(t, dir); len(got) != 21 {
				t.Errorf("after redelivery %d articles, want 21", len(got))
			}
		})
	}
}

func TestJSONLRotatesByAge(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	s, err := OpenJSONL(JSONLOptions{Path: dir, RotateAge: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	writeEach(t, s, 0, 2)
	first := s.Path()
	s.now = func() time.Time { return time.Now().Add(59 * time.Minute) }
	writeEach(t, s, 2, 3)
	if s.Path() != first {
		t.Errorf("rotated before the hour was up")
	}
	later := time.Now().Add(61 * time.Minute)
	s.now = func() time.Time { return later }
	writeEach(t, s, 3, 4)
	want := filepath.Join(dir, fileName(later.Truncate(time.Second), 1, false))
	if s.Path() != want {
		t.Errorf("after an hour writing %s, want %s", s.Path(), want)
	}
	if got := urls(t, dir); len(got) != 4 {
		t.Errorf("read back %v", got)
	}
}

func TestJSONLSameSecondFiles(t *testing.T) {
	dir := t.TempDir()
	now := time.Date(2024, 8, 1, 10, 0, 0, 0, time.UTC)
	s, err := openJSONL(JSONLOptions{Path: dir, RotateSize: 1}, func() time.Time { return now })
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	writeEach(t, s, 0, 3)
	files, _ := listRotated(dir)
	var names []string
	for _, f := range files {
		names = append(names, filepath.Base(f.path))
	}
	want := "articles-20240801-100000.jsonl articles-20240801-100000-2.jsonl articles-20240801-100000-3.jsonl"
	if got := strings.Join(names, " "); got != want {
		t.Errorf("files %s, want %s", got, want)
	}
	if got := urls(t, dir); len(got) != 3 || got[2] != "http://x/2" {
		t.Errorf("read back %v", got)
	}
}

func TestJSONLGzipDropsTornMember(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.jsonl.gz")
	opts := JSONLOptions{Path: path, Gzip: true}
	s, err := OpenJSONL(opts)
	if err != nil {
		t.Fatal(err)
	}
	writeEach(t, s, 0, 2)
	s.Close()
	good, _ := os.ReadFile(path)
	// A crash in the middle of the third write: half a member.
	s, _ = OpenJSONL(JSONLOptions{Path: filepath.Join(t.TempDir(), "b.gz"), Gzip: true})
	writeEach(t, s, 2, 3)
	member, _ := os.ReadFile(s.Path())
	s.Close()
	if err := os.WriteFile(path, append(good, member[:len(member)/2]...), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err = OpenJSONL(opts)
	if err != nil {
		t.Fatal(err)
	}
	writeEach(t, s, 0, 4) // 0 and 1 are skipped, 2 and 3 written
	s.Close()
	if got := urls(t, path); strings.Join(got, " ") != "http://x/0 http://x/1 http://x/2 http://x/3" {
		t.Errorf("read back %v", got)
	}
}

func TestJSONLDedupWindowIsBounded(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.jsonl")
	opts := JSONLOptions{Path: path, Dedup: 3}
	s, err := OpenJSONL(opts)
	if err != nil {
		t.Fatal(err)
	}
	writeEach(t, s, 0, 5)
	writeEach(t, s, 2, 5) // recent: skipped
	if n := len(urls(t, path)); n != 5 {
		t.Errorf("%d lines after redelivering recent articles, want 5", n)
	}
	if s.seen.len() != 3 {
		t.Errorf("index holds %d versions, want the window of 3", s.seen.len())
	}
	s.Close()
	s, err = OpenJSONL(opts) // the window is rebuilt from the file's end
	if err != nil {
		t.Fatal(err)
	}
	writeEach(t, s, 2, 5)
	writeEach(t, s, 0, 1) // forgotten: written again, as documented
	s.Close()
	if got := urls(t, path); len(got) != 6 || got[5] != "http://x/0" {
		t.Errorf("read back %v", got)
	}
}

func TestJSONLOneWriterPerFile(t *testing.T) {
	for _, opts := range []JSONLOptions{
		{Path: filepath.Join(t.TempDir(), "a.jsonl")},
		{Path: t.TempDir(), RotateAge: time.Hour},
	} {
		s, err := OpenJSONL(opts)
		if err != nil {
			t.Fatal(err)
		}
		if s2, err := OpenJSONL(opts); err == nil || !strings.Contains(err.Error(), "in use") {
			t.Errorf("second writer on %s: %v, want refused", opts.Path, err)
			if s2 != nil {
				s2.Close()
			}
		}
		s.Close()
		s, err = OpenJSONL(opts)
		if err != nil {
			t.Errorf("reopen after close: %v", err)
		} else {
			s.Close()
		}
	}
}

func TestJSONLRefusesMixedCompression(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.jsonl")
	s, err := OpenJSONL(JSONLOptions{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	writeEach(t, s, 0, 1)
	s.Close()
	if _, err := OpenJSONL(JSONLOptions{Path: path, Gzip: true}); err == nil {
		t.Error("gzip=1 on a plain file accepted")
	}
}
