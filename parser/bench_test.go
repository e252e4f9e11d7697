package parser

import (
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/trawler/trawler"
)

// BenchmarkParse parses every testdata page per iteration; ns/op divided by
// the page count is the cost of one page.
func BenchmarkParse(b *testing.B) {
	var pages []trawler.Page
	for _, n := range testPages(b) {
		pages = append(pages, loadPage(b, n))
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		for _, p := range pages {
			if _, _, err := Parse(p); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N*len(pages)), "ms/page")
}

// benchDir holds real pages (gzipped HTML) for timing; absent in most checkouts.
const benchDir = "../../shared/bench/extraction/html"

// BenchmarkParseRealPages times the first real pages of the shared
// extraction set, when it is there. Timing only: quality is measured
// elsewhere, and the set is not for tuning.
func BenchmarkParseRealPages(b *testing.B) {
	names, _ := filepath.Glob(filepath.Join(benchDir, "*.html.gz"))
	if len(names) == 0 {
		b.Skip("no real pages at " + benchDir)
	}
	if len(names) > 40 {
		names = names[:40]
	}
	var pages []trawler.Page
	for _, n := range names {
		f, err := os.Open(n)
		if err != nil {
			b.Fatal(err)
		}
		zr, err := gzip.NewReader(f)
		if err != nil {
			b.Fatal(err)
		}
		body, err := io.ReadAll(zr)
		f.Close()
		if err != nil {
			b.Fatal(err)
		}
		pages = append(pages, trawler.Page{URL: "https://example.com/page", ContentType: "text/html", Body: body})
	}
	b.ResetTimer()
	for b.Loop() {
		for _, p := range pages {
			Parse(p) //nolint:errcheck // timing only
		}
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N*len(pages)), "ms/page")
}

// BenchmarkUnwrapFormatting prepares a paragraph of 45,000 bold words for
// the extractor: unwrapping joins its text once, not once per element
// (joined one by one it took five seconds, 2026-12-05).
func BenchmarkUnwrapFormatting(b *testing.B) {
	page := `<html><body><p>` + strings.Repeat(`<b>ab</b> cd `, 45000) + `</p></body></html>`
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		doc := parseHTML(b, page)
		b.StartTimer()
		prepareForExtraction(doc)
	}
}
