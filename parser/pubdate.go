package parser

import (
	"net/url"
	"regexp"
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
// metadata first, then labelled dates in the text of the pruned document,
// then a date in the URL, then date-looking elements. Comments and tickers
// are gone from doc by then, so their dates cannot be taken.
//
// shownTimes are the <time> elements of the article as it was before
// pruning (see articleTimes): a last resort, after the URL, for pages
// whose only date sits in an aside or header of the article that pruning
// cut.
func pageDates(m *pageMeta, doc *html.Node, shownTimes []*html.Node, u *url.URL, fetchedAt time.Time) (published, modified string) {
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
	pub = firstDate(pubVals, ok)
	mod = firstDate(modVals, ok)

	if !ok(pub) {
		pub = timeElementDate(doc, ok)
	}
	if !ok(pub) || !ok(mod) {
		tp, tm := labelledDates(doc, ok)
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
	for _, v := range vals {
		if t, found := parseDate(v); found && ok(t) {
			return t
		}
	}
	return time.Time{}
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
		if pub.IsZero() {
			pub = afterLabel(s, rxPublishedLabel, ok)
		}
		if mod.IsZero() {
			mod = afterLabel(s, rxModifiedLabel, ok)
		}
		return false
	})
	return pub, mod
}

// afterLabel parses the date that follows a label in s. The label must open
// the text or carry a separator, so "date" inside a sentence is no label.
func afterLabel(s string, rx *regexp.Regexp, ok func(time.Time) bool) time.Time {
	for _, m := range rx.FindAllStringSubmatchIndex(s, 4) {
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
			return t
		}
	}
	return time.Time{}
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
