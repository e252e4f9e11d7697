package parser

import (
	"regexp"
	"strings"
)

// The end of an extracted body is where templates leak in: a newsletter
// box, a copyright line, "Have a tip? … may be reached at", a paywall
// prompt, and lists of teaser headlines. These trims run on the rendered
// paragraphs and only near the end, where such lines live.

// Bounds of the tail trims.
const (
	maxTailBoilerplate = 3  // last paragraphs checked for boilerplate lines
	maxBoilerWords     = 40 // a boilerplate line is short
	minTeasers         = 3  // linked headlines that make a teaser list
	maxTeaserWords     = 40 // a teaser's headline or blurb is short
)

// rxBoilerplate matches the short closing lines of templates, in several
// languages. Folded by foldArabic and lower-cased before matching.
var rxBoilerplate = regexp.MustCompile(`(?:^(?:©|copyright|\(c\)\s*\d{4})|all rights reserved|جميع الحقوق محفوظه|subscribe to (?:our|the|\S+(?:’|')s) newsletters?|sign up for (?:our|the) (?:\S+ )?newsletter|get the latest updates right in your inbox|to read the full story|subscribe to read|may be reached at|follow (?:him|her|them|us) on (?:twitter|facebook|x)|have a tip\?|اشترك في النشره|تابعونا على)`)

// trimTail drops boilerplate lines and a trailing list of teasers.
func trimTail(paras []string, headlines map[string]bool) []string {
	paras = dropTeaserTail(paras, headlines)
	for n := 0; n < maxTailBoilerplate && len(paras) > 1; n++ {
		last := paras[len(paras)-1]
		if wordCount(last) > maxBoilerWords || !rxBoilerplate.MatchString(strings.ToLower(foldArabic(last))) {
			break
		}
		paras = paras[:len(paras)-1]
	}
	return paras
}

// dropTeaserTail cuts the body at the start of a trailing run of short
// paragraphs that holds at least minTeasers headlines of links on the page
// (with or without their blurbs): a "more stories" list the extractor took
// for text.
func dropTeaserTail(paras []string, headlines map[string]bool) []string {
	cut, teasers := len(paras), 0
	for i := len(paras) - 1; i > 0; i-- {
		p := paras[i]
		if wordCount(p) > maxTeaserWords {
			break
		}
		if headlines[squash(p)] {
			teasers++
			cut = i
		} else if i == len(paras)-1 || headlines[squash(paras[i-1])] {
			continue // a blurb under a headline, or the list's last line
		} else {
			break
		}
	}
	if teasers < minTeasers || cut == 0 {
		return paras
	}
	return paras[:cut]
}
