package parser

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/trawler/trawler"
)

// pageSignals are the facts the page-type decision rests on (see classify).
// One of them comes from the page's address, a date filed in its path, and
// it counts as one piece of article evidence among six: no address decides
// a page's type alone, and a file name never does.
type pageSignals struct {
	// What says "this is one article": structured data, a publication date
	// declared or shown, the date shown with the headline, an author.
	structured   bool // a JSON-LD article type, or og:type article
	declaredDate bool // a publication date in the metadata (article:published_time, the JSON-LD article's…)
	shownDays    int  // different days shown in short elements (datelines, not prose)
	headlineDate bool // a date shown with the headline
	urlDated     bool // the address files the page under a day or month (/2016/12/…), as news and blog systems do
	metaAuthor   bool // an author named in the metadata
	bylineAuthor bool // an author read from a byline
	bylines      int  // elements whose class names an author or byline

	// The extracted text.
	words        int // words of the extracted body
	longParas    int // paragraphs of longParaWords words or more: prose
	sentences    int // paragraphs of sentenceWords words or more that end a sentence: a short article's prose
	longWords    int // words in those paragraphs
	headings     int // <h2> and <h3> elements of the page
	bodyHeadings int // those left after pruning: the main content's, not its sidebars' and footers'

	// What says "this lists other pages".
	listing        bool // a JSON-LD CollectionPage, ItemList, SearchResultsPage…
	teasers        int  // extracted paragraphs that are (mostly) the text of a link
	linkedHeadings int  // headings whose text is a link of three words or more
	cards          int  // the largest set of sibling elements each headed by such a link
	cardParas      int  // runes of paragraph text in such sets of manyCards or more
	paras          int  // runes of paragraph text after pruning
	pricedCards    int  // the largest set of sibling elements each with a link and a price

	// What says "this is a page of another kind".
	forum   bool // DiscussionForumPosting or QAPage, or comments marked up as a page's items
	product bool // a Product or Offer in structured data, og:type product
	code    bool // code listings or an "edit this page" link: documentation
	shop    bool // an add-to-cart control and a price
}

// Thresholds, in words (CJK characters count half a word), elements or
// days.
const (
	tinyBody           = 30 // less is nothing to read, unless the evidence is strong
	longParaWords      = 40 // a paragraph this long is prose, not a caption or a teaser
	sentenceWords      = 15 // a paragraph this long that ends a sentence is prose too, among proseParas of them
	proseParas         = 3  // this many long paragraphs are an article's body
	strongEvidence     = 3  // this much article evidence outweighs a forum's or product's markup
	manyCards          = 8  // this many link-headed or priced siblings are a list of pages
	manyTeasers        = 4  // this many headline paragraphs, or
	manyLinkedHeadings = 5  // linked headings, are a list of pages when prose is shorter
	manyDays           = 3  // this many days shown are a list of dated items, not a dateline
	manyHeadlineDays   = 10 // unless one of them is with the headline and there are fewer than this
	manyBylines        = 3  // this many bylines are the items', not the page's
)

// evidence counts the article signals, 0 to 6: structured data, a
// declared publication date, a date in the address, a date shown, a date
// with the headline, an author; shown counts those the page shows its readers (dates, a byline)
// rather than declares in its metadata. Dates shown on many days are a
// list of dated items (a listing, a thread), not an article's dateline,
// and so are bylines by the many; only a date with the headline stands
// among a few others.
func (s pageSignals) evidence() (all, shown int) {
	manyDates := s.shownDays >= manyDays
	dated := (s.shownDays > 0 || s.headlineDate) && !manyDates
	headline := s.datedHeadline()
	byline := s.bylineAuthor && s.bylines < manyBylines
	for _, b := range [...]bool{dated, headline, byline && !s.metaAuthor} {
		if b {
			shown++
		}
	}
	for _, b := range [...]bool{s.structured, s.declaredDate, s.urlDated, dated, headline, s.metaAuthor || byline} {
		if b {
			all++
		}
	}
	return all, shown
}

// datedHeadline reports a date shown with the headline, among fewer than
// manyHeadlineDays days shown: an article's dateline, even on a page that
// also dates its sidebar's stories.
func (s pageSignals) datedHeadline() bool {
	return s.headlineDate && s.shownDays < manyHeadlineDays
}

// lists reports a page whose main content is a list of other pages: a
// declared collection, a grid of priced products, or headlines of other
// pages (links of three words or more, as the extracted paragraphs or as
// headings) that outnumber the paragraphs of prose.
func (s pageSignals) lists() bool {
	return s.listing || s.pricedCards >= manyCards ||
		(s.teasers >= manyTeasers && s.teasers >= s.longParas) ||
		(s.linkedHeadings >= manyLinkedHeadings && s.linkedHeadings >= s.longParas)
}

// teaserCards reports a page with many siblings headed by links: a list of
// pages, or a site's menus and "more stories" boxes. It only tells a hub
// from another kind of page (see notArticle); prose outweighs it.
func (s pageSignals) teaserCards() bool {
	return s.cards >= manyCards
}

// teaserProse reports a page whose paragraphs are mostly in teaser cards
// (see teaserCards): the openings of other pages, each under its own
// headline, as a news site's front page shows them.
func (s pageSignals) teaserProse() bool {
	return s.cards >= manyCards && s.paras > 0 && 2*s.cardParas >= s.paras
}

