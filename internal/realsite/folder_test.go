package realsite

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"
)

// writeFolder writes a ground-truth folder of n made-up pages in the dev
// set's format; the last one is in windows-1256, as legacy Arabic sites
// are.
func writeFolder(t *testing.T, n int) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "html"), 0o755); err != nil {
		t.Fatal(err)
	}
	words := strings.Fields("harbour council budget river school museum bridge festival market railway hospital library election farmers forest coast")
	arabic := strings.Fields("المجلس البلدي الميزانية الجديدة المدينة السوق النهر المدرسة المتحف الجسر")
	type gt struct {
		ID       string `json:"id"`
		URL      string `json:"url"`
		HTMLFile string `json:"html_file"`
		Title    string `json:"title"`
		Body     string `json:"body"`
		Source   string `json:"source"`
	}
	var cases []gt
	for i := range n {
		legacy := i == n-1
		vocab := words
		if legacy {
			vocab = arabic
		}
		var paras []string
		for p := range 5 {
			var w []string
			for k := range 70 {
				w = append(w, vocab[(i*7+p*13+k*k)%len(vocab)])
			}
			paras = append(paras, strings.Join(w, " ")+".")
		}
		title := fmt.Sprintf("Story %d about the %s", i, vocab[i%len(vocab)])
		var page strings.Builder
		charset := "utf-8"
		if legacy {
			charset = "windows-1256"
		}
		fmt.Fprintf(&page, `<!DOCTYPE html><html><head><meta charset="%s"><title>%s | Paper %d</title></head><body><nav><a href="/">Home</a> <a href="/section/">Section</a></nav><article><h1>%s</h1>`, charset, title, i, title)
		for _, p := range paras {
			fmt.Fprintf(&page, "<p>%s</p>\n", p)
		}
		fmt.Fprintf(&page, `</article><footer><a href="https://paper%d.example.org/about">About</a></footer></body></html>`, i)
		raw := []byte(page.String())
		if legacy {
			enc, err := charmap.Windows1256.NewEncoder().Bytes(raw)
			if err != nil {
				t.Fatal(err)
			}
			raw = enc
		}
		var gz bytes.Buffer
		zw := gzip.NewWriter(&gz)
		zw.Write(raw)
		zw.Close()
		file := fmt.Sprintf("html/p%02d.html.gz", i)
		if err := os.WriteFile(filepath.Join(dir, file), gz.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		cases = append(cases, gt{ID: fmt.Sprintf("x_%02d", i), URL: fmt.Sprintf("https://paper%d.example.org/story/%d", i, i),
			HTMLFile: file, Title: title, Body: strings.Join(paras, "\n"), Source: []string{"alpha", "beta"}[i%2]})
	}
	b, err := json.Marshal(cases)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "ground-truth.json"), b, 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// The builder lays out a site from another folder of the same format, a
// legacy-charset page included, and says when there is no folder.
func TestBuildFromAnotherFolder(t *testing.T) {
	dir := writeFolder(t, minArticles+len(disallowedPrefixes))
	s, err := Build(Options{Dir: dir, Articles: minArticles})
	if err != nil {
		t.Fatal(err)
	}
	arts := s.Articles()
	if len(arts) != minArticles {
		t.Fatalf("%d articles, want %d", len(arts), minArticles)
	}
	depth, _ := reach(t, s)
	for i, a := range arts {
		if d, ok := depth[i]; !ok || d != a.Depth {
			t.Errorf("%s: reached at depth %d (%v), the site says %d", a.Path, d, ok, a.Depth)
		}
	}

	// A page in windows-1256 gets ASCII-only markup: character references
	// for Arabic headings, percent-encoded addresses.
	for _, e := range s.arts {
		if e.page.utf8 {
			continue
		}
		if highBytes(e.served) != highBytes(e.page.raw) {
			t.Errorf("%s: %d non-ASCII bytes served, %d in the page", e.ID, highBytes(e.served), highBytes(e.page.raw))
		}
		if _, _, ct := get(s, e.Path); ct != "text/html" {
			t.Errorf("%s: Content-Type %q, want no charset", e.ID, ct)
		}
	}

	if _, err := Build(Options{Dir: filepath.Join(dir, "missing")}); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Build of a missing folder: %v, want fs.ErrNotExist", err)
	}
	if _, err := Build(Options{Dir: dir, Articles: 40}); err == nil {
		t.Error("Build of 40 articles from 14 pages succeeded")
	}
}

func highBytes(b []byte) (n int) {
	for _, c := range b {
		if c >= 0x80 {
			n++
		}
	}
	return n
}
