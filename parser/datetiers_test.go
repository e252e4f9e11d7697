package parser

import (
	"testing"
	"time"
)

// The date tiers added for pages from outside the news dev set (see
// pageDates): dates filed in the address, dates labelled in many languages,
// go-htmldate's answer checked for a whole day, and the free-text search.

func TestDatedPath(t *testing.T) {
	for path, want := range map[string]bool{
		"/news/2024/07/25/story/":              true,
		"/blog/2020-10-18-cdpath-replacement/": true,
		"/2011/07/zhi-neng-xiang-nian-ni.html": true,  // a month filed as folders
		"/2016/12/":                            false, // the month's archive itself
		"/archive/2016/13/x":                   false, // no month 13
		"/products/2024-model":                 false,
		"/tag/local/":                          false,
		"/world/2023/oct/03/story":             true, // The Guardian's months
		"/blog/2023/October/03/wine-types":     true,
		"/2023/octopus/03/":                    false,
	} {
		if got := datedPath(path); got != want {
			t.Errorf("datedPath(%q) = %v, want %v", path, got, want)
		}
	}
	ok := func(time.Time) bool { return true }
	for path, want := range map[string]string{
		"/news/2024/07/25/story/":           "2024-07-25",
		"/world/2023/oct/03/story":          "2023-10-03",
		"/blog/2023/October/03/wine-types":  "2023-10-03",
		"/2021/sept/30/x":                   "2021-09-30",
		"/2021/may/31/x":                    "2021-05-31",
		"/2021/jun/31/x":                    "", // no such day
		"/world/2023/oct/story-of-the-year": "",
	} {
		got := ""
		if d := urlDate(path, ok); !d.IsZero() {
			got = d.Format(time.DateOnly)
		}
		if got != want {
			t.Errorf("urlDate(%q) = %q, want %q", path, got, want)
		}
	}
}

func TestShowsDay(t *testing.T) {
	day := func(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC) }
	for _, tc := range []struct {
		src  string
		t    time.Time
		want bool
	}{
		{"19.12.2019", day(2019, 12, 19), true},
		{"Posted on March 9, 2024 by Ann", day(2024, 3, 9), true},
		{"1577836800", day(2020, 1, 1), true}, // a Unix timestamp
		{"© 19.12.2019 Example GmbH", day(2019, 12, 19), false},
		{"Copyright 2016", day(2016, 1, 1), false},
		{"Ausgabe 8/2021", day(2021, 8, 1), false},                         // a month is no day
		{"/2018/08/irland-roadtrip.html", day(2018, 8, 1), false},          // nor is a month in an address
		{"https://example.com/2023/02/07/story/", day(2023, 2, 7), false},  // a link's date is another page's
		{"/wp-content/uploads/2023/02/07/lead.jpg", day(2023, 2, 7), true}, // an image filed under its day
		{"March 9, 2024", day(2024, 3, 10), false},
	} {
		if got := showsDay(tc.src, tc.t); got != tc.want {
			t.Errorf("showsDay(%q, %s) = %v, want %v", tc.src, tc.t.Format(time.DateOnly), got, tc.want)
		}
	}
}

func TestFreeTextDate(t *testing.T) {
	fetched := time.Date(2025, 2, 16, 0, 0, 0, 0, time.UTC)
	ok := func(d time.Time) bool { return !d.IsZero() && plausibleDate(d, fetched) }
	for _, tc := range []struct{ name, page, want string }{
		{"earliest short segment", `<p>` + longText + `</p><div><span>12. März 2021</span></div><div><span>3 avril 2020</span></div>`, "2020-04-03"},
		{"many languages", `<div><span>Опубликовано 12 марта 2019</span></div>`, "2019-03-12"},
		{"copyright refused", `<div>© 01.02.2010 Example</div><div><span>5 May 2020</span></div>`, "2020-05-05"},
		{"update refused", `<div>Updated 1 January 2015</div><div><span>5 May 2020</span></div>`, "2020-05-05"},
		{"prose is not a segment", `<p>On 1 January 2015 the council met, and it went on to discuss the harbour, the ferry and the budget for the year.</p>`, ""},
		{"nothing", `<p>` + longText + `</p>`, ""},
	} {
		got := freeTextDate(parseHTML(t, tc.page), ok)
		if s := got.Format(time.DateOnly); got.IsZero() && tc.want != "" || !got.IsZero() && s != tc.want {
			t.Errorf("%s: freeTextDate = %v, want %q", tc.name, got, tc.want)
		}
	}
}

func TestLabelledDatesInManyLanguages(t *testing.T) {
	fetched := time.Date(2025, 2, 16, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct{ page, want string }{
		{`<div>Veröffentlicht am 12. März 2021</div>`, "2021-03-12"},
		{`<div>Publicado el 3 de mayo de 2019</div>`, "2019-05-03"},
		{`<div>Pubblicato il 7 luglio 2018</div>`, "2018-07-07"},
		{`<div>Gepubliceerd op 2 maart 2020</div>`, "2020-03-02"},
		{`<div>Data publikacji: 2020-06-01</div>`, "2020-06-01"},
		{`<div>Опубликовано: 12 марта 2019</div>`, "2019-03-12"},
		{`<div>نشر في: ١٥ آذار ٢٠٢٣</div>`, "2023-03-15"},
	} {
		doc := parseHTML(t, tc.page+`<p>`+longText+`</p>`)
		pub, _ := pageDates(collectMeta(doc), doc, shownDates{}, nil, fetched)
		if len(pub) < 10 || pub[:10] != tc.want {
			t.Errorf("%s: published %q, want %s", tc.page, pub, tc.want)
		}
	}
}