// classify decides a page's type: an article, a hub (a page listing other
// pages) or another kind of page (product, forum, service, documentation).
//
// Article evidence decides first: structured data, a declared or shown
// publication date, a date with the headline, an author. Two signals make
// an article, unless both are metadata and the page is a list of
// headlines, or most of its paragraphs are in teaser cards; three make
// one even with a tiny body. Markup of another kind (a forum's posts, a
// product's offer, code listings with no article evidence) outweighs
// weaker evidence. With one signal or none, a page is
// an article only when it is not a list of pages and its text is prose:
// with one signal, a paragraph of longParaWords words or more, and at
// least half as many such paragraphs as the page has headings, or as many
// as its main content has (a site's widgets and footers have headings
// too: 93 on one magazine's article page, 2 in its text); with none,
// proseParas such paragraphs, as many as its headings, holding most of
// the text.
func classify(s pageSignals) string {
	e, shown := s.evidence()
	switch {
	case s.forum:
		return trawler.PageOther
	case s.product && s.pricedCards < manyCards && e < strongEvidence:
		return trawler.PageOther
	case s.code && e <= 1:
		return trawler.PageOther
	case e >= strongEvidence && s.words > 0:
		return trawler.PageArticle
	case s.words < tinyBody:
		return s.notArticle()
	case e <= 2 && s.teaserProse():
		// A front or section page showing each story's opening: prose,
		// but each paragraph under another story's headline.
		return trawler.PageHub
	case e == 2 && shown == 0 && s.lists():
		// Metadata alone (og:type article and a date, as a CMS gives its
		// section pages) does not outweigh a list of headlines.
		return trawler.PageHub
	case e >= 2:
		return trawler.PageArticle
	case s.lists():
		return trawler.PageHub
	case e == 1 && s.longParas >= 1 && (s.headings <= 2*s.longParas || s.bodyHeadings <= s.longParas):
		return trawler.PageArticle
	case e == 1 && s.sentences >= proseParas && (s.headings <= 1 || s.datedHeadline()):
		// A short article: a headline and a few sentences of prose under
		// one piece of evidence. Headings elsewhere on the page (a
		// sidebar's, a footer's) weigh against a date found in metadata or
		// a corner, not against one shown with the headline.
		return trawler.PageArticle
	case e == 0 && s.longParas >= proseParas && s.headings <= s.longParas && 2*s.longWords >= s.words:
		return trawler.PageArticle
	}
	return s.notArticle()
}

// notArticle tells a hub from another kind of page. A page that lists
// pages is a hub; one with a product's, forum's, shop's or documentation's
// marks is other; any other page is a hub, as home and landing pages are:
// its links are followed, and it is revisited if shallow.
func (s pageSignals) notArticle() string {
	switch {
	case s.lists(), s.teaserCards():
		return trawler.PageHub
	case s.forum, s.product, s.code, s.shop:
		return trawler.PageOther
	}
	return trawler.PageHub
}

// prose measures the extracted paragraphs: total words, the long
// paragraphs and their words, the sentences (see sentenceWords), and the
// teasers: paragraphs that are, or open with, the text of a link of three
// words or more making most of them (a headline followed by a snippet).
func (s *pageSignals) prose(paras []string, headlines map[string]bool) {
	for _, p := range paras {
		w := wordCount(p)
		s.words += w
		if w >= longParaWords {
			s.longParas++
			s.longWords += w
		}
		if w >= sentenceWords && endsSentence(p) {
			s.sentences++
		}
		if w >= 3 && isTeaser(p, headlines) {
			s.teasers++
		}
	}
}

// endsSentence reports text ending with a sentence's closing punctuation,
// in Latin, Arabic and CJK scripts, or a closing quote after it.
func endsSentence(p string) bool {
	p = strings.TrimRight(p, " \"'”’»)")
	r, _ := utf8.DecodeLastRuneInString(p)
	return strings.ContainsRune(".!?؟。！？…", r)
}

// maxTeaserParaWords bounds the paragraphs tried as teasers.
const maxTeaserParaWords = 60

// isTeaser reports a paragraph that is a headline of the page's links, or
// opens with one that makes at least 60% of its words. squash works rune by
// rune, so the squashed first k words are a prefix of the squashed
// paragraph: it is squashed once, not once per k.
func isTeaser(p string, headlines map[string]bool) bool {
	q := foldArabic(p)
	var b strings.Builder
	b.Grow(len(q))
	var ends []int // ends[k-1]: the squashed length of the first k words
	inWord := false
	for _, r := range q {
		if unicode.IsSpace(r) {
			if inWord {
				ends, inWord = append(ends, b.Len()), false
			}
			continue
		}
		if !inWord && len(ends) == maxTeaserParaWords {
			return false
		}
		inWord = true
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(unicode.ToLower(r))
		}
	}
	if inWord {
		ends = append(ends, b.Len())
	}
	full, n := b.String(), len(ends)
	for k := n; k >= 3 && 10*k >= 6*n; k-- {
		if headlines[full[:ends[k-1]]] {
			return true
		}
	}
	return false
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
	n, cjk, inWord := 0, 0, false
	for _, r := range s {
		if unicode.IsSpace(r) {
			inWord = false
			continue
		}
		if !inWord {
			n, inWord = n+1, true
		}
		// Thai is the lowest of these scripts: skip the table lookups below it.
		if r >= '\u0e00' && unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul, unicode.Thai) {
			cjk++
		}
	}
	return n + cjk/2
}
