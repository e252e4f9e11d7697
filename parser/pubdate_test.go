package parser

import (
	"strings"
	"testing"
	"time"

	"github.com/trawler/trawler"
)

// TestDateInArticleAside checks the last-resort date: a <time> in an aside
// of the article, which pruning removes, is still the page's date, while a
// related list's earlier dates do not replace the article's own.
func TestDateInArticleAside(t *testing.T) {
	prose := strings.Repeat(longText+" ", 3)
	for _, tc := range []struct {
		name, page, want string
	}{
		{"aside in the article", `<article><h1>A brief intro to git</h1><aside><time datetime="2021-06-06">June 6</time></aside><p>` + prose + `</p></article>`, "2021-06-06"},
		{"related list beside the article's own", `<article><h1>A brief intro to git</h1><p>` + prose + `</p><p>Posted on 7 March 2021</p><div class="related-posts"><h3>Related</h3><ul><li><a href="/p/1">Another story about git and more</a> <time datetime="2020-01-02">Jan 2</time></li></ul></div></article>`, "2021-03-07"},
	} {
		art, _, err := Parse(trawler.Page{URL: "https://blog.example.com/posts/git", Body: []byte(tc.page), FetchedAt: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)})
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Split(art.Published, "T")[0]; got != tc.want {
			t.Errorf("%s: published %q, want %q", tc.name, art.Published, tc.want)
		}
	}
}

// TestShownDates checks the visible dates taken when a page declares none:
// a kicker just above the headline, a byline block (even a <footer> inside
// the article, which pruning cuts), a class that says publication, and
// never an "Updated" date as the publication while another date is shown.
// A display time, a date far above the headline or in the site's footer is
// no date shown with the headline: it does not replace the declared one
// (an earlier day shown with the headline would). On a page that gives no
// other date, the last-resort tiers may still take it, as htmldate does.
func TestShownDates(t *testing.T) {
	prose := strings.Repeat(longText+" ", 3)
	byline := `<article><footer class="author__meta">By <a href="/u/a">Ann Lee</a> <span class="author__meta-date">March 30, 2023</span></footer><p>` + longText + `</p></article>`
	for _, tc := range []struct {
		name, page, want string
	}{
		{"kicker above the h1", `<div class="hero"><h5 class="preheadline">January 23, 2025</h5><h1>A brief intro to git</h1></div><p>` + prose + `</p>`, "2025-01-23"},
		{"kicker with reading time", `<div><div><span>Dec 12, 2025</span> <span>4 min read</span></div><h1>A brief intro to git</h1></div><p>` + prose + `</p>`, "2025-12-12"},
		{"display time over the headline", `<meta property="article:published_time" content="2025-06-01"><div class="top"><span>Source:</span> <span>2025-02-16@21:10:59 GMT</span></div><h1>A brief intro to git</h1><p>` + prose + `</p>`, "2025-06-01"},
		{"kicker says updated", `<div><div>Last updated: Dec 12, 2025</div><h1>A brief intro to git</h1></div><p>` + prose + `</p>` + byline, "2023-03-30"},
		{"date far above the h1", `<meta property="article:published_time" content="2025-06-01"><div>Mar 3, 2024</div><div><p>one</p><p>two</p><p>three</p><p>four</p></div><section><div><h1>A brief intro to git</h1></div></section><p>` + prose + `</p>`, "2025-06-01"},
		{"footer byline in the article", `<h1>A brief intro to git</h1><article><footer class="author__meta">By <a href="/u/a">Ann Lee</a> <span class="author__meta-date">March 30, 2023</span></footer><p>` + prose + `</p></article>`, "2023-03-30"},
		{"author box", `<h1>A brief intro to git</h1><div class="resource-author-details"><p>Luke Kim</p><small>December 17, 2025</small></div><p>` + prose + `</p>`, "2025-12-17"},
		{"publication class", `<h1>A brief intro to git</h1><p>` + prose + `</p><div class="Author_content"><p><span class="Author_publicationTime__F2lab">2022-11-23T08:10+02:00</span></p></div>`, "2022-11-23"},
		{"page footer", `<meta property="article:published_time" content="2025-06-01"><h1>A brief intro to git</h1><p>` + prose + `</p><footer class="site-footer"><span class="date">May 5, 2020</span></footer>`, "2025-06-01"},
	} {
		art, _, err := Parse(trawler.Page{URL: "https://blog.example.com/posts/git", Body: []byte(tc.page), FetchedAt: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)})
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Split(art.Published, "T")[0]; got != tc.want {
			t.Errorf("%s: published %q, want %q", tc.name, art.Published, tc.want)
		}
	}
}

