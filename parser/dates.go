package parser

import (
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// minDate is the earliest publication date trawler believes: the web is younger.
var minDate = time.Date(1990, 1, 1, 0, 0, 0, 0, time.UTC)

// monthNames maps month names (lower-case, Arabic alef-normalized by
// foldArabic) to month numbers: English, French, German and Spanish, the
// Levantine Syriac names and the Egyptian/Gulf transliterations of Arabic.
var monthNames = map[string]time.Month{
	"january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
	"may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
	"sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,

	"janvier": 1, "février": 2, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6,
	"juillet": 7, "août": 8, "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11, "décembre": 12, "decembre": 12,
	"januar": 1, "februar": 2, "märz": 3, "maerz": 3, "juni": 6, "juli": 7, "oktober": 10, "dezember": 12,
	"enero": 1, "febrero": 2, "marzo": 3, "abril": 4, "mayo": 5, "junio": 6, "julio": 7, "agosto": 8,
	"septiembre": 9, "setiembre": 9, "octubre": 10, "noviembre": 11, "diciembre": 12,

	"كانون الثاني": 1, "شباط": 2, "اذار": 3, "نيسان": 4, "ايار": 5, "حزيران": 6, "تموز": 7, "اب": 8,
	"ايلول": 9, "تشرين الاول": 10, "تشرين الثاني": 11, "كانون الاول": 12,

	"يناير": 1, "فبراير": 2, "مارس": 3, "ابريل": 4, "مايو": 5, "يونيو": 6, "يونيه": 6, "يوليو": 7,
	"يوليه": 7, "اغسطس": 8, "سبتمبر": 9, "اكتوبر": 10, "نوفمبر": 11, "ديسمبر": 12,
}

// Text date patterns. Arabic letters are not \w to RE2's \b, so boundaries
// are spelled out as "not a letter or digit".
var (
	// 2024-07-25, 2024/07/25, 2024.07.25 with optional time and zone.
	rxYMD = regexp.MustCompile(`(?:^|[^\d])(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[^\d]|$)`)
	// 25/07/2024, 25-07-2024, 25.07.2024, 25. 7. 2024.
	rxDMY = regexp.MustCompile(`(?:^|[^\d])(\d{1,2})(?:[-/]|\.\s?)(\d{1,2})(?:[-/]|\.\s?)(\d{4})(?:[^\d]|$)`)
	// 25.07.24 and 7/25/24: a two-digit year, with one separator twice,
	// and no further number (a version "1.2.3.4" is no date). With dots
	// the day and month take two digits each, as European dates write
	// them ("3.9.15" is a version); slashes are read month first, as
	// American dates write them (see findDate).
	rxDMYShort = regexp.MustCompile(`(?:^|[^\d.])(?:(\d{2})\.(\d{2})\.|(\d{1,2})/(\d{1,2})/)(\d{2})(?:$|[^\d.]|\.(?:$|[^\d]))`)
	// 25 July 2024, 25th, July 2024, 25 تموز 2024, 25 كانون الثاني/ يناير 2025.
	rxDMonY = regexp.MustCompile(`(?i)(?:^|[^\p{L}\d])(\d{1,2})(?:st|nd|rd|th)?\.?\s*,?\s*(?:of\s+|de\s+)?(` + monthAlternation() + `)(?:\s*[/\-]\s*(?:` + monthAlternation() + `))?\.?\s*,?\s*(?:de\s+)?(\d{4})(?:[^\d]|$)`)
	// July 25, 2024, Jul. 25th 2024.
	rxMonDY = regexp.MustCompile(`(?i)(?:^|[^\p{L}])(` + monthAlternation() + `)\.?\s+(\d{1,2})(?:st|nd|rd|th)?\s*,?\s*(\d{4})(?:[^\d]|$)`)
	// 21:10, 21:10:59, 10:22 PM, 10:22 م, optionally followed by a zone
	// (an offset, or a North American abbreviation: "8:15 pm CST").
	rxClock = regexp.MustCompile(`(?i)^\s*(?:[T@,|-]|at|الساعة|-)?\s*(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?\s*(am|pm|a\.m\.|p\.m\.|ص|م)?\s*(z\b|gmt|utc|[ecmp][sd]t\b|[+-]\d{2}:?\d{2})?\s*([+-]\d{1,2}(?::?\d{2})?)?`)
)

// structuredLayouts are tried, in order, on values from metadata.
var structuredLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05Z0700",
	"2006-01-02T15:04:05.999999999Z0700",
	"2006-01-02T15:04Z07:00",
	"2006-01-02T15:04:05",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02T15:04",
	"2006-01-02 15:04:05Z07:00",
	"2006-01-02 15:04:05 -0700",
	"2006-01-02 15:04:05 -07:00",
	"2006-01-02 15:04:05 MST",
	"2006-01-02 15:04:05",
	"2006-01-02 15:04",
	"2006-01-02",
	time.RFC1123Z,
	time.RFC1123,
	"Mon, 2 Jan 2006 15:04:05 -0700",
	"Mon, 2 Jan 2006 15:04:05 MST",
	time.RFC850,
	time.ANSIC,
	"20060102",
}

