package parser

import (
	"strings"
	"testing"
	"time"

	"github.com/trawler/trawler"
)

// TestDateInArticleAside checks the last-resort date: a <time> in an aside
// of the article, which pruning removes, is still the page's date, while a
// related list's dates are not.
func TestDateInArticleAside(t *testing.T) {
	prose := strings.Repeat(longText+" ", 3)
	for _, tc := range []struct {
		name, page, want string
	}{
		{"aside in the article", `<article><h1>A brief intro to git</h1><aside><time datetime="2021-06-06">June 6</time></aside><p>` + prose + `</p></article>`, "2021-06-06"},
		{"related list only", `<article><h1>A brief intro to git</h1><p>` + prose + `</p><div class="related-posts"><h3>Related</h3><ul><li><a href="/p/1">Another story about git and more</a> <time datetime="2020-01-02">Jan 2</time></li></ul></div></article>`, ""},
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
// never an "Updated" date as the publication.
func TestShownDates(t *testing.T) {
	prose := strings.Repeat(longText+" ", 3)
	for _, tc := range []struct {
		name, page, want string
	}{
		{"kicker above the h1", `<div class="hero"><h5 class="preheadline">January 23, 2025</h5><h1>A brief intro to git</h1></div><p>` + prose + `</p>`, "2025-01-23"},
		{"kicker with reading time", `<div><div><span>Dec 12, 2025</span> <span>4 min read</span></div><h1>A brief intro to git</h1></div><p>` + prose + `</p>`, "2025-12-12"},
		{"display time over the headline", `<div class="top"><span>Source:</span> <span>2025-02-16@21:10:59 GMT</span></div><h1>A brief intro to git</h1><p>` + prose + `</p>`, ""},
		{"kicker says updated", `<div><div>Last updated: Dec 12, 2025</div><h1>A brief intro to git</h1></div><p>` + prose + `</p>`, ""},
		{"date far above the h1", `<div>Mar 3, 2024</div><div><p>one</p><p>two</p><p>three</p><p>four</p></div><section><div><h1>A brief intro to git</h1></div></section><p>` + prose + `</p>`, ""},
		{"footer byline in the article", `<h1>A brief intro to git</h1><article><footer class="author__meta">By <a href="/u/a">Ann Lee</a> <span class="author__meta-date">March 30, 2023</span></footer><p>` + prose + `</p></article>`, "2023-03-30"},
		{"author box", `<h1>A brief intro to git</h1><div class="resource-author-details"><p>Luke Kim</p><small>December 17, 2025</small></div><p>` + prose + `</p>`, "2025-12-17"},
		{"publication class", `<h1>A brief intro to git</h1><p>` + prose + `</p><div class="Author_content"><p><span class="Author_publicationTime__F2lab">2022-11-23T08:10+02:00</span></p></div>`, "2022-11-23"},
		{"page footer", `<h1>A brief intro to git</h1><p>` + prose + `</p><footer class="site-footer"><span class="date">May 5, 2020</span></footer>`, ""},
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
