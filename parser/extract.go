package parser

import (
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/markusmobius/go-trafilatura"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// maxExtractorText is the most visible text (bytes) handed to
// go-trafilatura. Its cost grows with the square of the text (it
// concatenates the text of every <p> once per selector it tries: 9 s for
// 2 MiB of paragraphs, over two minutes for 10 MiB), so a page with more
// text, an archive or a book rather than an article, is rendered whole by
// renderParagraphs from the pruned document instead: never cut short.
const maxExtractorText = 2 << 20

// prepareForExtraction readies the pruned document for the extractor in
// one walk, and measures it. It removes what is never article text
// (<head>, scripts, styles, SVG, comments…): the metadata has been read by
// then, and go-trafilatura would clone all of it three times and read the
// head for metadata of its own that Parse does not use (on the dev set
// this was a tenth of the parse time). It reveals the panels the page
// folds away (see folded). It returns the bytes of visible text, the
// runes of it inside <p> elements, and the element that marks the story's
// text, if one does: the page's one itemprop=articleBody, else its one
// <article>.
func prepareForExtraction(doc *html.Node) (total, paraRunes int, marked *html.Node) {
	var drop, format, bodies, articles []*html.Node
	panels := folded{controlled: map[string]bool{}}
	walk(doc, func(n *html.Node) bool {
		switch {
		case isInvisible(n):
			drop = append(drop, n)
			return false
		case n.Type == html.TextNode:
			total += len(n.Data)
			paraRunes += paragraphTextRunes(n)
		case n.Type == html.ElementNode:
			switch {
			case formatting[n.DataAtom], n.DataAtom == atom.Code && inlineCode(n):
				format = append(format, n)
			case n.DataAtom == atom.Article:
				articles = append(articles, n)
			}
			if attr(n, "itemprop") == "articleBody" {
				bodies = append(bodies, n)
			}
			panels.note(n)
		}
		return true
	})
	for _, n := range drop {
		detach(n)
	}
	unwrap(format)
	panels.reveal()
	switch {
	case len(bodies) == 1:
		marked = bodies[0]
	case len(bodies) == 0 && len(articles) == 1:
		marked = articles[0]
	}
	return total, paraRunes, marked
}

// formatting are the inline elements go-trafilatura keeps as formatting.
// Outside a <p> or a heading it trims the text around them: "<li><strong>
// KB</strong> refers to…" comes out "KBrefers to…", and a <div>'s or a
// <blockquote>'s text before one is split off or lost. The body is plain
// text, so they are unwrapped before extraction: their text joins the
// text around them, spaces and all. A <wbr> (a line-break opportunity in
// a long word) ends go-trafilatura's paragraph there and loses the rest,
// so it goes too. <time> would do the same, but unwrapped it brings the
// datelines it left out back into bodies (two pages worse on the dev
// set), so it stays. Inline <code> is unwrapped too (see inlineCode).
var formatting = map[atom.Atom]bool{
	atom.Em: true, atom.I: true, atom.B: true, atom.Strong: true, atom.U: true, atom.Kbd: true,
	atom.Samp: true, atom.Tt: true, atom.Var: true, atom.Sub: true, atom.Sup: true,
	atom.Del: true, atom.S: true, atom.Q: true, atom.Wbr: true,
}

// unwrap replaces each node by its children, then joins the text nodes
// that meet where they were, as the HTML parser would have made one of
// them. The joins wait until every node is unwrapped, so that a parent
// with thousands of them builds its text once.
func unwrap(nodes []*html.Node) {
	parents := make(map[*html.Node]bool, len(nodes))
	for _, n := range nodes {
		p := n.Parent
		if p == nil {
			continue
		}
		for c := n.FirstChild; c != nil; c = n.FirstChild {
			n.RemoveChild(c)
			p.InsertBefore(c, n)
		}
		p.RemoveChild(n)
		parents[p] = true
	}
	for p := range parents {
		joinText(p)
	}
}

// inlineCode reports a <code> inside running text ("the <code>VALUES
// </code> clause"): one line of text, not in a <pre>. go-trafilatura trims
// around it as around formatting; a code block keeps its element, which
// go-trafilatura renders as code.
func inlineCode(n *html.Node) bool {
	for p, d := n.Parent, 0; p != nil && d < maxParagraphDepth; p, d = p.Parent, d+1 {
		if p.DataAtom == atom.Pre {
			return false
		}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type != html.TextNode || strings.Contains(c.Data, "\n") {
			return false
		}
	}
	return true
}

// joinText merges each run of adjacent text children of p into one.
func joinText(p *html.Node) {
	for c := p.FirstChild; c != nil; c = c.NextSibling {
		if c.Type != html.TextNode || c.NextSibling == nil || c.NextSibling.Type != html.TextNode {
			continue
		}
		var b strings.Builder
		b.WriteString(c.Data)
		for next := c.NextSibling; next != nil && next.Type == html.TextNode; next = c.NextSibling {
			b.WriteString(next.Data)
			p.RemoveChild(next)
		}
		c.Data = b.String()
	}
}

// maxParagraphDepth bounds the ancestors inParagraph looks through.
const maxParagraphDepth = 8

// inParagraph reports a text node inside a <p>, a few inline levels down.
func inParagraph(n *html.Node) bool {
	for p, d := n.Parent, 0; p != nil && d < maxParagraphDepth; p, d = p.Parent, d+1 {
		if p.DataAtom == atom.P {
			return true
		}
		if isBlock(p.DataAtom) {
			return false
		}
	}
	return false
}

// maxRenderDepth bounds recursion over the extracted tree; the HTML parser
// already refuses documents nested more than 512 elements deep.
const maxRenderDepth = 1024

// extractParagraphs runs go-trafilatura on the pruned document and returns
// the main text as paragraphs. A failed extraction is an empty body, not an
// error: the page still has metadata and links.
//
// go-trafilatura's fallback (Readability, then DOM Distiller, as second
// opinions) costs about as much as its own extraction, and its result only
// replaces the first when it is more than twice as long, or when the first
// has no paragraph text. So the first extraction runs alone, and the
// fallback only when the first is short. On the dev set this keeps the
// body F1 of the full fallback and saves about a third of the time
// (docs/parser.md). On a page that marks its story, the extraction of the
// story alone is not short when it holds nine tenths of the story's
// paragraph text, however short the story: a second opinion could only
// add text from outside what the page calls its story. A page with too
// much text or, manyBlocks, too many block elements for go-trafilatura
// (see maxExtractorBlocks) is rendered whole by our own renderer.
func extractParagraphs(doc *html.Node, pageURL *url.URL, manyBlocks bool) []string {
	total, paraRunes, marked := prepareForExtraction(doc)
	if total > maxExtractorText || manyBlocks {
		return renderParagraphs(doc)
	}
	opts := trafilatura.Options{
		OriginalURL:     pageURL,
		ExcludeComments: true,
		// Dates come from pageDates, which knows labels and Arabic months;
		// htmldate's document scan is the slowest part of the library.
		HtmlDateMode: trafilatura.Disabled,
	}
	var res *trafilatura.ExtractResult
	confident := false
	switch markedRunes := paragraphRunes(marked); {
	case markedRunes > 0 && 10*markedRunes >= 7*paraRunes:
		// The page marks its story and most of its paragraphs are in it.
		res = extractWithin(marked, opts)
		n := extractedRunes(res)
		confident = n >= minConfident || 10*n >= 9*markedRunes
	case paraRunes >= minConfident:
		// Enough paragraph text for the first pass to stand alone: try it.
		// On a page with less, it would come out short and be run again.
		res, _ = trafilatura.ExtractDocument(doc, opts)
		confident = extractedRunes(res) >= minConfident
	}
	if !confident {
		opts.EnableFallback = true
		if r, err := trafilatura.ExtractDocument(doc, opts); err == nil && r != nil && r.ContentNode != nil {
			res = r
		}
	}
	if res == nil || res.ContentNode == nil {
		return nil
	}
	paras := dropRecovered(renderParagraphs(res.ContentNode))
	if len(paras) == 1 {
		src := marked
		if src == nil {
			src = doc
		}
		paras = splitGlued(paras[0], renderParagraphs(src))
	}
	return paras
}

// splitGlued returns the paragraphs of own that text runs together, or
// text alone. On a short page go-trafilatura's last resort takes the text
// of the <article> or of the whole page as one paragraph, each block's
// text run into the next ("Short newsThe council met.It voted…"); own is
// the same source rendered block by block, which keeps the breaks. White
// space is ignored in the match, as the last resort collapses it where
// the blocks were written on lines of their own.
func splitGlued(text string, own []string) []string {
	glued := noSpace(text)
	flat := make([]string, len(own))
	for i, p := range own {
		flat[i] = noSpace(p)
	}
	starts := 0
	for i := range flat {
		if !strings.HasPrefix(glued, flat[i]) {
			continue
		}
		// A page that repeats one block many times could make every block
		// a start: a few are enough for a real page's run.
		if starts++; starts > maxGlueStarts {
			break
		}
		rest := glued
		for j := i; j < len(flat) && strings.HasPrefix(rest, flat[j]); j++ {
			if rest = rest[len(flat[j]):]; rest == "" {
				if j == i {
					break // one paragraph of its own: nothing to split
				}
				return own[i : j+1]
			}
		}
	}
	return []string{text}
}

// maxGlueStarts bounds the blocks splitGlued tries a run from.
const maxGlueStarts = 8

// noSpace is s without its white space.
func noSpace(s string) string {
	return strings.Join(strings.Fields(s), "")
}

// extractedRunes returns the length of res's text, 0 when it found none.
func extractedRunes(res *trafilatura.ExtractResult) int {
	if res == nil || res.ContentNode == nil {
		return 0
	}
	return utf8.RuneCountInString(res.ContentText)
}

// paragraphRunes counts the runes of text in <p> elements under n (none
// under nil).
func paragraphRunes(n *html.Node) int {
	if n == nil {
		return 0
	}
	runes := 0
	walk(n, func(c *html.Node) bool {
		runes += paragraphTextRunes(c)
		return true
	})
	return runes
}

// paragraphTextRunes returns the runes of n when it is text inside a <p>,
// else 0.
func paragraphTextRunes(n *html.Node) int {
	if n.Type != html.TextNode || !inParagraph(n) {
		return 0
	}
	return utf8.RuneCountInString(strings.TrimSpace(n.Data))
}

// extractWithin runs go-trafilatura on the one element that marks the
// story and holds most of the page's paragraphs (see prepareForExtraction):
// what the page says is its text is where the extractor looks, and the
// menus, asides and teasers around it are not in the way. On the dev sets
// this changed ten bodies: five annotated bodies came closer to their
// truth and none went further; one page lost the standfirst it shows
// above the marked text. The element is lent to a document of its own and
// put back.
func extractWithin(marked *html.Node, opts trafilatura.Options) *trafilatura.ExtractResult {
	body := &html.Node{Type: html.ElementNode, Data: "body", DataAtom: atom.Body}
	root := &html.Node{Type: html.ElementNode, Data: "html", DataAtom: atom.Html}
	doc := &html.Node{Type: html.DocumentNode}
	doc.AppendChild(root)
	root.AppendChild(body)
	parent, next := marked.Parent, marked.NextSibling
	parent.RemoveChild(marked)
	body.AppendChild(marked)
	defer func() {
		body.RemoveChild(marked)
		parent.InsertBefore(marked, next)
	}()
	res, _ := trafilatura.ExtractDocument(doc, opts)
	return res
}

// dropRecovered drops a last paragraph that holds all the others run
// together: on a short page go-trafilatura appends the text it recovers
// from the whole page as one paragraph, the block texts joined with no
// space ("A headline hereThe first paragraph.Second paragraph."). Only
// that shape is dropped: two or more paragraphs run together, one run
// into the text before it, or a copy of the one paragraph before it (a
// page of one short paragraph); a closing paragraph that quotes an
// earlier one stays.
func dropRecovered(paras []string) []string {
	n := len(paras)
	if n < 2 {
		return paras
	}
	last, run := paras[n-1], strings.Join(paras[:n-1], "")
	i := strings.Index(last, run)
	if i < 0 {
		return paras
	}
	before, _ := utf8.DecodeLastRuneInString(last[:i])
	if n > 2 || last == run || (i > 0 && !unicode.IsSpace(before)) {
		return paras[:n-1]
	}
	return paras
}

// minConfident is the extracted length (runes) from which the first
// extraction stands alone. On the dev set, every page where the fallback
// more than doubled the text had a first extraction under 3,000 runes, and
// paragraph counts did not predict it better (docs/parser.md).
const minConfident = 3000

// renderParagraphs turns an extracted tree into plain-text paragraphs:
// every block element and <br> ends one, table cells share their row's.
func renderParagraphs(root *html.Node) []string {
	r := &renderer{}
	r.render(root, 0)
	r.flush()
	return r.paras
}

type renderer struct {
	paras []string
	cur   strings.Builder
}

func (r *renderer) flush() {
	t := strings.Trim(normalizeSpace(r.cur.String()), zeroWidth)
	if visible(t) {
		r.paras = append(r.paras, t)
	}
	r.cur.Reset()
}

// zeroWidth are the joiners editors leave at the edges of paragraphs, or
// as whole paragraphs that show as blank lines. Inside a word (ZWNJ in
// Persian, ZWJ in emoji) they stay.
const zeroWidth = "\u200c\u200d\u2060"

// visible reports text with a character that is not a format control
// (a paragraph of direction marks alone is blank too).
func visible(t string) bool {
	for _, r := range t {
		if !unicode.Is(unicode.Cf, r) {
			return true
		}
	}
	return false
}

func (r *renderer) render(n *html.Node, depth int) {
	if depth > maxRenderDepth {
		return
	}
	switch n.Type {
	case html.TextNode:
		r.cur.WriteString(n.Data)
		return
	case html.ElementNode:
		if isInvisible(n) {
			return
		}
		// go-trafilatura builds some elements without their atom.
		a := n.DataAtom
		if a == 0 {
			a = atom.Lookup([]byte(n.Data))
		}
		switch a {
		case atom.Br, atom.Hr:
			r.flush()
			return
		case atom.Td, atom.Th:
			r.cur.WriteByte(' ')
			r.renderChildren(n, depth)
			r.cur.WriteByte(' ')
			return
		}
		if isBlock(a) {
			r.flush()
			r.renderChildren(n, depth)
			r.flush()
			return
		}
	}
	r.renderChildren(n, depth)
}

func (r *renderer) renderChildren(n *html.Node, depth int) {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		r.render(c, depth+1)
	}
}

