package parser

import (
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// layout holds what block finding needs to know about the whole page: the
// visible text under every element, how much of it is link text, and the
// elements that hold the article itself and so must never be cut.
type layout struct {
	textLen map[*html.Node]int // bytes of visible text under a node, white space not counted
	linkLen map[*html.Node]int // the part of textLen inside links
	guarded map[*html.Node]bool
	body    *html.Node
	h1      *html.Node // the first h1, where the article starts
	total   int        // text bytes of the body
}

// Sizes, in bytes of text without white space, that tell boilerplate from
// prose.
const (
	// maxBoilerplateProse is the most non-link text a share bar, footer,
	// tag list or widget holds; a block with more is left to the extractor,
	// unless it is comments or related stories that come after the article.
	maxBoilerplateProse = 1000
	// minLeadProse is the text between the h1 and a block that shows the
	// article came before it.
	minLeadProse = 500
	// maxWrapperText is what a container may add around a block it wraps.
	maxWrapperText = 200
)

// newLayout measures doc in one walk plus one backward pass.
func newLayout(doc *html.Node) *layout {
	l := &layout{textLen: map[*html.Node]int{}, linkLen: map[*html.Node]int{}, guarded: map[*html.Node]bool{}}
	var order []*html.Node
	walk(doc, func(n *html.Node) bool {
		if isInvisible(n) {
			return false
		}
		order = append(order, n)
		switch {
		case n.Type != html.ElementNode:
		case n.DataAtom == atom.Body && l.body == nil:
			l.body = n
		case n.DataAtom == atom.H1 || markedBody(n):
			if n.DataAtom == atom.H1 && l.h1 == nil {
				l.h1 = n
			}
			for p := n; p != nil; p = p.Parent {
				l.guarded[p] = true
			}
		}
		return true
	})
	for i := len(order) - 1; i >= 0; i-- {
		n := order[i]
		if n.Type == html.TextNode {
			l.textLen[n] = visibleLen(n.Data)
		}
		if n.Type == html.ElementNode && n.DataAtom == atom.A {
			l.linkLen[n] = l.textLen[n]
		}
		if n.Parent != nil {
			l.textLen[n.Parent] += l.textLen[n]
			l.linkLen[n.Parent] += l.linkLen[n]
		}
	}
	if l.body == nil {
		l.body = doc
	}
	l.total = l.textLen[l.body]
	return l
}

// markedBody reports an element its page marks as the article's text:
// schema.org's articleBody, or hAtom's entry-content, which WordPress and
// Blogger themes put on every post. Blogger wraps each region of the page,
// the post included, in a "widget", so without this a short post would be
// cut with the sidebar.
func markedBody(n *html.Node) bool {
	return hasWord(attr(n, "itemprop"), "articleBody") || hasWord(attr(n, "class"), "entry-content")
}

// visibleLen counts the bytes of s that are not white space.
func visibleLen(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case ' ', '\t', '\n', '\r', '\f':
		default:
			n++
		}
	}
	return n
}

// prose is the text under n that is not link text.
func (l *layout) prose(n *html.Node) int { return l.textLen[n] - l.linkLen[n] }

// proseBefore measures the non-link text between the page's h1 (or the
// start of the body) and n, stopping once it reaches limit.
func (l *layout) proseBefore(n *html.Node, limit int) int {
	start := l.h1
	if start == nil {
		start = l.body
	}
	sum, started, done := 0, start == l.body, false
	walk(l.body, func(c *html.Node) bool {
		switch {
		case done || c == n:
			done = true
			return false
		case c == start:
			started = true
		case isInvisible(c) || (c.Type == html.ElementNode && c.DataAtom == atom.A):
			return false
		case c.Type == html.TextNode && started:
			sum += l.textLen[c]
			done = sum >= limit
		}
		return true
	})
	return sum
}

// cuttable reports whether a block of the given kind may be cut at n:
// never the article's frame, and only little prose, except for comments
// and related stories that follow the article's own text.
func (l *layout) cuttable(n *html.Node, kind blockKind) bool {
	if l.protected(n) {
		return false
	}
	if l.prose(n) <= maxBoilerplateProse {
		return true
	}
	if kind != kindRelated && kind != kindComments {
		return false
	}
	return l.proseBefore(n, minLeadProse) >= minLeadProse
}

// maxShownText bounds the element texts indexed by shownTexts, in bytes.
const maxShownText = 400

