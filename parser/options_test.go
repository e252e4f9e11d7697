package parser

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/trawler/trawler"
)

// TestParseTooLarge: a page over the limit is refused whole with
// ErrTooLarge, one at the limit is parsed.
func TestParseTooLarge(t *testing.T) {
	page := func(n int) []byte {
		b := []byte("<html><body><article><p>" + strings.Repeat("word ", n/5) + "</p></article></body></html>")
		for len(b) < n {
			b = append(b, ' ')
		}
		return b[:n]
	}
	tests := []struct {
		name    string
		size    int
		opts    []Option
		tooLong bool
	}{
		{"default limit", DefaultMaxPageBytes + 1, nil, true},
		{"set limit", 4001, []Option{WithMaxPageBytes(4000)}, true},
		{"at the set limit", 4000, []Option{WithMaxPageBytes(4000)}, false},
		{"zero is the default", 4001, []Option{WithMaxPageBytes(0)}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			art, links, err := Parse(trawler.Page{URL: "https://example.com/2024/07/25/story", Body: page(tt.size)}, tt.opts...)
			if !tt.tooLong {
				if err != nil {
					t.Fatalf("page of %d bytes: %v", tt.size, err)
				}
				return
			}
			if !errors.Is(err, ErrTooLarge) || !errors.Is(err, ErrUnparsable) {
				t.Fatalf("page of %d bytes: err = %v, want ErrTooLarge and ErrUnparsable", tt.size, err)
			}
			if art.Body != "" || art.URL != "" || links != nil {
				t.Errorf("a refused page gave an article or links: %q %q %d", art.URL, truncateUTF8(art.Body, 40), len(links))
			}
			if msg := err.Error(); !strings.Contains(msg, fmt.Sprint(tt.size)) {
				t.Errorf("error %q does not give the size", msg)
			}
		})
	}
}

// TestParseWholePage: a page under the limit is parsed to its last
// paragraph, however big it is (the parser used to drop what came after
// 5 MiB) and however much text it has (it used to hand the extractor the
// first 2 MiB of text only).
func TestParseWholePage(t *testing.T) {
	if testing.Short() {
		t.Skip("pages of megabytes")
	}
	tests := []struct {
		name         string
		filler, text int // bytes of script, bytes of paragraphs
	}{
		{"text past 5 MiB", 5<<20 + 512<<10, 64 << 10},
		{"over 2 MiB of text", 0, 2<<20 + 256<<10},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b strings.Builder
			b.WriteString("<html><head><title>The archive</title></head><body><script>\n")
			for b.Len() < tt.filler {
				b.WriteString("var tracking = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16];\n")
			}
			b.WriteString("</script><article><h1>The archive</h1>\n")
			n := 0
			for start := b.Len(); b.Len()-start < tt.text; n++ {
				fmt.Fprintf(&b, "<p>Entry %d of the archive, a paragraph long enough to be text in any extractor's eyes, with a few more words.</p>\n", n)
			}
			b.WriteString("</article></body></html>")
			art, _, err := Parse(trawler.Page{URL: "https://example.com/archive/2024/07/25/all", Body: []byte(b.String())})
			if err != nil {
				t.Fatal(err)
			}
			paras := strings.Split(art.Body, "\n\n")
			if len(paras) != n || !strings.HasPrefix(paras[len(paras)-1], fmt.Sprintf("Entry %d of", n-1)) {
				t.Errorf("body has %d paragraphs of %d, the last %q", len(paras), n, truncateUTF8(paras[len(paras)-1], 60))
			}
		})
	}
}
