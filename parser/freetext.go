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
	// maxStampText bounds a copyright line read for its stamp: the
	// company's name and address come with it.
	maxStampText = 160
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
	return segmentDate(doc, ok, false)
}

// stampDate reads the day of a copyright line that shows a whole day,
// "Copyright © 19.12.2019 - 12:14 h": a content system's stamp of when it
// made the page, which bounds the publication from above. freeTextDate
// refuses copyright lines because most name a year alone ("© 2016"), which
// findDate never reads as a day anyway; this is consulted only after it.
// The footers pruning cut are read too: that is where the line is.
func stampDate(roots []*html.Node, ok func(time.Time) bool) time.Time {
	var best time.Time
	for _, r := range roots {
		if t := segmentDate(r, ok, true); !t.IsZero() && (best.IsZero() || dayBefore(t, best)) {
			best = t
		}
	}
	return best
}

// segmentDate is the walk of freeTextDate and stampDate: stamps selects the
// copyright segments instead of refusing them.
func segmentDate(doc *html.Node, ok func(time.Time) bool, stamps bool) time.Time {
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
		limit := maxFreeText
		if stamps {
			limit = maxStampText
		}
		if c := utf8.RuneCountInString(text); c < minFreeText || c > limit {
			return false
		}
		copyright := strings.Contains(text, "©") || strings.Contains(strings.ToLower(text), "copyright")
		if !strings.ContainsAny(text, "0123456789٠١٢٣٤٥٦٧٨٩") || copyright != stamps ||
			saysUpdated(text) || rxMemberLabel.MatchString(text) {
			return false
		}
		if t, f := unlabelledDate(text); f && ok(t) && (best.IsZero() || dayBefore(t, best)) {
			best = t
		}
		return false
	})
	return best
}

// descriptionDate reads a whole day from the page's description, where a
// site that shows no date on the page may still state it ("ORSO MARSICANO:
// 2019 UN ANNO DA RECORD (Notizia del 14 Gennaio 2020)").
func descriptionDate(m *pageMeta, ok func(time.Time) bool) time.Time {
	for _, k := range [...]string{"description", "og:description", "twitter:description"} {
		if t, found := unlabelledDate(m.get(k)); found && ok(t) {
			return t
		}
	}
	return time.Time{}
}