func monthAlternation() string {
	names := make([]string, 0, len(monthNames)+len(moreMonthNames))
	for _, m := range []map[string]time.Month{monthNames, moreMonthNames} {
		for k := range m {
			names = append(names, regexp.QuoteMeta(k))
		}
	}
	sortLongestFirst(names)
	return strings.Join(names, "|")
}

// sortLongestFirst orders the names of an alternation longest first, so
// "تشرين الاول" wins over a shorter prefix and "september" over "sep".
func sortLongestFirst(names []string) {
	sort.Slice(names, func(i, j int) bool {
		if len(names[i]) != len(names[j]) {
			return len(names[i]) > len(names[j])
		}
		return names[i] < names[j]
	})
}

// foldDigits maps Arabic-Indic and Persian digits to ASCII.
func foldDigits(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= '٠' && r <= '٩':
			return '0' + (r - '٠')
		case r >= '۰' && r <= '۹':
			return '0' + (r - '۰')
		}
		return r
	}, s)
}

// hasDigit reports a digit that foldDigits knows: every date findDate
// reads has one, so text without any holds no date.
func hasDigit(s string) bool {
	for _, r := range s {
		if r >= '0' && r <= '9' || r >= '٠' && r <= '٩' || r >= '۰' && r <= '۹' {
			return true
		}
	}
	return false
}