// minRepeatedPara is the length (bytes) from which a paragraph seen twice
// is a duplicate: short lines ("Advertisement", "Yes") repeat in real text.
const minRepeatedPara = 40

// dropRepeats removes a second copy of the story: templates that render
// it twice (mobile and desktop copies, an AMP fallback) make the extractor
// return it twice. The copy is recognised when one of the first three long
// paragraphs comes again; from there on, every long paragraph already seen
// is dropped. Repeats before that are kept: recipes and meal plans repeat
// lines on purpose.
func dropRepeats(paras []string) []string {
	var firsts []string
	for _, p := range paras {
		if len(p) >= minRepeatedPara {
			if firsts = append(firsts, squash(p)); len(firsts) == 3 {
				break
			}
		}
	}
	seen := make(map[string]bool, len(paras))
	restarted := false
	out := paras[:0:0]
	for _, p := range paras {
		if len(p) >= minRepeatedPara {
			k := squash(p)
			if seen[k] {
				restarted = restarted || slices.Contains(firsts, k)
				if restarted {
					continue
				}
			}
			seen[k] = true
		}
		out = append(out, p)
	}
	return out
}

// dropTitle removes leading paragraphs that repeat the headline, or that
// are a bare address (a template printing the page's URL above it): the
// body is the text under the headline.
func dropTitle(paras []string, title string) []string {
	t := squash(title)
	for len(paras) > 0 && ((t != "" && (squash(paras[0]) == t || squash(dropLeadingDate(paras[0])) == t)) || isBareURL(paras[0])) {
		paras = paras[1:]
	}
	return paras
}

// isBareURL reports a paragraph that is one web address and nothing else.
func isBareURL(p string) bool {
	return (strings.HasPrefix(p, "https://") || strings.HasPrefix(p, "http://")) && !strings.ContainsAny(p, " \t")
}

// dropDateLines removes short date lines ("Published: 25 July 2024",
// "نشر في: ١٥ آذار ٢٠٢٣") among the first paragraphs, and the labels that
// the extractor leaves of them ("Published:", "By", "آخر تحديث:", see
// isDateline): they are the byline, which the extractor sometimes keeps,
// not the text.
func dropDateLines(paras []string) []string {
	anyDate := func(time.Time) bool { return true }
	out := paras[:0:0]
	for i, p := range paras {
		if i < maxHeadDatelines && isDateline(p, nil) {
			continue
		}
		if i < 3 && wordCount(p) <= 15 {
			s := strings.ToLower(foldArabic(p))
			labelled := !afterLabel(s, rxPublishedLabel, anyDate).IsZero() || !afterLabel(s, rxModifiedLabel, anyDate).IsZero()
			if _, bare := findDate(s); labelled || (bare && wordCount(p) <= 6) {
				continue
			}
		}
		out = append(out, p)
	}
	return out
}
