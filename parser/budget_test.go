package parser

import (
	"errors"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/trawler/trawler"
)

// hostilePage builds the adversarial shapes of the security review at
// scale n: what each costs without the budget is in its comment.
func hostilePage(shape string, n int) []byte {
	var b strings.Builder
	b.WriteString("<html><body><h1>A page</h1>")
	for i := range n {
		switch shape {
		case "paragraphs": // 250k short <p>: 4 minutes and 1.2 GB in go-trafilatura
			fmt.Fprintf(&b, "<p>w%d x</p>", i)
		case "unclosed links": // 10 MB of <a> never closed: 24 s, 1.0 GB
			fmt.Fprintf(&b, `<a href="/x%d">l`, i)
		case "link list": // 100k links in a list
			fmt.Fprintf(&b, `<li><a href="/p/%d">Story number %d here</a></li>`, i, i)
		case "misnested": // formatting and block elements crossing
			b.WriteString("<b><p><i>x</b> y</p></i>")
		}
	}
	b.WriteString("</body></html>")
	return []byte(b.String())
}

// TestParseBudget checks each hostile shape at the scale that stalled a
// parser: refused whole with ErrOverBudget, saying which cap, with no
// article and no links. Parsing one of them is a benchmark
// (BenchmarkParseHostile), not a timed test.
func TestParseBudget(t *testing.T) {
	for _, tc := range []struct {
		shape, cap string
		n          int
	}{
		{"paragraphs", "nodes", 250_000},
		{"unclosed links", "nodes", 400_000},
		{"link list", "nodes", 100_000},
		{"misnested", "nodes", 60_000},
		{"link list", "links", MaxAnchors + 1_000}, // under the node cap
	} {
		art, links, err := Parse(trawler.Page{URL: "https://example.com/trap", Body: hostilePage(tc.shape, tc.n)})
		if !errors.Is(err, ErrOverBudget) || !errors.Is(err, ErrUnparsable) {
			t.Errorf("%s × %d: err = %v, want ErrOverBudget and ErrUnparsable", tc.shape, tc.n, err)
			continue
		}
		if !strings.Contains(err.Error(), tc.cap) {
			t.Errorf("%s × %d: error %q does not name the %s cap", tc.shape, tc.n, err, tc.cap)
		}
		if art.URL != "" || links != nil {
			t.Errorf("%s × %d: a refused page gave an article or links", tc.shape, tc.n)
		}
	}
}

// TestParseManyBlocks checks a page under the caps but with more block
// elements than go-trafilatura takes in reasonable time: it is rendered
// whole by our own renderer, to its last paragraph.
func TestParseManyBlocks(t *testing.T) {
	n := maxExtractorBlocks + 500
	art, _, err := Parse(trawler.Page{URL: "https://example.com/archive", Body: hostilePage("paragraphs", n)})
	if err != nil {
		t.Fatal(err)
	}
	if last := fmt.Sprintf("w%d x", n-1); !strings.HasSuffix(art.Body, last) {
		t.Errorf("body ends %q, want the last paragraph %q", art.Body[max(0, len(art.Body)-40):], last)
	}
}

// TestParseDeadline checks WithDeadline: a deadline already past stops the
// parse at its first pass with ErrOverBudget; a far one changes nothing.
func TestParseDeadline(t *testing.T) {
	page := trawler.Page{URL: "https://example.com/story", Body: []byte(`<html><body><h1>A headline</h1><p>` + longText + `</p></body></html>`)}
	_, _, err := Parse(page, WithDeadline(time.Now().Add(-time.Second)))
	if !errors.Is(err, ErrOverBudget) || !strings.Contains(err.Error(), "deadline") {
		t.Errorf("past deadline: err = %v, want ErrOverBudget naming the deadline", err)
	}
	want, _, err := Parse(page)
	if err != nil {
		t.Fatal(err)
	}
	got, _, err := Parse(page, WithDeadline(time.Now().Add(time.Hour)))
	if err != nil || got.Body != want.Body {
		t.Errorf("far deadline: body %q, err %v; want %q", got.Body, err, want.Body)
	}
}

// BenchmarkParseHostile measures what each hostile shape costs now, at the
// scale that stalled a parser and at one just under the caps, beside a
// real-sized article: time and allocation per page, and the heap in use
// after the parse.
func BenchmarkParseHostile(b *testing.B) {
	for _, tc := range []struct {
		shape string
		n     int
	}{
		{"paragraphs", 250_000},
		{"paragraphs", 49_000},
		{"unclosed links", 400_000},
		{"unclosed links", 29_000},
		{"link list", 100_000},
		{"link list", 29_000},
		{"misnested", 60_000},
		{"misnested", 20_000},
		{"paragraphs", 60}, // an article's size, the baseline
	} {
		page := trawler.Page{URL: "https://example.com/trap", Body: hostilePage(tc.shape, tc.n)}
		b.Run(fmt.Sprintf("%s-%d", strings.ReplaceAll(tc.shape, " ", "_"), tc.n), func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(page.Body)))
			var peak uint64
			for b.Loop() {
				_, _, _ = Parse(page)
				var ms runtime.MemStats
				runtime.ReadMemStats(&ms)
				peak = max(peak, ms.HeapInuse)
			}
			b.ReportMetric(float64(peak)/(1<<20), "heap-MB")
		})
	}
}
