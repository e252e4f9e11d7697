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

	// rxPublishedOnly finds a label that names the publication itself.
	rxPublishedOnly = regexp.MustCompile(`(?:^|[^\p{L}])(تاريخ النشر|نشر بتاريخ|نشر في|تم النشر|published|posted|publié|veröffentlicht|publicado)`)

	// rxURLDate finds /2024/07/25/ or /2024-07-25/ in a URL path.
	rxURLDate = regexp.MustCompile(`/((?:19|20)\d{2})[/-]([01]?\d)[/-]([0-3]?\d)(?:/|[-_]|$)`)
)

// maxLabelText bounds the text of an element searched for a labelled date:
// a byline, not a paragraph.
const maxLabelText = 200

// shownDates holds what the date search reads before pruning cuts
// regions of the page: the <time> elements of the article (see
// articleTimes), the cut blocks that may show its date (see datedBlocks)
// and the date shown with its headline (see headlineShownDate).
type shownDates struct {
	times, blocks []*html.Node
	headline      time.Time
}

// pageDates finds the publication and modification dates: structured
// metadata first (known keys, then namespaced publication keys), then
// labelled dates in the text of the pruned document, then a date in the
// URL, then date-looking elements: with the headline, by class, in byline
// and author blocks. Comments and tickers are gone from doc by then, so
// their dates cannot be taken.
//
// shown.times is a last resort, after the URL, for pages whose only date
// sits in an aside or header of the article that pruning cut; shown.blocks
// are searched last of all, for the same reason.
//
// A page is republished, imported or re-saved later, never earlier: when
// the date shown with the headline is an earlier day than the one found,
// it is the first publication and wins (see earlierShown).
func pageDates(m *pageMeta, doc *html.Node, shown shownDates, u *url.URL, fetchedAt time.Time) (published, modified string) {
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
		pub = firstTimeOf(shown.times, ok)
	}
	if !ok(pub) {
		pub = shown.headline
	}
	if !ok(pub) {
		pub = classDate(doc, ok)
	}
	if !ok(pub) {
		pub = bylineDate(append([]*html.Node{doc}, shown.blocks...), ok)
	}
	pub = earlierShown(pub, mod, shown.headline, doc, ok)
	if !ok(pub) && ok(mod) {
		// No publication date anywhere: the update is the best bound of
		// when the article appeared, and modified says the same day.
		pub = mod
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

// earlierShown returns the date the page shows as its publication, the one
// with its headline or else a <time pubdate>, when that is an earlier day
// than pub: metadata that gives a later day holds an import or a re-save,
// as an update only ever moves a date later. Otherwise pub stands, and a
// shown date on the day of the modification is never taken.
func earlierShown(pub, mod, headline time.Time, doc *html.Node, ok func(time.Time) bool) time.Time {
	if !ok(pub) {
		return pub
	}
	shown := headline
	if !ok(shown) {
		shown = markedTime(doc, ok)
	}
	// "03/01/2017" read day first is pub's March 1 spelled the US way.
	sameSpelledOtherWay := swappable(shown) && sameDay(swapDayMonth(shown), pub)
	if ok(shown) && dayBefore(shown, pub) && !sameDay(shown, mod) && !sameSpelledOtherWay {
		return shown
	}
	return pub
}

// markedTime reads the first <time> element marked pubdate.
func markedTime(doc *html.Node, ok func(time.Time) bool) time.Time {
	for _, n := range elements(doc, atom.Time) {
		if hasAttr(n, "pubdate") {
			if t, found := parseDate(attr(n, "datetime")); found && ok(t) {
				return t
			}
		}
	}
	return time.Time{}
}

// dayBefore reports whether a falls on an earlier calendar day than b, each
// in its own offset.
func dayBefore(a, b time.Time) bool {
	ay, am, ad := a.Date()
	by, bm, bd := b.Date()
	return time.Date(ay, am, ad, 0, 0, 0, 0, time.UTC).Before(time.Date(by, bm, bd, 0, 0, 0, 0, time.UTC))
}

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
// text), preferring one marked pubdate, else the first. A <time> shown as
// an update ("Updated <time>…</time>") is not the publication.
func timeElementDate(doc *html.Node, ok func(time.Time) bool) time.Time {
	var firstT time.Time
	for _, n := range elements(doc, atom.Time) {
		if shownAsUpdate(n) {
			continue
		}
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

// shownAsUpdate reports a <time> whose text, or its parent's short text,
// carries an update label.
func shownAsUpdate(n *html.Node) bool {
	for _, e := range []*html.Node{n, n.Parent} {
		if e == nil {
			continue
		}
		if text := textOf(e, maxBareDateText+1); len(text) <= maxBareDateText && saysUpdated(text) {
			return true
		}
	}
	return false
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
		if len(text) > maxBareDateText {
			return true
		}
		if saysUpdated(text) {
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
		text = textOf(n, maxBareDateText+1)
	}
	if len(text) > maxBareDateText || wordCount(text) > maxBylineWords {
		return time.Time{}, false
	}
	t, f := unlabelledDate(text)
	if !f || !ok(t) {
		return time.Time{}, false
	}
	if tm := first(n, atom.Time); tm != nil {
		if d, found := parseDate(attr(tm, "datetime")); found && ok(d) {
			return d, true
		}
	}
	return t, true
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
// update: only the text before an update label is read, so "Last updated:
// Dec 12, 2025" gives none and "Published March 9 · Updated March 10"
// gives March 9. A modification is never taken as the publication.
func unlabelledDate(text string) (time.Time, bool) {
	return findDate(beforeUpdate(text))
}

// beforeUpdate returns text, folded, up to its first update label.
func beforeUpdate(text string) string {
	s := strings.ToLower(foldArabic(text))
	if loc := rxModifiedLabel.FindStringIndex(s); loc != nil {
		return s[:loc[0]]
	}
	return s
}

// saysUpdated reports text whose date is an update: an update label comes
// before any date, and no publication label is there. The <time> inside
// "Updated <time>…</time>" is then the update too, so searches do not look
// inside; in "Updated Mar 10 · Published Mar 9" they do.
func saysUpdated(text string) bool {
	s := strings.ToLower(foldArabic(text))
	loc := rxModifiedLabel.FindStringIndex(s)
	if loc == nil || rxPublishedOnly.MatchString(s) {
		return false
	}
	_, dated := findDate(s[:loc[0]])
	return !dated
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
