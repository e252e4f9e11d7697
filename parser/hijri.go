package parser

import (
	"regexp"
	"strings"
)

// Hijri (Islamic calendar) dates are shown beside Gregorian ones on Arabic
// pages ("الخميس 19 محرم 1446 هـ الموافق 25 يوليو 2024"). Read as
// Gregorian they would give a day in the 15th century, or worse, a
// plausible-looking wrong day; trawler recognises them and skips them, so
// the Gregorian date beside them is found. Patterns run on text folded by
// foldArabic and lower-cased.
var (
	// hijriMonths are the Hijri month names, folded: alef forms unified,
	// ة→ه, ى→ي.
	hijriMonths = []string{
		"محرم", "صفر", "ربيع الاول", "ربيع الاخر", "ربيع الثاني", "جمادي الاولي", "جمادي الاول",
		"جمادي الاخره", "جمادي الاخر", "جمادي الثانيه", "رجب", "شعبان", "رمضان", "شوال",
		"ذو القعده", "ذي القعده", "ذو الحجه", "ذي الحجه",
	}
	// rxHijriNamed is "19 محرم 1446 هـ" (the year and the هـ optional).
	rxHijriNamed = regexp.MustCompile(`\d{1,2}\s*(?:` + strings.Join(hijriMonths, "|") + `)(?:\s*\d{3,4})?(?:\s*هـ?(?:[^\p{L}]|$))?`)
	// rxHijriNumeric is a numeric date whose year is 1300-1499, which can
	// only be Hijri on the web: 1446/01/19 or 19/01/1446, with an optional هـ.
	rxHijriNumeric = regexp.MustCompile(`(?:1[34]\d\d[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]1[34]\d\d)(?:\s*هـ?)?`)
)

// maskHijri blanks the Hijri dates in folded text, keeping byte offsets.
func maskHijri(s string) string {
	if !strings.ContainsAny(s, "0123456789") {
		return s
	}
	blank := func(m string) string { return strings.Repeat(" ", len(m)) }
	s = rxHijriNamed.ReplaceAllStringFunc(s, blank)
	return rxHijriNumeric.ReplaceAllStringFunc(s, blank)
}
