package parser

import (
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Bounds of a free-text segment read for a date, in characters: htmldate's,
// a byline or a dateline, not a sentence.
const (
	minFreeText = 6
	maxFreeText = 52
)

// freeTextDate is the last search of the page's own text, for pages that
// show a date nowhere the other tiers look: the short text segments of the
// elements that hold text (div, p, span, li, time, h2–h4) in the pruned
// document, read by findDate in every language it knows, and the earliest
// plausible day among them, as htmldate's extensive search takes it. A
// segment that says update, copyright or a member's sign-up is skipped.
// It does by hand, in a few milliseconds, what go-htmldate's extensive
// mode does with go-dateparser in up to a second a page.
func freeTextDate(doc *html.Node, ok func(time.Time) bool) time.Time {
	var best time.Time
	walk(doc, func(n *html.Node) bool {
		if isInvisible(n) {
			return false
		}
		if n.Type != html.TextNode || n.Parent == nil {
			return true
		}
		switch n.Parent.DataAtom {
		case atom.Div, atom.P, atom.Span, atom.Li, atom.Time, atom.H2, atom.H3, atom.H4, atom.Ul, atom.Td, atom.Small, atom.Em, atom.Strong, atom.B, atom.I:
		default:
			return false
		}
		text := normalizeSpace(n.Data)
		if c := utf8.RuneCountInString(text); c < minFreeText || c > maxFreeText {
			return false
		}
		if !strings.ContainsAny(text, "0123456789٠١٢٣٤٥٦٧٨٩") || strings.Contains(text, "©") ||
			saysUpdated(text) || rxMemberLabel.MatchString(text) || strings.Contains(strings.ToLower(text), "copyright") {
			return false
		}
		if t, f := unlabelledDate(text); f && ok(t) && (best.IsZero() || dayBefore(t, best)) {
			best = t
		}
		return false
	})
	return best
}
