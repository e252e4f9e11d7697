package parser

import (
	"regexp"
	"strings"
	"time"

	jalaali "github.com/jalaali/go-jalaali"
)

// Persian pages date their stories in the Solar Hijri (Jalali) calendar:
// "۲ تیر ۱۳۹۹" is 22 June 2020. Its years (13xx–14xx) overlap the lunar
// Hijri calendar's, whose dates trawler skips (hijri.go); the month names
// tell them apart. Patterns run on text folded by foldArabic (which folds
// the digits and آ to ا) and lower-cased.

// jalaliMonths are the Persian month names in order, each as Persian
// writes it (ی, ک) and with the Arabic letters (ي, ك) many sites type.
var jalaliMonths = func() map[string]jalaali.Month {
	names := []string{"فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور", "مهر", "ابان", "اذر", "دی", "بهمن", "اسفند"}
	arabic := strings.NewReplacer("ی", "ي", "ک", "ك")
	months := map[string]jalaali.Month{}
	for i, n := range names {
		months[n] = jalaali.Month(i + 1)
		months[arabic.Replace(n)] = jalaali.Month(i + 1)
	}
	return months
}()

// rxJalali is a day, a Persian month name and a Solar Hijri year:
// "2 تیر 1399", "۲ تير ۱۳۹۹".
var rxJalali = regexp.MustCompile(`(?:^|[^\p{L}\d])(\d{1,2})\s*(` + alternation(jalaliMonths) + `)\s*(1[34]\d\d)(?:[^\d]|$)`)

// jalaliDate finds the first Solar Hijri date in folded text and returns
// its Gregorian day, and where the match starts and ends.
func jalaliDate(s string) (t time.Time, pos, end int, ok bool) {
	m := rxJalali.FindStringSubmatchIndex(s)
	if m == nil {
		return time.Time{}, 0, 0, false
	}
	y, mon, d := atoi(s[m[6]:m[7]]), jalaliMonths[s[m[4]:m[5]]], atoi(s[m[2]:m[3]])
	if d < 1 || d > 31 || mon > 6 && d > 30 {
		return time.Time{}, 0, 0, false
	}
	gy, gm, gd, err := jalaali.ToGregorian(y, mon, d)
	if err != nil {
		return time.Time{}, 0, 0, false
	}
	return time.Date(gy, gm, gd, 0, 0, 0, 0, time.UTC), m[2], m[7], true
}

// alternation joins the keys of names for a pattern, longest first.
func alternation[V any](names map[string]V) string {
	keys := make([]string, 0, len(names))
	for k := range names {
		keys = append(keys, regexp.QuoteMeta(k))
	}
	sortLongestFirst(keys)
	return strings.Join(keys, "|")
}