// shownTexts returns a lookup of the texts that some element of the page
// shows whole, such as a headline in <b> or <font>. The index is built on
// first use.
func (l *layout) shownTexts(doc *html.Node) func(string) bool {
	var set map[string]bool
	return func(s string) bool {
		if set == nil {
			set = map[string]bool{}
			walk(doc, func(n *html.Node) bool {
				if isInvisible(n) || n.Type == html.TextNode {
					return false
				}
				if n.Type == html.ElementNode && l.textLen[n] > 0 && l.textLen[n] <= maxShownText {
					set[textOf(n, maxShownText)] = true
				}
				return true
			})
		}
		return set[s]
	}
}

// protected reports whether n may not be cut as boilerplate: the document
// frame, anything holding an h1 or the marked article body, or most of the
// page's text.
func (l *layout) protected(n *html.Node) bool {
	if n == nil || n.Type != html.ElementNode {
		return true
	}
	switch n.DataAtom {
	case atom.Html, atom.Body, atom.Head, atom.Main:
		return true
	}
	return l.guarded[n] || (l.total > 0 && l.textLen[n]*10 > l.total*6)
}

// findBlocks lists the regions of doc that are not the article, in
// document order. Blocks may nest (a "Related" list inside a sidebar).
func findBlocks(doc *html.Node, l *layout) []block {
	var blocks []block
	kinds := classKinds{}
	walk(doc, func(n *html.Node) bool {
		if isInvisible(n) {
			return false
		}
		if n.Type != html.ElementNode {
			return true
		}
		if n.DataAtom == atom.Pre || n.DataAtom == atom.Code {
			return false // syntax-highlighting classes ("token comment") are no page regions
		}
		if k := kinds.classKind(n); k != kindNone && l.cuttable(n, k) && !l.unlinkedProse(n, k) && !l.inSentence(n) {
			blocks = append(blocks, block{node: n, kind: k})
		}
		if l.tableOfContents(n) {
			blocks = append(blocks, block{node: n, kind: kindNav})
			return false
		}
		if l.hoverCard(n) {
			blocks = append(blocks, block{node: n, kind: kindOverlay})
			return false
		}
		if b, ok := l.labelBlock(n); ok {
			blocks = append(blocks, b)
			return false
		}
		return true
	})
	return blocks
}

// minIndexLinks is the fewest links of a table of contents.
const minIndexLinks = 3

// tableOfContents reports a list whose links all lead to places on the
// page itself ("#history"), and hold most of its text: a table of
// contents, which repeats the article's headings. Whatever its language
// or class names, it is no part of the text. Footnote lists have prose
// around their back-links, so they stay.
func (l *layout) tableOfContents(n *html.Node) bool {
	if n.DataAtom != atom.Ul && n.DataAtom != atom.Ol {
		return false
	}
	links := 0
	for _, a := range elements(n, atom.A) {
		h := attr(a, "href")
		if len(h) < 2 || h[0] != '#' {
			return false
		}
		links++
	}
	return links >= minIndexLinks && l.linkDominated(n) && l.cuttable(n, kindNav)
}

// minSentenceProse is the non-link text a paragraph holds around a link
// for the link to be words of a sentence.
const minSentenceProse = 80

// inSentence reports a link in running text: a paragraph with prose of
// its own around it. Its class ("popup" on an annotation, "share" on a
// quoted name) says how it behaves, not that it is a region of the page.
func (l *layout) inSentence(n *html.Node) bool {
	if n.DataAtom != atom.A {
		return false
	}
	for p, d := n.Parent, 0; p != nil && d < maxParagraphDepth; p, d = p.Parent, d+1 {
		if p.DataAtom == atom.P {
			return l.prose(p) >= minSentenceProse
		}
		if isBlock(p.DataAtom) {
			return false
		}
	}
	return false
}

// labelBlock recognizes n as a heading that opens a block ("Read also",
// "مقالات مشابهة") and finds the block: the largest ancestor in which the
// heading comes first, or, when the heading sits in running text, the
// heading and the link lists right after it.
func (l *layout) labelBlock(n *html.Node) (block, bool) {
	if n.DataAtom == atom.H1 || n.DataAtom == atom.A || l.textLen[n] == 0 || l.textLen[n] > maxLabelLen || inAnchor(n) {
		return block{}, false
	}
	text := textOf(n, maxLabelLen)
	kind := labelKind(text)
	if kind == kindNone || kind == kindForm {
		return block{}, false
	}
	if !isHeading(n.DataAtom) && anchorText(n) == text {
		return block{}, false // a "Read more" link, not a heading
	}
	b := block{node: n, kind: kind, label: n}
	for p := n.Parent; p != nil; p = p.Parent {
		if !opensWith(p, n) || !l.cuttable(p, kind) {
			break
		}
		// Once the block holds more than its heading, a parent may only
		// wrap it, not add content of its own.
		if l.textLen[b.node] > l.textLen[n] && l.textLen[p]-l.textLen[b.node] > maxWrapperText {
			break
		}
		b.node = p
	}
	if b.node == n {
		b.siblings = l.linkRun(n)
	}
	return b, true
}

