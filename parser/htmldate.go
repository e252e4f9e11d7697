package parser

import (
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/markusmobius/go-htmldate"
	"golang.org/x/net/html"
)

// htmldateDay asks go-htmldate (the port of Barbaresi's htmldate, already
// in the module graph through go-trafilatura) for the page's original
// date, in its extensive mode: its own metadata, URL and element rules,
// then a scored search of the free text in many languages. It is the last
// tier, run only when the parser's own found nothing, so pages that
// declare a date pay nothing for it.
//
// Its answer is taken only when the string it read the date from shows a
// whole day: a year alone ("© 2016", "1998-2022"), a month ("Ausgabe
// 8/2021", "/2018/08/slug") or a version number gives htmldate the first of
// the month, which is no publication day. A Unix timestamp counts as a day.
func htmldateDay(page string, doc *html.Node, u *url.URL, fetchedAt time.Time, ok func(time.Time) bool) time.Time {
	if t := htmldateOn(doc, u, fetchedAt, ok); !t.IsZero() {
		return t
	}
	full, err := html.Parse(strings.NewReader(page))
	if err != nil {
		return time.Time{}
	}
	return htmldateOn(full, u, fetchedAt, ok)
}

func htmldateOn(doc *html.Node, u *url.URL, fetchedAt time.Time, ok func(time.Time) bool) time.Time {
	opts := htmldate.Options{UseOriginalDate: true, MinDate: minDate, SkipExtensiveSearch: true}
	if u != nil {
		opts.URL = u.String()
	}
	if !fetchedAt.IsZero() {
		opts.MaxDate = fetchedAt.Add(24 * time.Hour)
	}
	res, err := htmldate.FromDocument(doc, opts)
	if err != nil || res.IsZero() {
		return time.Time{}
	}
	t := res.DateTime
	if !ok(t) || !showsDay(res.SrcString, t) {
		return time.Time{}
	}
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// showsDay reports whether src, the text htmldate read t from, writes out
// t's day: parsed by findDate to the same day, or a Unix timestamp. A
// copyright line is refused ("© 19.12.2019" is the day the footer was
// rendered), and so is an address found in the markup unless it is an
// image filed under /year/month/day/: a link's date is another page's, and
// "uploads/2023/02/7.jpg" is a file name, not a day.
func showsDay(src string, t time.Time) bool {
	src = strings.TrimSpace(src)
	if len(src) == 10 && strings.Trim(src, "0123456789") == "" {
		return true
	}
	low := strings.ToLower(src)
	if strings.Contains(low, "©") || strings.Contains(low, "copyright") || strings.Contains(low, "&copy;") {
		return false
	}
	if strings.HasPrefix(low, "/") || strings.Contains(low, "://") {
		m := rxURLDate.FindStringSubmatch(low)
		if m == nil || !rxImageFile.MatchString(low) {
			return false
		}
		return t.Year() == atoi(m[1]) && int(t.Month()) == urlMonth(m[2]) && t.Day() == atoi(m[3])
	}
	d, found := findDate(src)
	return found && sameDay(d, t)
}

// rxImageFile finds an image file name in an address.
var rxImageFile = regexp.MustCompile(`\.(?:jpe?g|png|gif|webp|avif)(?:[?#"']|$)`)
