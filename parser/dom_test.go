package parser

import (
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/net/html/atom"
)

// TestTextOfLimitCountsWords checks that the limit of textOf counts the
// collapsed text: an indented page's blanks do not use it up, so a long
// element is seen as long.
func TestTextOfLimitCountsWords(t *testing.T) {
	indent := "\n" + strings.Repeat(" ", 200)
	doc := parseHTML(t, `<div id="x">`+indent+`<p>Published</p>`+indent+`<p>August 13, 2025</p>`+indent+`</div>`)
	div := first(doc, atom.Div)
	if got, want := textOf(div, 20), "Published August 13, 2025"; got != want {
		t.Errorf("textOf(div, 20) = %q, want %q", got, want)
	}
	if got, want := textOf(div, 0), "Published August 13, 2025"; got != want {
		t.Errorf("textOf(div, 0) = %q, want %q", got, want)
	}
}

// spaceWriter must give what normalizeSpace gives for the same text, on
// every kind of white space, written in two pieces as two text nodes.
func TestSpaceWriterMatchesNormalizeSpace(t *testing.T) {
	for _, s := range []string{
		"", " ", "a", "  a  b  ", "a\u00a0b", "a\u200bb\ufeffc", "\u0085x\u2003y",
		"تاريخ  النشر:\n\t٢٥ تموز", "mixed é  ü\r\nend ", "\v\fword\v",
	} {
		for split := 0; split <= len(s); split++ {
			if split < len(s) && !utf8.RuneStart(s[split]) {
				continue // text nodes never split a character
			}
			var w spaceWriter
			w.write(s[:split])
			w.write(s[split:])
			if got, want := w.b.String(), normalizeSpace(s); got != want {
				t.Errorf("write(%q) in two pieces at %d = %q, want %q", s, split, got, want)
			}
		}
	}
}
