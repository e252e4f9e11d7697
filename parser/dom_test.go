package parser

import (
	"strings"
	"testing"

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
