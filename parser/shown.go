package parser

import (
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// This file holds the dates the page shows in its text: with the headline,
// in the kicker above it, in byline, author and date-classed elements.

// headlineShownDate finds, before pruning, the date the page shows with
// its headline: in the byline under it, else in the kicker above it (see
// headlineDate, kickerDate). Regions that show other stories or the site
// (related, most read, tickers, comments, menus, asides, ads) are not
// searched; share and newsletter bars are, as a byline often sits in one.
func headlineShownDate(doc *html.Node, blocks []block, title string, fetchedAt time.Time) time.Time {
	ok := func(t time.Time) bool { return !t.IsZero() && plausibleDate(t, fetchedAt) }
	skip := map[*html.Node]bool{}
	for _, b := range blocks {
		if b.kind == kindShare || b.kind == kindNewsletter {
			continue
		}
		skip[b.node] = true
		for _, s := range b.siblings {
			skip[s] = true
		}
	}
	h := headlineNode(doc, title, skip)
	if t := headlineDate(doc, h, skip, ok); !t.IsZero() {
		return t
	}
	return kickerDate(h, skip, ok)
}

// maxHeadlineScan bounds the elements headlineNode reads when looking for
// a headline that is not an h1.
const maxHeadlineScan = 3000

// headlineNode returns the element that shows the article's headline: the
// first h1 that agrees with the title (see minHeadlineAgreement), else,
// when no h1 does (the h1 is the site's name), the first element outside
// links whose whole text is the title (a <legend>, a styled div), else the
// first h1.
func headlineNode(doc *html.Node, title string, skip map[*html.Node]bool) *html.Node {
	h1s := elements(doc, atom.H1)
	if title == "" {
		return firstOf(h1s)
	}
	for _, h := range h1s {
		if wordOverlap(textOf(h, maxShownDateText), title) >= minHeadlineAgreement {
			return h
		}
	}
	want := squash(title)
	var found *html.Node
	steps := 0
	walk(doc, func(n *html.Node) bool {
		if steps++; found != nil || steps > maxHeadlineScan || isInvisible(n) || skip[n] || n.DataAtom == atom.A {
			return false
		}
		if n.Type == html.ElementNode && n.DataAtom != atom.Title {
			if t := textOf(n, 2*len(title)+1); len(t) <= 2*len(title) && squash(t) == want {
				found = n
				return false
			}
		}
		return true
	})
	if found != nil {
		return found
	}
	return firstOf(h1s)
}

func firstOf(ns []*html.Node) *html.Node {
	if len(ns) == 0 {
		return nil
	}
	return ns[0]
}

// Bounds of the search for a bare date under the headline.
const (
	maxHeadlineDateSteps = 60  // elements visited after the h1
	maxBareDateText      = 60  // runes of an element that is only a date (see bareText)
	maxBylineWords       = 8   // words of a byline with its date
	bodyStartText        = 300 // an element this long is the text: stop
)

// headlineDate takes a date standing alone in a short element just after
// the headline h (the byline), before the article text starts. Dates
// above the headline, like an aggregator's display time, are not taken,
// nor an "Updated" date, nor anything in the regions of skip. A long
// paragraph right after the headline is its standfirst, which a byline
// may follow; the next one starts the text.
func headlineDate(doc, h *html.Node, skip map[*html.Node]bool, ok func(time.Time) bool) time.Time {
	if h == nil {
		return time.Time{}
	}
	standfirst := nextElement(h)
	var found time.Time
	steps, after, stop := 0, false, false
	walk(doc, func(n *html.Node) bool {
		switch {
		case stop || isInvisible(n) || skip[n]:
			return false
		case n == h:
			after = true
			return false
		case after && n.Type == html.TextNode && contains(n.Parent, h):
			// A date written loose beside the headline, in its container:
			// <legend>Headline</legend> 20 December 2025.
			found, stop = bareDate(n, ok)
			return false
		case !after || n.Type != html.ElementNode:
			return true
		}
		if steps++; steps > maxHeadlineDateSteps {
			stop = true
			return false
		}
		text := textOf(n, bodyStartText+1)
		if len(text) > bodyStartText && n.DataAtom == atom.P && n != standfirst {
			stop = true
			return false
		}
		if utf8.RuneCountInString(text) > maxBareDateText {
			return true
		}
		if saysUpdated(text) || markedUpdate(n) || rxMemberLabel.MatchString(text) {
			return false // the <time> inside "Updated <time>…" is the update too
		}
		found, stop = bareDate(n, ok)
		return !stop
	})
	return found
}

// bareDate reads the date of a short byline text n (an element or a text
// node): a few words at most, not an "Updated" date. A <time> that n is or
// holds gives its datetime, which does not depend on how the page spells
// the day ("03/01/2017" in a US page).
func bareDate(n *html.Node, ok func(time.Time) bool) (time.Time, bool) {
	text := normalizeSpace(n.Data)
	if n.Type == html.ElementNode {
		text, _ = bareText(n)
	}
	if utf8.RuneCountInString(text) > maxBareDateText || wordCount(text) > maxBylineWords {
		return time.Time{}, false
	}
	t, f := unlabelledDate(text)
	if !f || !ok(t) {
		return time.Time{}, false
	}
	if lt := afterLabel(strings.ToLower(foldArabic(text)), rxPublishedLabel, ok); !lt.IsZero() {
		return lt, true // "Publié le 29 juin 2019" says it in words
	}
	if tm := first(n, atom.Time); tm != nil {
		if d, found := parseDate(attr(tm, "datetime")); found && ok(d) {
			return d, true
		}
	}
	return t, true
}

// bareText returns n's text and whether it is short enough to be only a
// date, a byline or a label: at most maxBareDateText runes. The bound
// counts runes, not bytes, since an Arabic letter or digit takes two bytes:
// in bytes, "الثلاثاء ١٢ مارس ٢٠٢٤ بقلم: أحمد علي" was too long where the
// same dateline in English was not.
func bareText(n *html.Node) (string, bool) {
	t := textOf(n, utf8.UTFMax*(maxBareDateText+1))
	return t, utf8.RuneCountInString(t) <= maxBareDateText
}

// Bounds of the search for a bare date just above the headline.
const (
	maxKickerSiblings = 3 // element siblings looked at before the headline
	maxKickerLevels   = 2 // levels climbed from the headline
	maxKickerWords    = 6 // words of a date with its reading time at most
)

// rxClockAnywhere finds a time of day in text.
var rxClockAnywhere = regexp.MustCompile(`\d{1,2}:\d{2}`)

// kickerDate takes a date standing alone in the kicker just above the
// headline h: an element that precedes the headline inside its own header
// block ("January 23, 2025" over the title). Only near siblings of h and of
// its parent are looked at, and the element must hold nothing but the date,
// so a display time or a ticker further up the page is not taken.
func kickerDate(h *html.Node, skip map[*html.Node]bool, ok func(time.Time) bool) time.Time {
	n := h
	for level := 0; n != nil && level < maxKickerLevels; level, n = level+1, n.Parent {
		seen := 0
		for s := n.PrevSibling; s != nil && seen < maxKickerSiblings; s = s.PrevSibling {
			if s.Type != html.ElementNode || isInvisible(s) || skip[s] {
				continue
			}
			seen++
			text, short := bareText(s)
			// A clock over the headline is a display time ("2025-02-16@21:10:59
			// GMT" on an aggregator), not the story's day, which a kicker
			// shows as a bare date.
			if !short || wordCount(text) > maxKickerWords || rxClockAnywhere.MatchString(text) {
				continue
			}
			if t, f := unlabelledDate(text); f && ok(t) {
				return t
			}
		}
	}
	return time.Time{}
}

// dateTokens mark elements that show a page's date without a label.
var dateTokens = map[string]bool{
	"date": true, "published": true, "pubdate": true, "publish": true, "posted": true,
	"timestamp": true, "dateline": true, "post-date": true, "entry-date": true, "article-date": true,
}

// classDate takes the first date from a short element whose class or id
// says it shows a date, unless the text says it is an update.
func classDate(doc *html.Node, ok func(time.Time) bool) time.Time {
	var found time.Time
	walk(doc, func(n *html.Node) bool {
		if !found.IsZero() || isInvisible(n) {
			return false
		}
		if n.Type != html.ElementNode {
			return true
		}
		marked := false
		for _, t := range classTokens(n) {
			if dateTokens[t] {
				marked = true
				break
			}
		}
		if !marked {
			return true
		}
		if text := textOf(n, 120); len(text) < 120 {
			if saysUpdated(text) {
				return false
			}
			if t, f := unlabelledDate(text); f && ok(t) {
				found = t
				return false
			}
		}
		return true
	})
	return found
}

// articleTimes lists the <time> elements inside the page's first <article>
// element, leaving out those in blocks that show other stories' or
// readers' dates (related lists, most-read, tickers, comments). It runs
// before pruning.
func articleTimes(doc *html.Node, blocks []block) []*html.Node {
	art := first(doc, atom.Article)
	if art == nil {
		return nil
	}
	foreign := map[*html.Node]bool{}
	for _, b := range blocks {
		switch b.kind {
		case kindRelated, kindPopular, kindTicker, kindComments:
			foreign[b.node] = true
		}
	}
	var out []*html.Node
	walk(art, func(n *html.Node) bool {
		if foreign[n] {
			return false
		}
		if n.Type == html.ElementNode && n.DataAtom == atom.Time {
			out = append(out, n)
		}
		return true
	})
	return out
}

// firstTimeOf reads the first plausible date among <time> elements that
// are not shown as an update.
func firstTimeOf(times []*html.Node, ok func(time.Time) bool) time.Time {
	for _, n := range times {
		if shownAsUpdate(n) {
			continue
		}
		v := attr(n, "datetime")
		if v == "" {
			v = textOf(n, 100)
		}
		if t, found := parseDate(v); found && ok(t) {
			return t
		}
	}
	return time.Time{}
}

// bylineTokens mark the blocks that carry the author's name and the date.
var bylineTokens = map[string]bool{"byline": true, "author": true, "authors": true}

// datedBlocks lists, before pruning, the blocks that pruning cuts but that
// may still show the page's own date: a header, an aside or share bar next
// to the byline, a <footer> inside the article ("By … | date"). Blocks
// that show other stories' or readers' dates (related lists, most-read,
// tickers, comments, menus, ads) and the page's footer are left out. The
// search itself waits until no other source gave a date (see bylineDate),
// so that pages that declare one pay nothing for it.
func datedBlocks(blocks []block) []*html.Node {
	var out []*html.Node
	for _, b := range blocks {
		switch b.kind {
		case kindRelated, kindPopular, kindTicker, kindComments, kindNav, kindAd:
			continue
		case kindFooter:
			if !hasAncestor(b.node, atom.Article) {
				continue
			}
		}
		out = append(out, b.node)
	}
	return out
}

// footerBlocks returns the page footers among the blocks pruning cuts.
func footerBlocks(blocks []block) []*html.Node {
	var out []*html.Node
	for _, b := range blocks {
		if b.kind == kindFooter {
			out = append(out, b.node)
		}
	}
	return out
}

// bylineDate takes, from the pruned document and then from the blocks
// pruning cut (see datedBlocks), the first date shown alone in a short
// element whose class or id says date (see dateTokens, plus
// "publication") or that sits in a byline or author block. An "Updated"
// date is not taken.
func bylineDate(roots []*html.Node, ok func(time.Time) bool) time.Time {
	var found time.Time
	var visit func(n *html.Node, inByline bool)
	visit = func(n *html.Node, inByline bool) {
		if !found.IsZero() || isInvisible(n) {
			return
		}
		if n.Type == html.ElementNode {
			dated := false
			for _, t := range classTokens(n) {
				dated = dated || dateTokens[t] || t == "publication"
				inByline = inByline || bylineTokens[t]
			}
			inByline = inByline || opensByline(n)
			if dated || inByline {
				if text := textOf(n, maxShownDateText); text != "" && len(text) < maxShownDateText {
					if saysUpdated(text) {
						return
					}
					if t, f := unlabelledDate(text); f && ok(t) {
						found = t
						return
					}
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			visit(c, inByline)
		}
	}
	for _, r := range roots {
		visit(r, false)
	}
	return found
}

// rxBylineOpener finds a byline's opening word, in the languages of
// monthNames and moreMonthNames, before a capitalised name, at the start of
// a text or after a separator: "By Ann Lee", "Accueil | Par Loïc Le
// Clerc", "Von Björn Jahner", "Por María", "Di Marco", "Door Jan".
var rxBylineOpener = regexp.MustCompile(`(?:^|[|•·,–—]\s*)(?:By|by|BY|Par|par|Von|von|Por|por|Di|di|Door|door|Av|av|Af|af|Od|od|Autor:|Author:|Автор:|Текст:)\s+\p{Lu}`)

// opensByline reports a short element whose own text reads as a byline
// (see rxBylineOpener), whatever its class: the name and the date often
// share one line with no byline class at all.
func opensByline(n *html.Node) bool {
	if n.FirstChild == nil {
		return false
	}
	text := textOf(n, maxShownDateText)
	return len(text) < maxShownDateText && rxBylineOpener.MatchString(text)
}

// maxShownDateText bounds the text of an element taken by bylineDate.
const maxShownDateText = 120

// hasAncestor reports whether n sits inside an element of type a.
func hasAncestor(n *html.Node, a atom.Atom) bool {
	for p := n.Parent; p != nil; p = p.Parent {
		if p.Type == html.ElementNode && p.DataAtom == a {
			return true
		}
	}
	return false
}

// maxDatelineHead bounds the opening of a paragraph read as its dateline:
// a place and a date, "Berlin, 28.10.2021" or "29.11.2022".
const maxDatelineHead = 50

// rxDatelineEnd ends a dateline: a dash, a colon or a bar after it.
// rxOpeningDate is a numeric date that opens a paragraph by itself.
var (
	rxDatelineEnd = regexp.MustCompile(`\s[–—-]\s|:\s|\s\|\s|\s\(`)
	rxOpeningDate = regexp.MustCompile(`^\d{1,4}[./-]\d{1,2}[./-]\d{1,4}\s`)
)

// datelineDate reads the dateline that opens the article's first
// paragraph, as press releases and wire copy write it: "29.11.2022 –
// Mehrfach und vehement…", "Berlin, 28.10.2021 - Vor Beginn…". The
// paragraphs are the <p> of at least minDatelinePara bytes of text; the
// first may be the standfirst, so the second is read too.
func datelineDate(doc *html.Node, ok func(time.Time) bool) time.Time {
	var found time.Time
	seen := 0
	walk(doc, func(n *html.Node) bool {
		if seen == 2 || !found.IsZero() || isInvisible(n) {
			return false
		}
		if n.Type != html.ElementNode || n.DataAtom != atom.P {
			return true
		}
		text := textOf(n, bodyStartText)
		if len(text) < minDatelinePara {
			return false
		}
		seen++
		head := text[:min(len(text), maxDatelineHead+4)]
		if loc := rxDatelineEnd.FindStringIndex(head); loc != nil && loc[0] <= maxDatelineHead {
			head = head[:loc[0]]
		} else if m := rxOpeningDate.FindString(text); m != "" {
			head = m // "01.02.2022 „Der Arbeitsmarkt…": the paragraph opens on the date
		} else {
			return false
		}
		if t, f := unlabelledDate(head); f && ok(t) {
			found = t
		}
		return false
	})
	return found
}

// minDatelinePara is the text (bytes) of a paragraph of the article, not a
// caption or a byline.
const minDatelinePara = 100
