package parser

import (
	"regexp"
	"slices"
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
	maxClosingLines    = 8  // last paragraphs searched for a closing line (see dropClosingLines)
	minTeasers         = 3  // linked headlines that make a teaser list
	maxTeaserWords     = 40 // a teaser's headline or blurb is short
)

// rxBoilerplate matches the short closing lines of templates, in several
// languages. Folded by foldArabic and lower-cased before matching.
var rxBoilerplate = regexp.MustCompile(`(?:^(?:©|copyright|\(c\)\s*\d{4})|all rights reserved|جميع الحقوق محفوظه|subscribe to (?:our|the|\S+(?:’|')s) newsletters?|sign up for (?:our|the) (?:\S+ )?newsletter|get the latest updates right in your inbox|to read the full story|subscribe to read|may be reached at|^follow (?:him|her|them|us|the \S+(?: \S+)?|\S+) on (?:twitter|facebook|instagram|linkedin|x)\b|follow (?:him|her|them|us) on (?:twitter|facebook|x)|have a tip\?|to view the full story|already a subscriber.{0,40}\b(?:log|sign) ?in|^if you (?:enjoyed|liked) (?:reading )?this (?:post|article|story)|^this entry was posted|^folgen sie uns auf|اشترك في النشره|تابعونا على)`)

// trimTail drops boilerplate lines, a trailing list of teasers and the
// authors' biographies.
func trimTail(paras []string, headlines map[string]bool, authors []string) []string {
	paras = dropLabelledTail(paras)
	paras = dropTeaserTail(paras, headlines)
	paras = dropAuthorBio(paras, authors)
	paras = dropClosingLines(paras)
	for n := 0; n < maxTailBoilerplate && len(paras) > 1; n++ {
		last := paras[len(paras)-1]
		if isDateline(last, authors) {
			paras = paras[:len(paras)-1]
			continue
		}
		if wordCount(last) > maxBoilerWords || !rxBoilerplate.MatchString(strings.ToLower(foldArabic(last))) {
			break
		}
		paras = paras[:len(paras)-1]
	}
	return paras
}

// dropClosingLines cuts the body at a template's closing line ("If you
// enjoyed reading this post…", a paywall's prompt) among its last short
// paragraphs, with the short lines after it: a sign-off, a list of a
// subscription's perks, a cookie notice.
func dropClosingLines(paras []string) []string {
	cut := len(paras)
	for i := len(paras) - 1; i >= max(1, len(paras)-maxClosingLines); i-- {
		if wordCount(paras[i]) > maxBoilerWords {
			break
		}
		if rxBoilerplate.MatchString(strings.ToLower(foldArabic(paras[i]))) {
			cut = i
		}
	}
	return paras[:cut]
}

// Bounds of a labelled tail: a heading such as "Read more" or "Mehr zum
// Thema" and the short lines under it.
const (
	maxTailLabelWords = 8  // the heading is a few words
	maxLabelledTail   = 10 // paragraphs after it, each a teaser (maxTeaserWords)
)

// dropLabelledTail cuts the body at a heading of what follows an article
// (related stories, most read, comments, sharing, a newsletter: the
// labels of labelPhrases) when only a short list comes after it: the
// extractor took the box under the story for text.
func dropLabelledTail(paras []string) []string {
	for i := max(1, len(paras)-1-maxLabelledTail); i < len(paras); i++ {
		if wordCount(paras[i]) > maxTailLabelWords || labelKind(paras[i]) == kindNone {
			continue
		}
		if !slices.ContainsFunc(paras[i+1:], func(p string) bool { return wordCount(p) > maxTeaserWords }) {
			return paras[:i]
		}
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

// Bounds of the biography cut.
const (
	maxBioTail  = 3 // last paragraphs searched for a biography
	minBioWords = 8 // a biography is a sentence, not a credit line
)

// dropAuthorBio cuts the body at a biography of one of the credited
// authors among its last paragraphs: a sentence that opens with the
// author's full name ("Jane Doe is a health writer…"). Bios sit under the
// article in an author box that extractors take for text.
func dropAuthorBio(paras []string, authors []string) []string {
	for i := max(1, len(paras)-maxBioTail); i < len(paras); i++ {
		if wordCount(paras[i]) >= minBioWords && opensWithName(paras[i], authors) {
			return paras[:i]
		}
	}
	return paras
}

// opensWithName reports whether p begins with one of the names, of at
// least two words, followed by a word boundary.
func opensWithName(p string, names []string) bool {
	lp := strings.ToLower(p)
	for _, n := range names {
		n = strings.ToLower(normalizeSpace(n))
		if len(strings.Fields(n)) < 2 || !strings.HasPrefix(lp, n) {
			continue
		}
		if rest := lp[len(n):]; rest == "" || !isWordByte(rest[0]) {
			return true
		}
	}
	return false
}

// isWordByte reports an ASCII letter or digit, or the start of a
// multi-byte character, which may be a letter.
func isWordByte(b byte) bool {
	return b >= 0x80 || b == '_' || (b >= '0' && b <= '9') || (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z')
}

// maxTitleEchoTail is the paragraphs after a repeated headline that the
// echo cut takes with it: a credit or date line.
const maxTitleEchoTail = 1

// dropTitleEcho cuts the body at the headline printed again at its end,
// with the credit line under it: a post footer ("Headline / Site, August 8,
// 2018"), not text.
func dropTitleEcho(paras []string, title string) []string {
	t := squash(title)
	if t == "" {
		return paras
	}
	for i := max(1, len(paras)-1-maxTitleEchoTail); i < len(paras); i++ {
		if squash(paras[i]) == t {
			return paras[:i]
		}
	}
	return paras
}

// maxCreditWords bounds a picture credit: a label and a name or two.
const maxCreditWords = 12

// rxPictureCredit matches the credit line of a picture: a picture label
// ("Foto: MDR/Bernd Cramer", "Image: Thinkstock", "Crédit photo : KB") or
// a picture agency's name, alone or after a photographer's ("Paul
// Morigi/Getty Images", "© Shutterstock", "SolStock/E+ via Getty
// Images"), not a sentence that names one ("Supports Unsplash").
// Extraction keeps them where a caption sits between paragraphs; on the
// dev sets 87 such lines were in bodies and 3 in the annotated text.
// "Source:" lines are left alone: they credit a chart or the story
// (findSource reads them).
var rxPictureCredit = regexp.MustCompile(`(?i)^(?:` +
	`(?:main |header |featured |top )?(?:photo|image|picture|foto|bild|bilder|photo credit|image credit|picture credit|crédit photo|crédits photo|bildquelle|fotoquelle)s?\s*:` +
	`|(?:.*(?:[/©|]|\bvia)\s*)?(?:getty images|shutterstock(?:\.com)?|istock(?:photo)?(?:\.com)?|alamy|pixabay|unsplash|picture[ -]alliance|imago images|ap photo)(?:\s*\([^)]*\))?\s*\.?$)`)

// dropPictureCredits removes the picture credits among an article's
// paragraphs: they caption an image the body does not carry.
func dropPictureCredits(paras []string) []string {
	out := paras[:0:0]
	for _, p := range paras {
		if wordCount(p) <= maxCreditWords && rxPictureCredit.MatchString(p) {
			continue
		}
		out = append(out, p)
	}
	return out
}
