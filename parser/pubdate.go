package parser

import (
	"net/url"
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

// shownDates holds what the date search reads before pruning cuts
// regions of the page: the <time> elements of the article (see
// articleTimes), the cut blocks that may show its date (see datedBlocks),
// the date shown with its headline (see headlineShownDate), the page
// footers cut (see stampDate) and the decoded page, for go-htmldate (see
// htmldateDay).
type shownDates struct {
	times, blocks, footers []*html.Node
	headline               time.Time
	page                   string
}

// pageDates finds the publication and modification dates, in tiers, each
// consulted only when those before it found nothing:
//
//  1. structured data: JSON-LD, the metadata and microdata keys, then
//     namespaced publication keys (see structuredDates);
//  2. the page's <time> elements, then labelled dates in its text
//     ("Published:", "Veröffentlicht am", "نشر في", see labelledDates);
//  3. a full date in the URL;
//  4. dates shown without a label: in a <time> of the article that pruning
//     cut, with the headline, in date-classed elements, in bylines (by
//     class, or opening "By", "Par", "Von"…), in a template's closing
//     sentence ("This entry was posted on…"), in the dateline that opens
//     the first paragraph;
//  5. the modification date, when the page gives no publication date;
//  6. go-htmldate in its fast mode, on the pruned page then on the whole
//     one (see htmldateDay);
//  7. the earliest date in the page's short text segments (see
//     freeTextDate);
//  8. a whole day in the page's description, then a copyright line's
//     stamp of a whole day (see descriptionDate, stampDate).
//
// Comments, tickers and related lists are gone from doc by then, so their
// dates cannot be taken. Two dates the page shows correct what tiers 1–4
// found: a full date in the URL wins over any other day (see onURLDay);
// otherwise the date shown with the headline may (see shownDay).
func pageDates(m *pageMeta, doc *html.Node, shown shownDates, u *url.URL, fetchedAt time.Time) (published, modified string) {
	ok := func(t time.Time) bool { return !t.IsZero() && plausibleDate(t, fetchedAt) }
	pub, mod, ambiguous := structuredDates(m, shown.headline, ok)

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
	var urlDay time.Time
	if u != nil {
		urlDay = urlDate(u.Path, ok)
	}
	if !ok(pub) {
		pub = urlDay
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
	if !ok(pub) {
		pub = phraseDate(append([]*html.Node{doc}, shown.blocks...), ok)
	}
	if !ok(pub) {
		pub = datelineDate(doc, ok)
	}
	if ok(urlDay) {
		pub = onURLDay(pub, urlDay)
	} else {
		pub = shownDay(pub, mod, shown.headline, doc, ok)
	}
	if !ok(pub) && ok(mod) {
		// No publication date anywhere: the update is the best bound of
		// when the article appeared, and modified says the same day.
		pub = mod
	}
	if !ok(pub) {
		pub = htmldateDay(shown.page, doc, u, fetchedAt, ok)
	}
	if !ok(pub) {
		pub = freeTextDate(doc, ok)
	}
	if !ok(pub) {
		pub = descriptionDate(m, ok)
	}
	if !ok(pub) {
		pub = stampDate(append([]*html.Node{doc}, shown.footers...), ok)
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

// structuredDates reads the publication and modification dates the page
// declares in JSON-LD, metadata and microdata, and reports whether the
// publication was read from a numeric date whose day and month could be
// exchanged (see ambiguousNumeric).
//
// When the JSON-LD and the metadata give different days, the date shown
// with the headline settles it; without one, the metadata stands, as
// htmldate has it: JSON-LD is often written by a plugin from another field
// than the one the page shows (a draft's creation, a local time marked as
// UTC). The same instant in two offsets is no disagreement (see
// localInstant).
func structuredDates(m *pageMeta, headline time.Time, ok func(time.Time) bool) (pub, mod time.Time, ambiguous bool) {
	var ldVals, metaVals, modVals []string
	for _, a := range []*ldArticle{m.ld.Article, m.ld.Page} {
		if a != nil {
			ldVals, modVals = append(ldVals, a.DatePublished), append(modVals, a.DateModified)
		}
	}
	for _, k := range publishedKeys {
		metaVals = append(metaVals, m.all(k)...)
	}
	for _, k := range modifiedKeys {
		modVals = append(modVals, m.all(k)...)
	}
	pub, src := firstDateOf(ldVals, ok)
	if metaPub, metaSrc := firstDateOf(metaVals, ok); ok(metaPub) &&
		(!ok(pub) || !sameDay(pub, metaPub) && !pub.Equal(metaPub) && !sameDay(pub, headline)) {
		pub, src = metaPub, metaSrc
	}
	pub = localInstant(pub, append(ldVals, metaVals...))
	mod = firstDate(modVals, ok)
	ambiguous = ambiguousNumeric(src, pub)
	if !ok(pub) {
		pub = firstDate(m.publishedLike(), ok)
	}
	return pub, mod, ambiguous
}

// onURLDay returns pub when it falls on urlDay, the full date in the
// page's URL, and urlDay otherwise. The URL is written once, when the story
// is filed, in the site's own calendar: metadata in UTC puts a story filed
// at 00:30 in Rome on the day before, a re-import puts it years later, and
// a date shown earlier than the URL's is another story's.
func onURLDay(pub, urlDay time.Time) time.Time {
	if sameDay(pub, urlDay) {
		return pub
	}
	return urlDay
}

// shownDay returns the date the page shows as its publication, the one
// with its headline or else a <time pubdate>, instead of pub, the date the
// tiers found, when the two days differ in one of two ways:
//
//   - the shown day is earlier: a page is republished, imported or re-saved
//     later, never earlier, so metadata that gives a later day holds the
//     re-save (unless the shown day is the modification's, or pub spelled
//     the other way round, "03/01/2017");
//   - the headline's day is later by at most maxDraftLead, and it is the
//     day the metadata last saved the page, or the metadata declares no
//     save: the earlier metadata day is the draft's, written days before
//     the story went out.
//
// Otherwise pub stands: a shown day weeks after it is an update.
func shownDay(pub, mod, headline time.Time, doc *html.Node, ok func(time.Time) bool) time.Time {
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
	if ok(shown) && sameDay(shown, headline) && dayBefore(pub, shown) && !sameSpelledOtherWay &&
		shown.Sub(pub) <= maxDraftLead && (sameDay(shown, mod) || !ok(mod)) {
		if sameDay(shown, mod) {
			return mod
		}
		return shown
	}
	return pub
}

// maxDraftLead is how much earlier than the day shown with the headline a
// metadata publication may be and still be the draft's (see shownDay):
// two weeks, and a day and a half for the offsets.
const maxDraftLead = 14*24*time.Hour + 36*time.Hour

// markedTime reads the first <time> element marked pubdate.
func markedTime(doc *html.Node, ok func(time.Time) bool) time.Time {
	for _, n := range elements(doc, atom.Time) {
		if hasAttr(n, "pubdate") && !markedUpdate(n) {
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

func urlDate(path string, ok func(time.Time) bool) time.Time {
	m := rxURLDate.FindStringSubmatch(path)
	if m == nil {
		return time.Time{}
	}
	month := urlMonth(m[2])
	t := time.Date(atoi(m[1]), time.Month(month), atoi(m[3]), 0, 0, 0, 0, time.UTC)
	if t.Day() != atoi(m[3]) || int(t.Month()) != month || !ok(t) {
		return time.Time{}
	}
	return t
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