// TestPublishedLikeMeta checks that namespaced publication-date keys are
// read, in a stable order, and that modification keys are not.
func TestPublishedLikeMeta(t *testing.T) {
	for _, tc := range []struct {
		name, head, want string
	}{
		{"prefixed key", `<meta name="w-published-date" content="2025-05-27T06:03:43.274Z">`, "2025-05-27"},
		{"publish time", `<meta name="cxenseparse:recs:publishtime" content="2024-02-03T10:00:00+01:00">`, "2024-02-03"},
		{"modification key", `<meta name="w-publish-updated-date" content="2025-05-27">`, ""},
		{"unrelated key", `<meta name="w-page-date" content="2025-05-27">`, ""},
	} {
		doc := parseHTML(t, `<html><head>`+tc.head+`</head><body></body></html>`)
		got := ""
		if v := firstDate(collectMeta(doc).publishedLike(), func(t time.Time) bool { return !t.IsZero() }); !v.IsZero() {
			got = v.Format(time.DateOnly)
		}
		if got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.name, got, tc.want)
		}
	}
}

// TestAmbiguousNumeric checks which metadata values leave day and month
// open to the page's shown date.
func TestAmbiguousNumeric(t *testing.T) {
	for _, tc := range []struct {
		src  string
		want bool
	}{
		{"03-09-2026", true},
		{"03/09/2026 10:00", true},
		{"٠٣/٠٩/٢٠٢٦", true},
		{"2026-03-09", false}, // ISO: year first, month second
		{"2026-03-09T10:00Z", false},
		{"25-07-2024", false},    // 25 is no month
		{"05-05-2024", false},    // either reading is the same day
		{"March 9, 2026", false}, // a month name settles it
	} {
		d, _ := parseDate(tc.src)
		if got := ambiguousNumeric(tc.src, d); got != tc.want {
			t.Errorf("ambiguousNumeric(%q) = %v, want %v", tc.src, got, tc.want)
		}
	}
}

// TestLocalInstant checks that a UTC date gives way to the same instant in
// the page's own offset, and to nothing else.
func TestLocalInstant(t *testing.T) {
	utc := time.Date(2017, 2, 24, 1, 18, 13, 0, time.UTC)
	for _, tc := range []struct {
		name string
		vals []string
		want string
	}{
		{"same instant, local offset", []string{"2017-02-24T01:18:13Z", "2017-02-23T17:18:13-08:00"}, "2017-02-23T17:18:13-08:00"},
		{"other instant", []string{"2017-02-24T01:18:13Z", "2017-02-22T17:18:13-08:00"}, "2017-02-24T01:18:13Z"},
		{"only UTC", []string{"2017-02-24T01:18:13Z"}, "2017-02-24T01:18:13Z"},
	} {
		if got := formatDate(localInstant(utc, tc.vals)); got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.name, got, tc.want)
		}
	}
}