// maxLabelSiblings bounds the link lists read after an inline heading.
const maxLabelSiblings = 30

// linkRun returns the link lists and bare links that follow a heading in
// running text ("<b>Related</b><br><a>…</a><br><a>…</a>"), up to the first
// prose or the next heading.
func (l *layout) linkRun(label *html.Node) []*html.Node {
	var run []*html.Node
	for s := label.NextSibling; s != nil && len(run) < maxLabelSiblings; s = s.NextSibling {
		switch {
		case s.Type == html.TextNode && normalizeSpace(s.Data) == "", s.Type == html.CommentNode:
			continue
		case s.Type != html.ElementNode:
			return run
		case s.DataAtom == atom.Br || s.DataAtom == atom.Hr:
			continue
		case l.textLen[s] == 0 && first(s, atom.A) == nil:
			continue // an empty ad slot or spacer between the items
		case isHeading(s.DataAtom) || !l.linkDominated(s):
			return run
		}
		run = append(run, s)
	}
	return run
}

// opensWith reports whether no visible text comes before child inside p.
func opensWith(p, child *html.Node) bool {
	done, opens := false, false
	walk(p, func(n *html.Node) bool {
		switch {
		case done:
			return false
		case n == child:
			done, opens = true, true
			return false
		case isInvisible(n):
			return false
		case n.Type == html.TextNode && normalizeSpace(n.Data) != "":
			done = true
			return false
		}
		return true
	})
	return opens
}

// linkDominated reports whether most of n's text is link text (a list of
// headlines rather than prose).
func (l *layout) linkDominated(n *html.Node) bool {
	total := l.textLen[n]
	if total == 0 {
		return false
	}
	linked := 0
	for _, a := range elements(n, atom.A) {
		linked += l.textLen[a]
	}
	return linked*2 >= total
}

func isHeading(a atom.Atom) bool {
	switch a {
	case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
		return true
	}
	return false
}

// inAnchor reports whether n is inside an <a>.
func inAnchor(n *html.Node) bool {
	for p := n.Parent; p != nil; p = p.Parent {
		if p.Type == html.ElementNode && p.DataAtom == atom.A {
			return true
		}
	}
	return false
}

// anchorText returns the text of the single <a> that makes up n, or "".
func anchorText(n *html.Node) string {
	as := elements(n, atom.A)
	if len(as) != 1 {
		return ""
	}
	return textOf(as[0], maxLabelLen)
}

// minUnlinkedProse is the prose from which a block named "related" or
// "trending" that barely links is taken for text, not a list of stories.
const minUnlinkedProse = 200

// unlinkedProse reports a related or popular block, found by its class
// name, whose text is less than a fifth links: a list of stories is mostly
// their linked headlines, so this is the article's own text in a container
// named for its topic ("topic-related-text"). A links box inside it is
// still found and cut on its own.
func (l *layout) unlinkedProse(n *html.Node, kind blockKind) bool {
	if kind != kindRelated && kind != kindPopular {
		return false
	}
	return l.linkLen[n]*5 < l.textLen[n] && l.prose(n) >= minUnlinkedProse
}

// minCardLinks is the links a hover card holds besides its picture.
const minCardLinks = 2

// hoverCard reports a <span> inside a paragraph that opens with a picture
// and holds a list of links: the card a page shows when the pointer rests
// on a name (her photo, profile and latest stories). Hidden by the
// stylesheet until then, its text would otherwise run into the sentence
// ("Jane DoeJane Doe Senators call for…").
func (l *layout) hoverCard(n *html.Node) bool {
	if n.DataAtom != atom.Span || l.linkLen[n] == 0 || l.prose(n)*2 > l.textLen[n] || !inParagraph(n) {
		return false
	}
	img := first(n, atom.Img)
	return img != nil && opensWith(n, img) && len(elements(n, atom.A)) >= minCardLinks
}
