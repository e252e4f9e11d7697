package parser

import (
	"net/url"
	"regexp"
	"sort"
	"strings"
	"time"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Metadata keys holding the publication and modification dates, best first.
var (
	publishedKeys = []string{
		"article:published_time", "og:article:published_time", "article:published", "og:published_time",
		"itemprop:datepublished", "datepublished", "pubdate", "publishdate", "publish-date", "publish_date",
		"publication_date", "dc.date.issued", "dcterms.issued", "dc.date.created", "dcterms.created",
		"dc.date", "dcterms.date", "sailthru.date", "parsely-pub-date", "article.published",
		"itemprop:datecreated", "date", "original-publish-date", "published", "published-date",
		"published_date", "date_published", "publish_time", "pub_date", "release_date",
	}
	modifiedKeys = []string{
		"article:modified_time", "og:article:modified_time", "og:updated_time", "article:updated_time",
		"itemprop:datemodified", "datemodified", "itemprop:dateupdated", "dcterms.modified",
		"dc.date.modified", "lastmod", "last-modified",
	}
)

// Labels that introduce a date in text, folded by foldArabic and lower-cased.
// A label counts at the start of an element's text or before a colon.
var (
	rxPublishedLabel = regexp.MustCompile(`(?:^|[^\p{L}])(تاريخ النشر|نشر بتاريخ|نشر في|تم النشر|تاريخ الاضافه|first published|published on|published|posted on|posted|publié le|publié|veröffentlicht am|veröffentlicht|publicado el|publicado|date|التاريخ)\s*(:|：|-|–|\||في)?\s*`)
	rxModifiedLabel  = regexp.MustCompile(`(?:^|[^\p{L}])(اخر تحديث|تاريخ التحديث|تم التحديث|last updated|updated on|updated|last modified|modified|mis à jour le|mis à jour|aktualisiert am|aktualisiert|actualizado el|actualizado)\s*(:|：|-|–|\|)?\s*`)

	// rxURLDate finds /2024/07/25/ or /2024-07-25/ in a URL path.
	rxURLDate = regexp.MustCompile(`/((?:19|20)\d{2})[/-]([01]?\d)[/-]([0-3]?\d)(?:/|[-_]|$)`)
)

// maxLabelText bounds the text of an element searched for a labelled date:
// a byline, not a paragraph.
const maxLabelText = 200

// pageDates finds the publication and modification dates: structured
// metadata first (known keys, then namespaced publication keys), then
// labelled dates in the text of the pruned document, then a date in the
// URL, then date-looking elements: under the headline, by class, in the
// kicker above the headline, in byline and author blocks. Comments and
// tickers are gone from doc by then, so their dates cannot be taken.
//
// shownTimes are the <time> elements of the article as it was before
// pruning (see articleTimes): a last resort, after the URL, for pages
// whose only date sits in an aside or header of the article that pruning
// cut. cutBlocks (see datedBlocks) are searched last of all, for the same
// reason.
func pageDates(m *pageMeta, doc *html.Node, shownTimes, cutBlocks []*html.Node, u *url.URL, fetchedAt time.Time) (published, modified string) {
	var pub, mod time.Time
	ok := func(t time.Time) bool { return !t.IsZero() && plausibleDate(t, fetchedAt) }

	var pubVals, modVals []string
	if a := m.ld.Article; a != nil {
		pubVals, modVals = append(pubVals, a.DatePublished), append(modVals, a.DateModified)
	}
	if a := m.ld.Page; a != nil {
		pubVals, modVals = append(pubVals, a.DatePublished), append(modVals, a.DateModified)
	}
	for _, k := range publishedKeys {
		pubVals = append(pubVals, m.all(k)...)
	}
	for _, k := range modifiedKeys {
		modVals = append(modVals, m.all(k)...)
	}
	pub, pubSrc := firstDateOf(pubVals, ok)
	pub = localInstant(pub, pubVals)
	mod = firstDate(modVals, ok)
	ambiguous := ambiguousNumeric(pubSrc, pub)
	if !ok(pub) {
		pub = firstDate(m.publishedLike(), ok)
	}

	if !ok(pub) {
		pub = timeElementDate(doc, ok)
	}
	if !ok(pub) || !ok(mod) || ambiguous {
		tp, tm := labelledDates(doc, ok)
		// "03-09-2026" in metadata reads day first, but a US page means
		// March 9: when the page's own "Published March 9, 2026" shows the
		// other reading, the page's words settle it.
		if ambiguous && sameDay(tp, swapDayMonth(pub)) {
			pub = tp
		}
		if !ok(pub) {
			pub = tp
		}
		if !ok(mod) {
			mod = tm
		}
	}
	if !ok(pub) && u != nil {
		pub = urlDate(u.Path, ok)
	}
	if !ok(pub) {
		pub = firstTimeOf(shownTimes, ok)
	}
	if !ok(pub) {
		pub = headlineDate(doc, ok)
	}
	if !ok(pub) {
		pub = classDate(doc, ok)
	}
	if !ok(pub) {
		pub = kickerDate(doc, ok)
	}
	if !ok(pub) {
		pub = bylineDate(append([]*html.Node{doc}, cutBlocks...), ok)
	}
	if ok(pub) {
		published = formatDate(pub)
	}
	// A modification before publication is a template's mistake.
	if ok(mod) && (!ok(pub) || !mod.Before(pub)) {
		modified = formatDate(mod)
	}
	return published, modified
}

func firstDate(vals []string, ok func(time.Time) bool) time.Time {
	t, _ := firstDateOf(vals, ok)
	return t
}

// firstDateOf is firstDate that also returns the value the date was read
// from.
func firstDateOf(vals []string, ok func(time.Time) bool) (time.Time, string) {
	for _, v := range vals {
		if t, found := parseDate(v); found && ok(t) {
			return t, v
		}
	}
	return time.Time{}, ""
}

// ambiguousNumeric reports whether t was read from src as a numeric
// day-month-year date ("03-09-2026") whose day and month could be
// exchanged. ISO dates (year first) are never ambiguous.
func ambiguousNumeric(src string, t time.Time) bool {
	s := foldDigits(src)
	return swappable(t) && rxDMY.MatchString(s) && !rxYMD.MatchString(s)
}

// timeElementDate reads <time> elements (the datetime attribute, else the
// text), preferring one marked pubdate, else the first.
func timeElementDate(doc *html.Node, ok func(time.Time) bool) time.Time {
	var firstT time.Time
	for _, n := range elements(doc, atom.Time) {
		v := attr(n, "datetime")
		if v == "" {
			v = textOf(n, 100)
		}
		t, found := parseDate(v)
		if !found || !ok(t) {
			continue
		}
		if hasAttr(n, "pubdate") {
			return t
		}
		if firstT.IsZero() {
			firstT = t
		}
	}
	return firstT
}

// labelledDates scans short elements for "Published: <date>" and
// "Updated: <date>" in document order.
func labelledDates(doc *html.Node, ok func(time.Time) bool) (pub, mod time.Time) {
	walk(doc, func(n *html.Node) bool {
		if !pub.IsZero() && !mod.IsZero() {
			return false
		}
		if isInvisible(n) {
			return false
		}
		if n.Type != html.ElementNode || n.FirstChild == nil {
			return true
		}
		text := textOf(n, maxLabelText+1)
		if len([]rune(text)) > maxLabelText {
			return true // too long to be a byline; look inside
		}
		s := strings.ToLower(foldArabic(text))
		// A byline "By Ann Lee Published March 9, 2026" runs the name into
		// the label, which then opens no text: its own element, inside,
		// still does. Look inside when a label was seen but gave no date.
		var seenPub, seenMod bool
		if pub.IsZero() {
			pub, seenPub = labelDate(s, rxPublishedLabel, ok)
			seenPub = seenPub && pub.IsZero()
		}
		if mod.IsZero() {
			mod, seenMod = labelDate(s, rxModifiedLabel, ok)
			seenMod = seenMod && mod.IsZero()
		}
		return seenPub || seenMod
	})
	return pub, mod
}

// afterLabel parses the date that follows a label in s. The label must open
// the text or carry a separator, so "date" inside a sentence is no label.
func afterLabel(s string, rx *regexp.Regexp, ok func(time.Time) bool) time.Time {
	t, _ := labelDate(s, rx, ok)
	return t
}

// labelDate is afterLabel that also reports whether s holds the label at
// all, taken or not.
func labelDate(s string, rx *regexp.Regexp, ok func(time.Time) bool) (time.Time, bool) {
	ms := rx.FindAllStringSubmatchIndex(s, 4)
	for _, m := range ms {
		atStart := strings.TrimSpace(s[:m[2]]) == "" || strings.ContainsAny(s[max(0, m[2]-3):m[2]], "|•·")
		hasSep := m[4] >= 0
		if !atStart && !hasSep {
			continue
		}
		rest := s[m[1]:]
		if len(rest) > 80 {
			rest = rest[:80]
		}
		if t, found := findDate(rest); found && ok(t) {
			return t, true
		}
	}
	return time.Time{}, len(ms) > 0
}

func urlDate(path string, ok func(time.Time) bool) time.Time {
	m := rxURLDate.FindStringSubmatch(path)
	if m == nil {
		return time.Time{}
	}
	t := time.Date(atoi(m[1]), time.Month(atoi(m[2])), atoi(m[3]), 0, 0, 0, 0, time.UTC)
	if t.Day() != atoi(m[3]) || int(t.Month()) != atoi(m[2]) || !ok(t) {
		return time.Time{}
	}
	return t
}

// Bounds of the search for a bare date under the headline.
const (
	maxHeadlineDateSteps = 60  // elements visited after the h1
	maxBareDateText      = 60  // bytes of an element that is only a date
	maxBylineWords       = 8   // words of a byline with its date
	bodyStartText        = 300 // an element this long is the text: stop
)

// headlineDate takes a date standing alone in a short element just after
// the first h1 (the byline), before the article text starts. Dates above
// the headline, like an aggregator's display time, are not taken.
func headlineDate(doc *html.Node, ok func(time.Time) bool) time.Time {
	h1 := first(doc, atom.H1)
	if h1 == nil {
		return time.Time{}
	}
	var found time.Time
	steps, after, stop := 0, false, false
	walk(doc, func(n *html.Node) bool {
		switch {
		case stop || isInvisible(n):
			return false
		case n == h1:
			after = true
			return false
		case !after || n.Type != html.ElementNode:
			return true
		}
		if steps++; steps > maxHeadlineDateSteps {
			stop = true
			return false
		}
		text := textOf(n, bodyStartText+1)
		if len(text) > bodyStartText && n.DataAtom == atom.P {
			stop = true
			return false
		}
		if len(text) > maxBareDateText {
			return true
		}
		if t, f := findDate(text); f && ok(t) && wordCount(text) <= maxBylineWords {
			found, stop = t, true
			return false
		}
		return true
	})
	return found
}

// Bounds of the search for a bare date just above the headline.
const (
	maxKickerSiblings = 3 // element siblings looked at before the h1
	maxKickerLevels   = 2 // levels climbed from the h1
	maxKickerWords    = 6 // words of a date with its reading time at most
)

// rxClockAnywhere finds a time of day in text.
var rxClockAnywhere = regexp.MustCompile(`\d{1,2}:\d{2}`)

// kickerDate takes a date standing alone in the kicker just above the first
// h1: an element that precedes the headline inside its own header block
// ("January 23, 2025" over the title). Only near siblings of the h1 and of
// its parent are looked at, and the element must hold nothing but the date,
// so a display time or a ticker further up the page is not taken.
func kickerDate(doc *html.Node, ok func(time.Time) bool) time.Time {
	n := first(doc, atom.H1)
	for level := 0; n != nil && level < maxKickerLevels; level, n = level+1, n.Parent {
		seen := 0
		for s := n.PrevSibling; s != nil && seen < maxKickerSiblings; s = s.PrevSibling {
			if s.Type != html.ElementNode || isInvisible(s) {
				continue
			}
			seen++
			text := textOf(s, maxBareDateText+1)
			// A clock over the headline is a display time ("2025-02-16@21:10:59
			// GMT" on an aggregator), not the story's day, which a kicker
			// shows as a bare date.
			if len(text) > maxBareDateText || wordCount(text) > maxKickerWords || rxClockAnywhere.MatchString(text) {
				continue
			}
			if t, f := unlabelledDate(text); f && ok(t) {
				return t
			}
		}
	}
	return time.Time{}
}

// unlabelledDate finds a date in text that does not announce it as an
// update ("Last updated: Dec 12, 2025"): a modification is never taken as
// the publication.
func unlabelledDate(text string) (time.Time, bool) {
	if rxModifiedLabel.MatchString(strings.ToLower(foldArabic(text))) {
		return time.Time{}, false
	}
	return findDate(text)
}

// dateTokens mark elements that show a page's date without a label.
var dateTokens = map[string]bool{
	"date": true, "published": true, "pubdate": true, "publish": true, "posted": true,
	"timestamp": true, "dateline": true, "post-date": true, "entry-date": true, "article-date": true,
}

// classDate takes the first date from a short element whose class or id
// says it shows a date.
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
			if t, f := findDate(text); f && ok(t) {
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

// firstTimeOf reads the first plausible date among <time> elements.
func firstTimeOf(times []*html.Node, ok func(time.Time) bool) time.Time {
	for _, n := range times {
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

// publishedLike returns, in key order, the values of metadata keys that are
// not among publishedKeys but name a publication date or time
// ("w-published-date", "cXenseParse:recs:publishtime"): sites prefix the
// common names with their own namespace. Keys that also speak of a
// modification are left out, so an update is not taken as the publication.
func (m *pageMeta) publishedLike() []string {
	var keys []string
	for k := range m.meta {
		if strings.Contains(k, "publish") && (strings.Contains(k, "date") || strings.Contains(k, "time")) &&
			!strings.Contains(k, "modif") && !strings.Contains(k, "updat") {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys) // map order is random; the result must not be
	var out []string
	for _, k := range keys {
		out = append(out, m.all(k)...)
	}
	return out
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
			if dated || inByline {
				if text := textOf(n, maxShownDateText); text != "" && len(text) < maxShownDateText {
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

// swappable reports whether t could have been read from a numeric date
// whose day and month are ambiguous: both at most 12 and not equal.
func swappable(t time.Time) bool {
	return !t.IsZero() && t.Day() <= 12 && int(t.Month()) != t.Day()
}

// swapDayMonth returns t with its day and month exchanged; t must be
// swappable.
func swapDayMonth(t time.Time) time.Time {
	return time.Date(t.Year(), time.Month(t.Day()), int(t.Month()), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), t.Location())
}

// sameDay reports whether a and b fall on the same calendar day, each in
// its own offset.
func sameDay(a, b time.Time) bool {
	if a.IsZero() || b.IsZero() {
		return false
	}
	ay, am, ad := a.Date()
	by, bm, bd := b.Date()
	return ay == by && am == bm && ad == bd
}

// localInstant returns t as another of vals gives the same instant in a
// local offset, when t itself is in UTC: a JSON-LD "2017-02-24T01:18:13Z"
// and an article:published_time "2017-02-23T17:18:13-08:00" are one
// moment, but the page was published on the 23rd where it was written,
// and that is the day its readers see.
func localInstant(t time.Time, vals []string) time.Time {
	if t.IsZero() {
		return t
	}
	if _, off := t.Zone(); off != 0 {
		return t
	}
	for _, v := range vals {
		if l, found := parseDate(v); found && l.Equal(t) {
			if _, off := l.Zone(); off != 0 {
				return l
			}
		}
	}
	return t
}