// TestHeadlineDates checks the date shown with the headline: found beside
// a headline that is not the first h1, after a standfirst, in a bar that
// pruning cuts, from a <time>'s datetime, ahead of a related list's dates,
// never when it says "Updated" (in a byline, a date class or around a
// <time>); and an earlier day shown there wins over
// metadata, while a later one (the update) does not.
func TestHeadlineDates(t *testing.T) {
	prose := strings.Repeat(longText+" ", 3)
	byline := `<article><footer class="author__meta">By <a href="/u/a">Ann Lee</a> <span class="author__meta-date">March 30, 2023</span></footer><p>` + longText + `</p></article>`
	const (
		pubMeta = `<meta property="article:published_time" content="2025-06-12T10:00:00Z">`
		modMeta = `<meta property="article:modified_time" content="2025-11-04T10:00:00Z">`
	)
	for _, tc := range []struct {
		name, page, want string
	}{
		{"h1 is the site's name", `<meta property="og:title" content="Advent of Code week 2"><title>Advent of Code week 2</title><h1><a href="/">Roger's Blog</a></h1><fieldset><legend>Advent of Code week 2</legend> 20 December 2025 <div><p>` + prose + `</p></div></fieldset>`, "2025-12-20"},
		{"byline after the standfirst", `<h1>A brief intro to git</h1><p class="lead">` + longText + ` ` + longText + `</p><p>Ann Lee</p><p><span>23.07.2025</span> · <span>6 min read</span></p><p>` + prose + `</p>`, "2025-07-23"},
		{"byline in a newsletter bar", `<h1>A brief intro to git</h1><div class="newsletter-details"><p>November 2, 2022</p><p>Sponsored by Acme</p></div><p>` + prose + `</p>`, "2022-11-02"},
		{"datetime over the shown day", `<meta property="article:published_time" content="2024-12-20"><h1>A brief intro to git</h1><div class="meta"><time datetime="2024-12-20">August 28, 2024</time></div><p>` + prose + `</p>`, "2024-12-20"},
		{"day and month spelled the other way", `<meta property="article:published_time" content="2017-03-01T12:00:00Z"><h1>A brief intro to git</h1><div class="meta">03/01/2017</div><p>` + prose + `</p>`, "2017-03-01"},
		{"kicker before a related carousel", `<div><div class="meta"><span>5 min read</span> <span>February 6, 2026</span></div><h1>A brief intro to git</h1></div><p>` + prose + `</p><div class="swiper"><div class="item"><a href="/p/2">Another story about git</a><div class="item__date">Mar 3, 2026</div></div></div>`, "2026-02-06"},
		{"updated under the headline", `<h1>A brief intro to git</h1><div><span>Updated on December 11, 2025</span></div><p>` + prose + `</p>` + byline, "2023-03-30"},
		{"only an update shown", `<h1>A brief intro to git</h1><div><span>Updated on December 11, 2025</span></div><p>` + prose + `</p>`, "2025-12-11"},
		{"updated in a date class", `<h1>A brief intro to git</h1><p>` + prose + `</p><p class="date">Last Modified: August 08, 2023</p>` + byline, "2023-03-30"},
		{"published then updated", `<h1>A brief intro to git</h1><div><span>Published March 9, 2024 · Updated March 10, 2024</span></div><p>` + prose + `</p>`, "2024-03-09"},
		{"updated then published", `<h1>A brief intro to git</h1><div><span>Updated <time datetime="2024-03-10">March 10, 2024</time></span> · <span>Published <time datetime="2024-03-09">March 9, 2024</time></span></div><p>` + prose + `</p>`, "2024-03-09"},
		{"updated in a time element", `<h1>A brief intro to git</h1><p>` + prose + `</p><p><span>Updated <time datetime="2025-04-10">April 10, 2025</time></span></p>` + byline, "2023-03-30"},
		{"earlier shown day beats metadata", pubMeta + `<h1>A brief intro to git</h1><div class="date">November 2, 2022</div><p>` + prose + `</p>`, "2022-11-02"},
		{"later shown day is the update", pubMeta + modMeta + `<h1>A brief intro to git</h1><div class="date">November 4, 2025</div><p>` + prose + `</p>`, "2025-06-12"},
		{"marked pubdate beats metadata", pubMeta + `<h1>A brief intro to git</h1><p>` + prose + `</p><div>Published <time pubdate datetime="2025-06-10">June 10, 2025</time></div>`, "2025-06-10"},
	} {
		art, _, err := Parse(trawler.Page{URL: "https://blog.example.com/posts/git", Body: []byte(tc.page), FetchedAt: time.Date(2026, 3, 14, 0, 0, 0, 0, time.UTC)})
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Split(art.Published, "T")[0]; got != tc.want {
			t.Errorf("%s: published %q, want %q", tc.name, art.Published, tc.want)
		}
	}
}

