package parser

import (
	"cmp"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/markusmobius/go-trafilatura"
	"github.com/trawler/trawler"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

func parseBody(t *testing.T, page string) string {
	t.Helper()
	art, _, err := Parse(trawler.Page{URL: "https://example.com/2024/05/01/story-slug", Body: []byte(page), ContentType: "text/html"})
	if err != nil {
		t.Fatal(err)
	}
	return art.Body
}

func TestPlaceStreamedSegments(t *testing.T) {
	page := `<html><body><main><article><h1>Headline</h1><p>First paragraph.</p>` +
		`<template id="P:1"></template><p>Last paragraph.</p>` +
		`<template id="B:0"></template><div>Loading paragraph...</div><!--/$--></article></main>` +
		`<footer>Footer</footer>` +
		`<div hidden id="S:1"><p>Streamed paragraph.</p></div>` +
		`<div hidden id="S:2"><p>Streamed boundary.</p></div>` +
		`<script>$RS=function(a,b){};$RS("S:1","P:1");$RC("B:0","S:2")</script></body></html>`
	doc := parseHTML(t, page)
	placeStreamedSegments(doc)
	text := textOf(doc, 0)
	want := "Headline First paragraph. Streamed paragraph. Last paragraph. Streamed boundary. Footer"
	if !strings.Contains(text, want) {
		t.Errorf("text = %q, want it to hold %q", text, want)
	}
	if strings.Contains(text, "Loading") {
		t.Errorf("the boundary's fallback stayed: %q", text)
	}
}

func TestPlaceStreamedSegmentsNeedsTheScript(t *testing.T) {
	// Without the page's own move, nothing says where a segment goes.
	page := `<html><body><article><template id="P:1"></template><p>Text.</p></article><div hidden id="S:1"><p>Late.</p></div></body></html>`
	doc := parseHTML(t, page)
	placeStreamedSegments(doc)
	if got, want := textOf(doc, 0), "Text. Late."; got != want {
		t.Errorf("text = %q, want %q", got, want)
	}
}

func TestDropAuthorBio(t *testing.T) {
	story := []string{strings.Repeat("Story text goes on and on. ", 10), strings.Repeat("More of the story text. ", 10)}
	bio := "Jane Doe is a health writer who has covered nutrition for fifteen years."
	for _, tc := range []struct {
		name     string
		in, want []string
		authors  []string
	}{
		{"bio and what follows it", append(slices.Clone(story), bio, "Jane holds a degree in biology."), story, []string{"Jane Doe"}},
		{"a bio opening with a comma", append(slices.Clone(story), "Jane Doe, Editor, studied journalism at NYU and writing at Emerson College."), story, []string{"Jane Doe"}},
		{"another author's name", append(slices.Clone(story), bio), append(slices.Clone(story), bio), []string{"John Roe"}},
		{"a first name alone is no name", append(slices.Clone(story), bio), append(slices.Clone(story), bio), []string{"Jane"}},
		{"a longer name", append(slices.Clone(story), bio), append(slices.Clone(story), bio), []string{"Jane Do"}},
		{"a short credit line stays", append(slices.Clone(story), "Jane Doe contributed reporting."), append(slices.Clone(story), "Jane Doe contributed reporting."), []string{"Jane Doe"}},
	} {
		if got := trimTail(tc.in, nil, tc.authors); !slices.Equal(got, tc.want) {
			t.Errorf("%s: got %q\nwant %q", tc.name, got, tc.want)
		}
	}
}

func TestRelatedNamedProseIsKept(t *testing.T) {
	prose := strings.Repeat("Check the brake fluid every two years, the manual says so. ", 6)
	page := `<html><body><h1>Headline</h1><p>` + strings.Repeat("The story opens at length. ", 30) + `</p>` +
		`<div class="related-articles"><div class="related-links"><a href="/a">One story</a><a href="/b">Another story</a></div>` +
		`<div class="related-articles-text"><p>` + prose + `</p></div></div></body></html>`
	doc := parseHTML(t, page)
	lay := newLayout(doc)
	var cut []string
	for _, b := range findBlocks(doc, lay) {
		cut = append(cut, attr(b.node, "class"))
	}
	if !slices.Equal(cut, []string{"related-links"}) {
		t.Errorf("blocks = %q, want only the links box", cut)
	}
}

func TestHoverCardDropped(t *testing.T) {
	para := `<p>A man pleaded guilty to threatening Rep. <span class="people"><a href="/people/jane-roe">Jane Roe</a>` +
		`<span class="people-block"><img src="/roe.jpg"><a class="name" href="/people/jane-roe">Jane Roe</a>` +
		`<a href="/news/1">Senators call for a 5G coordinator</a> <a href="/news/2">Progressives oppose the bill</a></span></span>` +
		` in a voicemail left at her office, prosecutors said on Tuesday.</p>`
	page := `<html><body><article><h1>Man pleads guilty</h1>` + para +
		`<p>` + strings.Repeat("The case was heard in federal court in Buffalo, New York. ", 8) + `</p></article></body></html>`
	body := parseBody(t, page)
	if !strings.Contains(body, "threatening Rep. Jane Roe in a voicemail") {
		t.Errorf("body lost the sentence: %q", body)
	}
	if strings.Contains(body, "Senators call") {
		t.Errorf("body kept the hover card: %q", body)
	}
}

func TestDropTitleAndBareURL(t *testing.T) {
	in := []string{"https://example.com/news/cat-found-123.php", "Cat found after five years", "SANTA FE (AP) — A cat was found.", "See https://example.com/x for more."}
	want := in[2:]
	if got := dropTitle(in, "Cat found after five years"); !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestDropTitleEcho(t *testing.T) {
	story := []string{"Chelsea paid the fee this morning.", "The keeper flew to London yesterday."}
	title := "Chelsea sign the keeper"
	for _, tc := range []struct {
		name     string
		in, want []string
	}{
		{"headline and credit line", append(slices.Clone(story), title, "Example News August 08, 2018"), story},
		{"headline last", append(slices.Clone(story), title), story},
		{"headline further up stays", append([]string{title}, story...), append([]string{title}, story...)},
	} {
		if got := dropTitleEcho(tc.in, title); !slices.Equal(got, tc.want) {
			t.Errorf("%s: got %q, want %q", tc.name, got, tc.want)
		}
	}
}

// TestMarkedBodyIsKept checks a Blogger page: every region is a "widget",
// the post too, and a short post has less prose than a sidebar may hold.
// hAtom's entry-content marks the post, so its widget is not cut while the
// sidebar's are; the post is the body.
func TestMarkedBodyIsKept(t *testing.T) {
	post := "Python 3.6.0 is now available! It is the newest major release of the language, with many new features and optimizations.<br><br>" +
		"Maintenance releases for the 3.6 series will follow at regular intervals starting in the first quarter of 2017.<br><br>" +
		"We hope you enjoy Python 3.6.0, and thank all who contributed."
	links := strings.Repeat(`<li><a href="/x">A post on another blog about folds</a></li>`, 12)
	page := `<html><body><div class="widget Header" id="Header1"><h1>Python Insider</h1></div>` +
		`<div class="widget Blog" id="Blog1"><h3 class="post-title entry-title">Python 3.6.0 is now available!</h3>` +
		`<div class="post-body entry-content">` + post + `</div></div>` +
		`<div class="widget BlogList" id="BlogList1"><h2>Python-Dev Blogs</h2><ul>` + links + `</ul></div></body></html>`
	doc := parseHTML(t, page)
	for _, b := range findBlocks(doc, newLayout(doc)) {
		if attr(b.node, "id") == "Blog1" {
			t.Errorf("the post's widget is cut as %v", b.kind)
		}
	}
	art, _, err := Parse(trawler.Page{URL: "https://blog.python.org/2016/12/python-360-is-now-available.html", Body: []byte(page)})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(art.Body, "Maintenance releases for the 3.6 series") {
		t.Errorf("body %q lacks the post", art.Body)
	}
}

// TestShortPageNotRepeated checks a page of a headline and two short
// paragraphs: go-trafilatura appends the whole page's text as one more
// paragraph, which came out as "A headline hereThe first paragraph…".
func TestShortPageNotRepeated(t *testing.T) {
	page := `<html><body><h1>A real headline here</h1><p>The first paragraph of the story is short.</p><p>Second paragraph.</p></body></html>`
	art, _, err := Parse(trawler.Page{URL: "https://example.com/story", Body: []byte(page)})
	if err != nil {
		t.Fatal(err)
	}
	if want := "The first paragraph of the story is short.\n\nSecond paragraph."; art.Body != want {
		t.Errorf("body %q, want %q", art.Body, want)
	}
	// A page of one short paragraph: the recovered copy is the paragraph.
	art, _, err = Parse(trawler.Page{URL: "https://example.com/note", Body: []byte(`<html><body><p>Closed today.</p></body></html>`)})
	if err != nil {
		t.Fatal(err)
	}
	if want := "Closed today."; art.Body != want {
		t.Errorf("one-paragraph page: body %q, want %q", art.Body, want)
	}
	// A last paragraph that repeats only some of the others stays.
	kept := []string{"The first paragraph.", "Second paragraph.", "As the second paragraph said: Second paragraph."}
	if got := dropRecovered(kept); len(got) != 3 {
		t.Errorf("dropRecovered dropped a paragraph of its own: %q", got)
	}
	quoted := []string{"The first paragraph.", "It said: The first paragraph."}
	if got := dropRecovered(quoted); len(got) != 2 {
		t.Errorf("dropRecovered dropped a closing quote: %q", got)
	}
}

// TestShortArticleNotGlued checks short pages where go-trafilatura's last
// resort takes the text of the <article>, or of the page, as one
// paragraph with each block run into the next.
func TestShortArticleNotGlued(t *testing.T) {
	for _, tc := range []struct{ name, page, want string }{
		{"article", `<html><head><title>Short news</title></head><body><nav><a href="/">Home</a></nav><article><h1>Short news</h1><p>The council met on Monday evening.</p><p>It voted to close the bridge.</p><p>Repairs start in June, it said.</p></article><footer>Copyright</footer></body></html>`,
			"The council met on Monday evening.\n\nIt voted to close the bridge.\n\nRepairs start in June, it said."},
		{"lines", `<html><body>Line one of text<br>Line two of text<br>Line three</body></html>`,
			"Line one of text\n\nLine two of text\n\nLine three"},
	} {
		art, _, err := Parse(trawler.Page{URL: "https://example.com/news/" + tc.name, Body: []byte(tc.page)})
		if err != nil {
			t.Fatal(err)
		}
		if art.Body != tc.want {
			t.Errorf("%s: body %q, want %q", tc.name, art.Body, tc.want)
		}
	}
	own := []string{"Menu", "First block.", "Second block."}
	for _, tc := range []struct {
		text string
		want int
	}{
		{"First block.Second block.", 2},
		{"First block. Second block.", 2}, // the breaks collapsed to spaces
		{"First block.", 1},               // one paragraph of its own
		{"First block. Another text.", 1}, // not the page's blocks
		{"Second block.First block.", 1},  // not in the page's order
		{"MenuFirst block.Second", 1},     // ends inside a block
	} {
		if got := splitGlued(tc.text, own); len(got) != tc.want {
			t.Errorf("splitGlued(%q) = %q, want %d paragraphs", tc.text, got, tc.want)
		}
	}
	// One block repeated, and a text that is almost a run of them.
	many := slices.Repeat([]string{"x"}, 10_000)
	if got := splitGlued(strings.Repeat("x", 9_999)+"y", many); len(got) != 1 {
		t.Errorf("splitGlued split a text that is not a run of the blocks: %d paragraphs", len(got))
	}
}

// TestLinkInSentenceIsKept checks an annotated text: the links of its
// sentences carry class "popup" (they open a note), which names an
// overlay, yet they are words of the sentence and stay in the body. A
// popup that is a region of its own is still cut.
func TestLinkInSentenceIsKept(t *testing.T) {
	page := `<html><body><h1>Bartleby</h1><p>I am a rather elderly man. <a class="popup" href="javascript:void(0)">I seldom lose my temper</a>; much more seldom indulge in dangerous indignation at wrongs and outrages.</p>` +
		`<div class="popup"><a href="/signup">Sign up for our newsletter</a></div></body></html>`
	doc := parseHTML(t, page)
	var cut []string
	for _, b := range findBlocks(doc, newLayout(doc)) {
		cut = append(cut, b.node.Data)
	}
	if !slices.Equal(cut, []string{"div"}) {
		t.Errorf("blocks cut = %q, want only the popup div", cut)
	}
}

func TestRenderDropsInvisibleParagraphs(t *testing.T) {
	doc, err := html.Parse(strings.NewReader("<p>One</p><p>\u200d</p><p> \u2060\u200c </p><p>می\u200cخواهم</p><p>\u200dLeading joiner</p><p>\U0001F469\u200d\U0001F4BB</p>"))
	if err != nil {
		t.Fatal(err)
	}
	got := renderParagraphs(doc)
	want := []string{"One", "می\u200cخواهم", "Leading joiner", "\U0001F469\u200d\U0001F4BB"}
	if !slices.Equal(got, want) {
		t.Errorf("renderParagraphs = %q, want %q", got, want)
	}
}

func TestTableOfContentsDropped(t *testing.T) {
	section := func(id, head string) string {
		return `<h2 id="` + id + `">` + head + `</h2><p>` + strings.Repeat("The section "+id+" explains its subject at some length. ", 8) + `</p>`
	}
	page := `<html><body><article><h1>How to refinish a chair</h1>` +
		`<p>` + strings.Repeat("Old furniture deserves a second life. ", 6) + `</p>` +
		`<p><strong>Inhaltsverzeichnis</strong></p>` +
		`<ol><li><a href="#tools">Tools you need</a></li><li><a href="#strip">Stripping the paint</a></li><li><a href="#finish">The finish</a></li></ol>` +
		section("tools", "Tools you need") + section("strip", "Stripping the paint") + section("finish", "The finish") +
		`</article></body></html>`
	body := parseBody(t, page)
	for _, gone := range []string{"Inhaltsverzeichnis", "Tools you need\n\nStripping the paint"} {
		if strings.Contains(body, gone) {
			t.Errorf("body kept the table of contents (%q):\n%s", gone, body)
		}
	}
	for _, kept := range []string{"Tools you need", "Stripping the paint", "The finish"} {
		if !strings.Contains(body, kept) {
			t.Errorf("body lost the heading %q:\n%s", kept, body)
		}
	}
}

func TestTableOfContentsShape(t *testing.T) {
	for _, tc := range []struct {
		name, list string
		want       bool
	}{
		{"in-page links", `<ul><li><a href="#a">Tools</a></li><li><a href="#b">Paint</a></li><li><a href="#c">Finish</a></li></ul>`, true},
		{"two links only", `<ul><li><a href="#a">Tools</a></li><li><a href="#b">Paint</a></li></ul>`, false},
		{"a link elsewhere", `<ul><li><a href="#a">Tools</a></li><li><a href="#b">Paint</a></li><li><a href="/c">Finish</a></li></ul>`, false},
		{"script links", `<ul><li><a href="#">Tools</a></li><li><a href="#">Paint</a></li><li><a href="#">Finish</a></li></ul>`, false},
		{"footnotes", `<ol><li>A handbook of wood finishing, 1998, chapter four <a href="#r1">↩</a></li>` +
			`<li>The restorer's notes, a long account of varnishes <a href="#r2">↩</a></li>` +
			`<li>A letter on shellac and its many uses <a href="#r3">↩</a></li></ol>`, false},
	} {
		doc := parseHTML(t, `<html><body><h1>Title</h1>`+tc.list+`<p>`+strings.Repeat("The article itself. ", 20)+`</p></body></html>`)
		list := first(doc, atom.Ul)
		if list == nil {
			list = first(doc, atom.Ol)
		}
		if got := newLayout(doc).tableOfContents(list); got != tc.want {
			t.Errorf("%s: tableOfContents = %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestTableOfContentsLabelsStandAlone(t *testing.T) {
	for text, want := range map[string]blockKind{
		"Table of Contents":               kindNav,
		"Índice":                          kindNav,
		"Índice de precios al consumidor": kindNone,
		"Содержание белка":                kindNone,
		"Related stories":                 kindRelated,
		"More from Politics":              kindRelated,
	} {
		if got := labelKind(text); got != want {
			t.Errorf("labelKind(%q) = %d, want %d", text, got, want)
		}
	}
}

func TestCollapsedPanelsAreText(t *testing.T) {
	step := func(i, text string) string {
		return `<div class="accordion"><a role="button" aria-controls="step` + i + `">Step ` + i + `</a>` +
			`<div id="step` + i + `" style="display: none;" role="region"><p>` + text + `</p></div></div>`
	}
	page := `<html><body><article><h1>Installing solar panels</h1>` +
		`<p>` + strings.Repeat("Solar panels can cut your electric bill by a great deal over the years. ", 5) + `</p>` +
		step("1", strings.Repeat("Gather twelve months of electric bills before you ask for quotes. ", 4)) +
		step("2", strings.Repeat("Compare the quotes of several installers and their warranties. ", 4)) +
		`<button aria-controls="faq-1">Step 3</button><div id="faq-1" class="accordion-content hidden" style="height:0;overflow:hidden"><p>` +
		strings.Repeat("Ask the utility how long the grid connection takes in your area. ", 4) + `</p></div>` +
		`<div style="display:none"><p>` + strings.Repeat("A copy of the menu for small screens that nobody reads here. ", 4) + `</p></div>` +
		`<p>` + strings.Repeat("The installation itself takes a day or two once permits are in. ", 5) + `</p>` +
		`</article></body></html>`
	body := parseBody(t, page)
	for _, want := range []string{"Gather twelve months", "Compare the quotes", "Ask the utility"} {
		if !strings.Contains(body, want) {
			t.Errorf("body lost the folded panel %q:\n%s", want, body)
		}
	}
	if strings.Contains(body, "menu for small screens") {
		t.Errorf("body kept hidden text no control opens:\n%s", body)
	}
}

// go-trafilatura trims the text around formatting outside <p> and
// headings; unwrapped first, the words keep their spaces.
func TestFormattingKeepsItsSpaces(t *testing.T) {
	prose := `<p>` + strings.Repeat("The story goes on with long sentences of plain prose. ", 12) + `</p>`
	for _, tc := range []struct{ name, html, want string }{
		{"list item paragraph", `<ul><li><p><strong>“KB”</strong> refers to the rectangular <em>body</em> style of the machine.</p></li><li>Second item of the list here.</li></ul>`,
			"“KB” refers to the rectangular body style of the machine."},
		{"list item", `<ol><li>Plain <b>bold words</b> and <i>italic</i>, then more words of the item.</li><li>Another item of the list.</li></ol>`,
			"Plain bold words and italic, then more words of the item."},
		{"table cell", `<table><tr><td>A cell with <strong>strong</strong> words and a tail.</td><td>Another cell.</td></tr></table>`,
			"A cell with strong words and a tail."},
		{"quote", `<blockquote><p>Said <em>with emphasis</em> in the middle of a quote.</p></blockquote>`,
			"Said with emphasis in the middle of a quote."},
		{"nested", `<ul><li><strong>Bold <em>and italic</em></strong> then plain text of the item.</li><li>Second item.</li></ul>`,
			"Bold and italic then plain text of the item."},
		{"struck and quoted", `<ul><li>The price was <del>$20</del> <s>$18</s> now, said <q>a clerk</q> at the till.</li><li>Second item.</li></ul>`,
			"The price was $20 $18 now, said a clerk at the till."},
		{"inline code", `<ul><li>You know the <code>VALUES</code> clause from <code>INSERT</code> statements of the old days.</li><li>Second item.</li></ul>`,
			"You know the VALUES clause from INSERT statements of the old days."},
		{"a line-break opportunity", `<p>The word super<wbr>califragilistic goes on in this paragraph of the story.</p>`,
			"The word supercalifragilistic goes on in this paragraph of the story."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			body := parseBody(t, `<html><body><article><h1>A headline of the story</h1>`+prose+tc.html+prose+`</article></body></html>`)
			if !strings.Contains(body, tc.want) {
				t.Errorf("body lacks %q:\n%s", tc.want, body)
			}
		})
	}
}

func TestInlineCode(t *testing.T) {
	for _, tc := range []struct {
		page string
		want bool
	}{
		{`<p>the <code>VALUES</code> clause</p>`, true},
		{`<pre><code>SELECT 1;</code></pre>`, false},
		{`<pre><span><code>x</code></span></pre>`, false},
		{"<div><code>SELECT 1;\nSELECT 2;</code></div>", false},
		{`<p><code><span class="k">SELECT</span></code></p>`, false},
	} {
		if got := inlineCode(first(parseHTML(t, tc.page), atom.Code)); got != tc.want {
			t.Errorf("inlineCode(%s) = %v, want %v", tc.page, got, tc.want)
		}
	}
}

func TestUnwrapJoinsText(t *testing.T) {
	doc := parseHTML(t, `<p>a <b>b <i>c</i> d</b> e<span>f</span></p>`)
	var format []*html.Node
	walk(doc, func(n *html.Node) bool {
		if formatting[n.DataAtom] {
			format = append(format, n)
		}
		return true
	})
	unwrap(format)
	p := first(doc, atom.P)
	if c := p.FirstChild; c == nil || c.Type != html.TextNode || c.Data != "a b c d e" || c.NextSibling == nil || c.NextSibling.DataAtom != atom.Span {
		t.Errorf("children after unwrapping: first %+v", c)
	}
}

// The element that marks the story: the one itemprop=articleBody, else
// the one <article>.
func TestMarkedStory(t *testing.T) {
	for _, tc := range []struct{ name, page, want string }{
		{"article body", `<article id="a"><div itemprop="articleBody" id="b">Text</div></article><article id="c"></article>`, "b"},
		{"one article", `<div><article id="a"><p>Text</p></article></div>`, "a"},
		{"two articles", `<article id="a"></article><article id="b"></article>`, ""},
		{"two article bodies", `<article id="a"><div itemprop="articleBody"></div><div itemprop="articleBody"></div></article>`, ""},
		{"an article in a template", `<template><article id="a"></article></template>`, ""},
	} {
		_, _, marked := prepareForExtraction(parseHTML(t, `<html><body>`+tc.page+`</body></html>`))
		got := ""
		if marked != nil {
			got = cmp.Or(attr(marked, "id"), "(no id)")
		}
		if got != tc.want {
			t.Errorf("%s: marked %q, want %q", tc.name, got, tc.want)
		}
	}
}

// extractWithin shows the extractor the marked element alone, and puts it
// back in its place.
func TestExtractWithin(t *testing.T) {
	story := strings.Repeat(`<p>`+strings.Repeat("The council voted on the harbour plan after a long debate. ", 6)+`</p>`, 4)
	other := `<p>` + strings.Repeat("Our sister magazine has a new issue out with many stories. ", 6) + `</p>`
	doc := parseHTML(t, `<html><body><div id="page">`+other+`<article>`+story+`</article>`+other+`</div></body></html>`)
	marked := first(doc, atom.Article)
	res := extractWithin(marked, trafilatura.Options{})
	if res == nil || !strings.Contains(res.ContentText, "harbour plan") || strings.Contains(res.ContentText, "sister magazine") {
		t.Fatalf("extracted %+v", res)
	}
	if marked.Parent == nil || attr(marked.Parent, "id") != "page" || marked.PrevSibling == nil || marked.NextSibling == nil {
		t.Errorf("the marked element was not put back in its place")
	}
}

// A short story the page marks is its text even when a second opinion on
// the whole page would find more: the extraction of the story holds all
// of the story's paragraphs, so go-trafilatura's fallback does not run and
// cannot swap in the longer block of prose beside it (here a block of
// <div>s, as a sidebar or an unrelated section is written).
func TestShortMarkedStoryNeedsNoSecondOpinion(t *testing.T) {
	story := `<p>The council voted on the harbour plan after a long debate that lasted well into the night.</p>` +
		`<p>Work on the new quay starts in spring, the mayor said, and should end before the summer season.</p>`
	beside := strings.Repeat(`<div>`+strings.Repeat("Our sister magazine has a new issue out with many long stories to read. ", 5)+`</div>`, 8)
	doc := parseHTML(t, `<html><body><div id="page"><article>`+story+`</article><section>`+beside+`</section></div></body></html>`)
	u, _ := url.Parse("https://example.com/news/harbour")
	got := strings.Join(extractParagraphs(doc, u, false), "\n")
	if !strings.Contains(got, "harbour plan") || !strings.Contains(got, "new quay") {
		t.Errorf("the story is missing from the body:\n%s", got)
	}
	if strings.Contains(got, "sister magazine") {
		t.Errorf("the prose beside the story replaced or joined it:\n%s", got)
	}
}

// TestArabicDatelineWithByline checks a short Arabic news item whose
// dateline, in Arabic-Indic digits, names its author: "الثلاثاء ١٢ مارس
// ٢٠٢٤ بقلم: أحمد علي" is 65 bytes, over the 60 a bare date's element was
// allowed in bytes, where the same line in English or with Western digits
// was under. Read in runes, the date is shown with the headline and the
// byline names the author, so the page is an article.
func TestArabicDatelineWithByline(t *testing.T) {
	page := `<html lang="ar" dir="rtl"><head><meta charset="utf-8"><title>افتتاح مستشفى</title></head><body><h1>افتتاح مستشفى</h1>` +
		`<p>الثلاثاء ١٢ مارس ٢٠٢٤ بقلم: أحمد علي</p>` +
		`<p>افتتح وزير الصحة اليوم مستشفى جديداً في العاصمة يضم مئتي سرير ويخدم أكثر من مليون نسمة. وقال الوزير إن المستشفى سيبدأ باستقبال المرضى الأسبوع المقبل بعد اكتمال تجهيز الأقسام كافة.</p>` +
		`<p>وأضاف أن الحكومة تخطط لافتتاح ثلاثة مستشفيات أخرى خلال العام الجاري في محافظات الشمال والجنوب.</p></body></html>`
	art, _, err := Parse(trawler.Page{URL: "https://example.com/news/story", Body: []byte(page)})
	if err != nil {
		t.Fatal(err)
	}
	if art.PageType != trawler.PageArticle {
		t.Errorf("page type %q, want an article", art.PageType)
	}
	if len(art.Authors) != 1 || art.Authors[0] != "أحمد علي" {
		t.Errorf("authors %q, want أحمد علي", art.Authors)
	}
	if !strings.HasPrefix(art.Published, "2024-03-12") {
		t.Errorf("published %q, want 2024-03-12", art.Published)
	}
	if strings.Contains(art.Body, "بقلم") {
		t.Errorf("the dateline is left in the body: %q", art.Body)
	}
}
