package parser

import (
	"os"
	"path/filepath"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/trawler/trawler"
)

// FuzzParse checks that no input panics Parse or makes it produce invalid
// output: every result is an error, or an article with valid UTF-8 text,
// a known page type and absolute links.
func FuzzParse(f *testing.F) {
	names, _ := filepath.Glob(filepath.Join("testdata", "*.html"))
	for _, n := range names {
		b, err := os.ReadFile(n)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b, "text/html")
	}
	f.Add([]byte(`<meta charset="windows-1256"><h1>x</h1><p>تاريخ النشر: ٢٥ تموز ٢٠٢٤</p>`), "")
	f.Add([]byte{0xFF, 0xFE, '<', 0, 'p', 0}, "text/html; charset=utf-16")
	// The security review's hostile shapes, small: the fuzzer grows them.
	for _, shape := range []string{"paragraphs", "unclosed links", "link list", "misnested"} {
		f.Add(hostilePage(shape, 200), "text/html")
	}
	f.Fuzz(func(t *testing.T, body []byte, contentType string) {
		start := time.Now()
		art, links, err := Parse(trawler.Page{
			URL: "https://example.com/news/1", Body: body, ContentType: contentType,
			FetchedAt: time.Date(2025, 2, 16, 0, 0, 0, 0, time.UTC),
		})
		if d := time.Since(start); d > 20*time.Second { // generous: fuzzing loads the machine
			t.Fatalf("Parse took %v on %d bytes", d, len(body))
		}
		if err != nil {
			return
		}
		if art.PageType != trawler.PageArticle && art.PageType != trawler.PageHub && art.PageType != trawler.PageOther {
			t.Fatalf("page type %q", art.PageType)
		}
		for _, s := range []string{art.Title, art.Body, art.Description, art.Source, art.SiteName} {
			if !utf8.ValidString(s) {
				t.Fatalf("invalid UTF-8 in %q", s)
			}
		}
		if art.Authors == nil || art.Tags == nil || art.Related == nil {
			t.Fatal("nil list in article")
		}
		for _, l := range links {
			if len(l.URL) < 8 || (l.URL[:7] != "http://" && l.URL[:8] != "https://") {
				t.Fatalf("link %q is not absolute http(s)", l.URL)
			}
		}
	})
}