// TestLastResortDates checks the tiers read when the page shows no date
// anywhere else: a whole day in the description, then a copyright line's
// stamp of a whole day, even in the site footer pruning cuts. A year alone
// in a copyright line is no day, and a date the page shows wins over both.
func TestLastResortDates(t *testing.T) {
	prose := strings.Repeat(longText+" ", 3)
	stamp := `<footer class="site-footer"><p>Copyright © 19.12.2019 - 12:14 h by Example GmbH, D-40764 Langenfeld. All rights reserved.</p></footer>`
	for _, tc := range []struct {
		name, page, want string
	}{
		{"description", `<meta name="description" content="Orso marsicano: 2019 un anno da record (Notizia del 14 Gennaio 2020)"><h1>Orso marsicano</h1><p>` + prose + `</p>`, "2020-01-14"},
		{"copyright stamp in the footer", `<h1>Gefahrstoff-Service</h1><p>` + prose + `</p>` + stamp, "2019-12-19"},
		{"copyright year alone", `<h1>Gefahrstoff-Service</h1><p>` + prose + `</p><footer><p>Copyright © 2019 Example GmbH</p></footer>`, ""},
		{"a shown date wins", `<meta name="description" content="News of 14 January 2020"><h1>Gefahrstoff-Service</h1><p>Posted on 7 March 2021</p><p>` + prose + `</p>` + stamp, "2021-03-07"},
	} {
		art, _, err := Parse(trawler.Page{URL: "https://www.example.org/page.php?id=1", Body: []byte(tc.page), FetchedAt: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)})
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Split(art.Published, "T")[0]; got != tc.want {
			t.Errorf("%s: published %q, want %q", tc.name, art.Published, tc.want)
		}
	}
}

// TestLabelledDatesNeedDigits checks the short cut in labelledDates: an
// element without a digit is skipped with all it holds, and Arabic-Indic
// or Persian digits count as digits, so "تاريخ النشر: ١٥ آذار ٢٠٢٣" is
// still read.
func TestLabelledDatesNeedDigits(t *testing.T) {
	ok := func(t time.Time) bool { return !t.IsZero() }
	for _, tc := range []struct {
		name, page, want string
	}{
		{"Arabic-Indic digits", `<div><span>تاريخ النشر: ١٥ آذار ٢٠٢٣</span></div>`, "2023-03-15"},
		{"Persian digits", `<div><span>Published: ۱۵/۰۳/۲۰۲۳</span></div>`, "2023-03-15"},
		{"a label inside a byline without a date", `<div class="byline">Published by <b>Ann Lee</b></div><p>Published: 9 March 2026</p>`, "2026-03-09"},
		{"no digit, no date", `<div>Published: yesterday</div>`, ""},
	} {
		pub, _ := labelledDates(parseHTML(t, tc.page), ok)
		got := ""
		if !pub.IsZero() {
			got = pub.Format(time.DateOnly)
		}
		if got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.name, got, tc.want)
		}
	}
	for s, want := range map[string]bool{"March": false, "2023": true, "٢٠٢٣": true, "۲۰۲۳": true, "": false} {
		if hasDigit(s) != want {
			t.Errorf("hasDigit(%q) = %v", s, !want)
		}
	}
}
