package realsite

import (
	"net/url"
	"strings"
)

// placement says where a block goes in the page.
type placement int

const (
	afterText     placement = iota // after the element holding the end of the article text
	beforeBodyEnd                  // before </body>, with the page's other widgets
	midText                        // after a paragraph about two thirds into the text
)

// hrefStyle is how a link is spelled.
type hrefStyle int

const (
	absolute     hrefStyle = iota // http://host/path
	rootRelative                  // /path
	docRelative                   // ../path
)

// plannedBlock is one related block of a page.
type plannedBlock struct {
	shape   *shape
	heading heading
	links   []target
	at      placement
	style   hrefStyle // the block's usual href spelling
}

// kickers are section labels, and the one-to-three-word titles some links
// carry instead of a headline.
var kickers = []string{"Analysis", "World", "Science", "Business", "Opinion", "Explainer", "Culture", "Health"}

// shortTitles are link titles that are not headlines.
var shortTitles = []string{"Full story", "Analysis", "In pictures", "Watch", "The details", "Explainer", "تحليل", "التفاصيل", "فيديو"}

// authors sign the cards of some blocks.
var authors = []string{"Staff reporter", "Maria Lopez", "Omar Haddad", "Jane Whitfield", "Li Wei"}

// plan splits each page's links into blocks: sometimes one link in a
// "read also" paragraph inside the text, then one block after the text or
// before </body>, or two when there are many links. Block markups are
// taken in turn so that every one is used.
func (b *builder) plan() {
	var nb, ni int
	blocks := b.rng.Perm(len(blockShapes))
	inlines := b.rng.Perm(len(inlineShapes))
	nextBlock := func() *shape { nb++; return blockShapes[blocks[(nb-1)%len(blocks)]] }
	nextInline := func() *shape { ni++; return inlineShapes[inlines[(ni-1)%len(inlines)]] }
	for _, e := range b.arts {
		links := e.out
		if len(links) >= 2 && b.rng.IntN(3) == 0 {
			e.blocks = append(e.blocks, plannedBlock{shape: nextInline(), heading: b.heading(nil, true), links: links[:1], at: midText})
			links = links[1:]
		}
		groups := [][]target{links}
		if len(links) >= 6 {
			groups = [][]target{links[:len(links)/2], links[len(links)/2:]}
		}
		for g, ls := range groups {
			at := afterText
			if g == 1 || len(groups) == 1 && b.rng.IntN(2) == 0 {
				at = beforeBodyEnd
			}
			s := nextBlock()
			e.blocks = append(e.blocks, plannedBlock{shape: s, heading: b.heading(s, false), links: ls, at: at, style: b.style(e, s)})
		}
	}
}

// heading picks a block's heading: its own half the time, else one of the
// issue's (a third of those Arabic).
func (b *builder) heading(s *shape, inline bool) heading {
	if inline {
		return inlineHeadings[b.rng.IntN(len(inlineHeadings))]
	}
	if s.name == "read-also-ar" || b.rng.IntN(2) == 0 {
		return heading{text: s.heading, rtl: s.name == "read-also-ar"}
	}
	return headings[b.rng.IntN(len(headings))]
}

// style picks a block's href spelling: document-relative where the
// original used it, root-relative where it did or by chance, else
// absolute; always absolute when the page has a <base href>.
func (b *builder) style(e *entry, s *shape) hrefStyle {
	switch {
	case e.page.base:
		return absolute
	case s.name == "similar-posts-admonition" && !e.noRelative:
		return docRelative
	case s.name == "bbc-more-on-this-story" || s.name == "liberation-related" || b.rng.IntN(3) == 0:
		return rootRelative
	}
	return absolute
}

// linkFor renders target t as a link of a block on page from.
func (s *Site) linkFor(b *builder, from *entry, style hrefStyle, t target) link {
	var l link
	p := t.path
	if t.to < 0 {
		h := s.hidden[t.hidden]
		l.title, l.blurb = h.page.headline, firstSentence(h.page.c.Body, 24)
		// The second link to a disallowed Arabic path spells it in lower
		// case, as some sites do: robots.txt must still apply.
		if b.hiddenLinks[t.hidden]++; b.hiddenLinks[t.hidden] == 2 {
			p = lowerPercent(p)
		}
		l.date, l.isoDate = "2 March 2021", "2021-03-02"
		l.unix = 1614643200
	} else {
		a := s.arts[t.to]
		l.title, l.blurb = a.Headline, a.blurb
		if b.rng.IntN(10) < 3 {
			l.title = b.shortTitle(a.Headline)
		}
		l.date, l.isoDate, l.unix = a.date.Format("2 January 2006"), a.date.Format("2006-01-02"), a.date.Unix()
		p = b.spellArabic(p, from.page.utf8)
	}
	l.kicker = kickers[b.rng.IntN(len(kickers))]
	l.author = authors[b.rng.IntN(len(authors))]
	switch style {
	case docRelative:
		l.href = relativeRef(from.Path, p)
	case rootRelative:
		l.href = p
	default:
		l.href = "http://" + hostMarker + p
	}
	return l
}

// shortTitle is a one-to-three-word link title: the headline's first
// words or a label.
func (b *builder) shortTitle(headline string) string {
	if b.rng.IntN(2) == 0 {
		return shortTitles[b.rng.IntN(len(shortTitles))]
	}
	w := strings.Fields(headline)
	return strings.Join(w[:min(len(w), 1+b.rng.IntN(3))], " ")
}

// spellArabic writes an Arabic address as pages do: percent-encoded in
// upper case mostly, sometimes as raw UTF-8 (on UTF-8 pages), rarely in
// lower case.
func (b *builder) spellArabic(p string, utf8Page bool) string {
	if !strings.Contains(p, "%D8") && !strings.Contains(p, "%D9") {
		return p
	}
	switch n := b.rng.IntN(10); {
	case n < 3 && utf8Page:
		pathPart, q, hasQ := strings.Cut(p, "?")
		if dec, err := url.PathUnescape(pathPart); err == nil {
			if hasQ {
				return dec + "?" + q
			}
			return dec
		}
	case n == 9:
		return lowerPercent(p)
	}
	return p
}

// lowerPercent writes the percent escapes of p in lower case.
func lowerPercent(p string) string {
	out := []byte(p)
	for i := 0; i+2 < len(out); i++ {
		if out[i] == '%' {
			out[i+1] = toLowerHex(out[i+1])
			out[i+2] = toLowerHex(out[i+2])
		}
	}
	return string(out)
}

func toLowerHex(c byte) byte {
	if c >= 'A' && c <= 'F' {
		return c + 'a' - 'A'
	}
	return c
}