// foldArabic removes the spelling variation that does not change an Arabic
// word: hamza forms of alef, tatweel and short-vowel marks. It also folds
// digits, so text and patterns meet in one form.
func foldArabic(s string) string {
	if isASCII(s) {
		return s // nothing to fold: the common case, without a copy
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range foldDigits(s) {
		switch {
		case r == 'أ' || r == 'إ' || r == 'آ' || r == 'ٱ':
			b.WriteRune('ا')
		case r == 'ة':
			b.WriteRune('ه')
		case r == 'ى':
			b.WriteRune('ي')
		case r == 'ـ' || (r >= '\u064B' && r <= '\u065F') || r == '\u0670':
			// tatweel and harakat
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// parseDate parses a date as metadata gives it (ISO 8601, RFC 1123…) or as
// text shows it, and reports whether it found one.
func parseDate(s string) (time.Time, bool) {
	s = strings.TrimSpace(foldDigits(s))
	if s == "" {
		return time.Time{}, false
	}
	for _, layout := range structuredLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return findDate(s)
}

// findDate returns the first date written anywhere in text. Lunar Hijri
// dates are skipped (hijri.go); Solar Hijri ones are read (jalali.go).
func findDate(text string) (time.Time, bool) {
	t, _, _, ok := findDateSpan(text)
	return t, ok
}

// findDateSpan is findDate with where the date sits: its byte offsets in
// text, or -1 when folding and lower-casing changed text's length.
func findDateSpan(text string) (t time.Time, pos, end int, ok bool) {
	s := maskHijri(strings.ToLower(foldArabic(text)))
	type hit struct {
		pos, end int
		y, d     int
		m        time.Month
	}
	var best *hit
	try := func(h hit) {
		if best == nil || h.pos < best.pos {
			best = &h
		}
	}
	if m := rxYMD.FindStringSubmatchIndex(s); m != nil {
		y, mo, d := atoi(s[m[2]:m[3]]), atoi(s[m[4]:m[5]]), atoi(s[m[6]:m[7]])
		try(hit{m[2], m[7], y, d, time.Month(mo)})
	}
	if m := rxDMY.FindStringSubmatchIndex(s); m != nil {
		a, b, y := atoi(s[m[2]:m[3]]), atoi(s[m[4]:m[5]]), atoi(s[m[6]:m[7]])
		d, mo := a, b // day first, as most of the world writes it
		if b > 12 && a <= 12 {
			d, mo = b, a
		}
		try(hit{m[2], m[7], y, d, time.Month(mo)})
	}
	if m := rxDMYShort.FindStringSubmatchIndex(s); m != nil {
		y := fullYear(atoi(s[m[10]:m[11]]))
		if m[2] >= 0 { // 25.07.24: day first
			try(hit{m[2], m[11], y, atoi(s[m[2]:m[3]]), time.Month(atoi(s[m[4]:m[5]]))})
		} else { // 7/25/24: month first, unless it cannot be
			mo, d := atoi(s[m[6]:m[7]]), atoi(s[m[8]:m[9]])
			if mo > 12 && d <= 12 {
				mo, d = d, mo
			}
			try(hit{m[6], m[11], y, d, time.Month(mo)})
		}
	}
	if !isASCII(s) && (strings.Contains(s, "13") || strings.Contains(s, "14")) {
		if t, pos, end, ok := jalaliDate(s); ok {
			try(hit{pos, end, t.Year(), t.Day(), t.Month()})
		}
	}
	if mentionsMonth(s) {
		if m := rxDMonY.FindStringSubmatchIndex(s); m != nil {
			try(hit{m[2], m[7], atoi(s[m[6]:m[7]]), atoi(s[m[2]:m[3]]), monthOf(s[m[4]:m[5]])})
		}
		if m := rxMonDY.FindStringSubmatchIndex(s); m != nil {
			try(hit{m[2], m[7], atoi(s[m[6]:m[7]]), atoi(s[m[4]:m[5]]), monthOf(s[m[2]:m[3]])})
		}
	}
	if best == nil || best.m < 1 || best.m > 12 || best.d < 1 || best.d > 31 {
		return time.Time{}, 0, 0, false
	}
	t = time.Date(best.y, best.m, best.d, 0, 0, 0, 0, time.UTC)
	if t.Day() != best.d { // 31 June
		return time.Time{}, 0, 0, false
	}
	pos, end = best.pos, best.end
	if len(s) != len(text) {
		pos, end = -1, -1
	}
	return withClock(t, s[best.end:]), pos, end, true
}

// monthWords holds the first word of every month name, for mentionsMonth.
var monthWords = func() map[string]bool {
	words := map[string]bool{}
	for _, m := range []map[string]time.Month{monthNames, moreMonthNames} {
		for name := range m {
			words[strings.Fields(name)[0]] = true
		}
	}
	return words
}()

// mentionsMonth reports whether s, folded and lower-cased, has a word that
// begins a month name. The patterns with month names are findDate's
// costliest (an alternation of some 300 names, run by RE2's NFA), and
// most short texts with digits name no month.
func mentionsMonth(s string) bool {
	start := -1
	for i, r := range s {
		switch {
		case unicode.IsLetter(r):
			if start < 0 {
				start = i
			}
		case start >= 0:
			if monthWords[s[start:i]] || monthWords[strings.TrimLeft(s[start:i], "stndrh")] {
				return true
			}
			start = -1
		}
	}
	return start >= 0 && monthWords[s[start:]]
}

// fullYear reads a two-digit year as POSIX strptime does: 69 and before
// are this century, 70 and after the last.
func fullYear(yy int) int {
	if yy <= 68 {
		return 2000 + yy
	}
	return 1900 + yy
}

// withClock adds the time of day and zone that may follow a date.
func withClock(day time.Time, rest string) time.Time {
	m := rxClock.FindStringSubmatch(rest)
	if m == nil {
		return day
	}
	h, mi, sec := atoi(m[1]), atoi(m[2]), atoi(m[3])
	switch m[4] {
	case "pm", "p.m.", "م":
		if h < 12 {
			h += 12
		}
	case "am", "a.m.", "ص":
		if h == 12 {
			h = 0
		}
	}
	if h > 23 || mi > 59 || sec > 59 {
		return day
	}
	loc := time.UTC
	zone := m[5]
	if zone == "" || zone == "gmt" || zone == "utc" {
		zone = m[6] // "GMT+3"
	}
	if off, ok := usZones[zone]; ok {
		loc = time.FixedZone("", off*3600)
	} else if off, ok := parseOffset(zone); ok {
		loc = time.FixedZone("", off)
	}
	return time.Date(day.Year(), day.Month(), day.Day(), h, mi, sec, 0, loc)
}

// usZones are the North American zone abbreviations pages print after a
// time, in hours east of UTC.
var usZones = map[string]int{
	"est": -5, "edt": -4, "cst": -6, "cdt": -5, "mst": -7, "mdt": -6, "pst": -8, "pdt": -7,
}

// parseOffset reads "+03:00", "+0300" or "+3" as seconds east of UTC.
func parseOffset(z string) (int, bool) {
	if len(z) < 2 || (z[0] != '+' && z[0] != '-') {
		return 0, false
	}
	sign := 1
	if z[0] == '-' {
		sign = -1
	}
	digits := strings.ReplaceAll(z[1:], ":", "")
	var h, m int
	switch len(digits) {
	case 1, 2:
		h = atoi(digits)
	case 4:
		h, m = atoi(digits[:2]), atoi(digits[2:])
	default:
		return 0, false
	}
	if h > 14 || m > 59 {
		return 0, false
	}
	return sign * (h*3600 + m*60), true
}

// atoi reads a decimal number matched by a pattern; an optional group that
// did not match reads as 0.
func atoi(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0
	}
	return n
}

// plausibleDate reports whether t can be a publication date of a page
// fetched at fetchedAt: not before 1990 and not more than a day after the
// fetch (zone slack and scheduled posts). A zero fetchedAt checks the past only.
func plausibleDate(t, fetchedAt time.Time) bool {
	if t.Before(minDate) {
		return false
	}
	return fetchedAt.IsZero() || !t.After(fetchedAt.Add(24*time.Hour))
}

// formatDate renders t in RFC 3339.
func formatDate(t time.Time) string {
	return t.Format(time.RFC3339)
}
