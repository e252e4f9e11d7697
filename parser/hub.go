package parser

import (
	"github.com/trawler/trawler"
	"strings"
	"unicode"
)

// pageSignals are the facts the article/hub decision rests on.
type pageSignals struct {
	structuredArticle bool // og:type article or a JSON-LD article type
	structuredListing bool // a JSON-LD CollectionPage, ItemList…
	root              bool // the URL is a site's home page
	articleURL        bool // the URL has an article's shape: a date, an id, a long slug
	bodyWords         int  // words of the extracted body
	proseRun          int  // words of the longest run of prose paragraphs
	linkShare         float64
}

// Thresholds, in words (CJK characters count half a word).
const (
	tinyBody     = 30  // less is nothing to read, whatever the metadata says
	proseArticle = 100 // a run of prose this long is an article
	bodyArticle  = 150
)

// classify decides between an article and a hub (home, section and tag
// listings): structured data first, unless the body is tiny; otherwise the
// amount of continuous prose against the share of the text that is headlines.
func classify(s pageSignals) string {
	switch {
	case s.bodyWords < tinyBody:
		return trawler.PageHub
	case s.root && s.proseRun < bodyArticle:
		return trawler.PageHub
	case s.structuredArticle && (s.proseRun >= tinyBody || s.linkShare < 0.5):
		return trawler.PageArticle
	case s.articleURL && !s.structuredListing && s.bodyWords >= 2*tinyBody && s.linkShare < 0.3:
		// A short story (code snippets, a list) at a story's address.
		return trawler.PageArticle
	case s.structuredListing && s.proseRun < bodyArticle:
		return trawler.PageHub
	case s.proseRun >= proseArticle:
		return trawler.PageArticle
	case s.bodyWords >= bodyArticle && s.linkShare < 0.3:
		return trawler.PageArticle
	}
	return trawler.PageHub
}

// bodySignals measures the extracted paragraphs: total words, the longest
// run of prose, and the share of paragraphs that are the anchor text of a
// link on the page (teaser headlines).
func bodySignals(paras []string, headlines map[string]bool) (words, run int, linkShare float64) {
	cur, linked := 0, 0
	for _, p := range paras {
		w := wordCount(p)
		words += w
		switch {
		case headlines[squash(p)]:
			linked++
			cur = 0 // a headline between texts: teasers, not one story
		case w < 8:
			// subheadings and captions neither make nor break a run
		default:
			cur += w
			run = max(run, cur)
		}
	}
	if len(paras) > 0 {
		linkShare = float64(linked) / float64(len(paras))
	}
	return words, run, linkShare
}

// headlineSet indexes the anchor texts of the page that read like
// headlines (three words or more), squashed.
func headlineSet(anchors []anchor) map[string]bool {
	set := make(map[string]bool, len(anchors))
	for _, a := range anchors {
		if wordCount(a.title) >= 3 {
			set[squash(a.title)] = true
		}
	}
	return set
}

// wordCount counts space-separated words, and CJK characters as half a word
// each since those scripts do not separate words.
func wordCount(s string) int {
	n, cjk := 0, 0
	for _, f := range strings.Fields(s) {
		n++
		for _, r := range f {
			if unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul, unicode.Thai) {
				cjk++
			}
		}
	}
	return n + cjk/2
}
