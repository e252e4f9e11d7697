package parser

import (
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/trawler/trawler"
)

func TestClassify(t *testing.T) {
	// Shorthands: evidence of one kind or another, and prose.
	var (
		declared = pageSignals{structured: true, declaredDate: true}                   // metadata only: 2
		dated    = pageSignals{structured: true, shownDays: 1}                         // a date shown: 2
		strong   = pageSignals{structured: true, declaredDate: true, metaAuthor: true} // 3
		prose    = func(s pageSignals) pageSignals {
			s.words, s.longParas, s.longWords, s.headings = 400, 5, 300, 2
			return s
		}
	)
	with := func(s pageSignals, f func(*pageSignals)) pageSignals { f(&s); return s }
	tests := []struct {
		name string
		s    pageSignals
		want string
	}{
		{"long prose, no evidence", prose(pageSignals{}), trawler.PageArticle},
		{"prose under as many headings", with(prose(pageSignals{}), func(s *pageSignals) { s.headings = 6 }), trawler.PageHub},
		{"one signal, one long paragraph", pageSignals{metaAuthor: true, bylineAuthor: true, words: 120, longParas: 1, longWords: 60, headings: 2}, trawler.PageArticle},
		{"one signal, heading-heavy", pageSignals{structured: true, words: 300, longParas: 1, longWords: 45, headings: 9, bodyHeadings: 3}, trawler.PageHub},
		{"one signal, headings in the page's widgets", pageSignals{bylineAuthor: true, words: 1400, longParas: 13, longWords: 1350, headings: 93, bodyHeadings: 2}, trawler.PageArticle},
		{"short article: two signals", with(dated, func(s *pageSignals) { s.words = 90 }), trawler.PageArticle},
		{"tiny body, two signals", with(dated, func(s *pageSignals) { s.words = 12 }), trawler.PageHub},
		{"tiny body, strong evidence", with(strong, func(s *pageSignals) { s.words = 12 }), trawler.PageArticle},
		{"empty body, strong evidence", strong, trawler.PageHub},
		{"metadata-only pair on a list of headlines", with(declared, func(s *pageSignals) { s.words, s.teasers = 300, 12 }), trawler.PageHub},
		{"shown date on a page with teasers", with(dated, func(s *pageSignals) { s.words, s.teasers = 300, 12 }), trawler.PageArticle},
		{"declared collection, one signal", with(prose(pageSignals{structured: true}), func(s *pageSignals) { s.listing = true }), trawler.PageHub},
		{"linked headings outnumber prose", with(prose(pageSignals{}), func(s *pageSignals) { s.linkedHeadings = 12 }), trawler.PageHub},
		{"priced product grid", pageSignals{words: 300, pricedCards: 24, product: true}, trawler.PageHub},
		{"forum thread with dates and authors", with(prose(strong), func(s *pageSignals) { s.forum = true }), trawler.PageOther},
		{"product page with a date", with(prose(declared), func(s *pageSignals) { s.product = true }), trawler.PageOther},
		{"product review: strong evidence", with(prose(strong), func(s *pageSignals) { s.product = true }), trawler.PageArticle},
		{"documentation: code, no evidence", with(prose(pageSignals{}), func(s *pageSignals) { s.code = true }), trawler.PageOther},
		{"tech article: code and evidence", with(prose(dated), func(s *pageSignals) { s.code = true }), trawler.PageArticle},
		{"shop page", pageSignals{words: 200, longParas: 1, longWords: 50, headings: 8, shop: true}, trawler.PageOther},
		{"teaser cards tell a hub from a shop", pageSignals{words: 200, headings: 8, shop: true, cards: 12}, trawler.PageHub},
		{"teaser cards do not outweigh prose", with(prose(pageSignals{}), func(s *pageSignals) { s.cards, s.cardParas, s.paras = 12, 400, 2500 }), trawler.PageArticle},
		{"prose in teaser cards", with(prose(pageSignals{}), func(s *pageSignals) { s.cards, s.cardParas, s.paras = 12, 2000, 2500 }), trawler.PageHub},
		{"prose in teaser cards, two signals", with(prose(dated), func(s *pageSignals) { s.cards, s.cardParas, s.paras = 12, 2000, 2500 }), trawler.PageHub},
		{"prose in teaser cards, strong evidence", with(prose(strong), func(s *pageSignals) { s.cards, s.cardParas, s.paras = 12, 2000, 2500 }), trawler.PageArticle},
		{"landing page", pageSignals{words: 250, longParas: 1, longWords: 45, headings: 12}, trawler.PageHub},
		{"short article: one signal, three sentences", pageSignals{structured: true, words: 75, sentences: 3}, trawler.PageArticle},
		{"one signal, three sentences under headings", pageSignals{structured: true, words: 75, sentences: 3, headings: 4}, trawler.PageHub},
		// A news item dated with its headline on a page whose sidebar dates
		// other stories too: the headline's date is its one signal.
		{"dated headline, three sentences under headings", pageSignals{headlineDate: true, shownDays: 4, words: 170, sentences: 4, headings: 13}, trawler.PageArticle},
		{"dated headline among many days, three sentences under headings", pageSignals{headlineDate: true, shownDays: 12, words: 170, sentences: 4, headings: 13}, trawler.PageHub},
		{"nothing", pageSignals{}, trawler.PageHub},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := classify(tt.s); got != tt.want {
				e, shown := tt.s.evidence()
				t.Errorf("classify(%+v) = %s, want %s (evidence %d, shown %d)", tt.s, got, tt.want, e, shown)
			}
		})
	}
}

func TestEvidence(t *testing.T) {
	tests := []struct {
		name       string
		s          pageSignals
		all, shown int
	}{
		{"metadata", pageSignals{structured: true, declaredDate: true, metaAuthor: true, bylineAuthor: true}, 3, 0},
		{"a dateline and a byline", pageSignals{shownDays: 1, bylineAuthor: true, bylines: 1}, 2, 2},
		{"the date with the headline counts twice", pageSignals{shownDays: 1, headlineDate: true}, 2, 2},
		{"many days are a list's", pageSignals{shownDays: 5}, 0, 0},
		{"the headline's date among a few", pageSignals{shownDays: 5, headlineDate: true}, 1, 1},
		{"the headline's date among many", pageSignals{shownDays: 30, headlineDate: true}, 0, 0},
		{"bylines of many", pageSignals{bylineAuthor: true, bylines: 6}, 0, 0},
		{"a named author among many bylines", pageSignals{metaAuthor: true, bylineAuthor: true, bylines: 6}, 1, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if all, shown := tt.s.evidence(); all != tt.all || shown != tt.shown {
				t.Errorf("evidence(%+v) = %d, %d; want %d, %d", tt.s, all, shown, tt.all, tt.shown)
			}
		})
	}
}

func TestProse(t *testing.T) {
	excerpt := "The branch has new shelving, a teen room and a raised electrical system designed to survive the next storm surge, " +
		"and the city says the library will keep its extended summer hours until the school year starts again in September."
	paras := []string{"Eastside library branch reopens", excerpt, "School board delays vote on the new budget — members want another hearing", "Short caption"}
	heads := map[string]bool{squash("Eastside library branch reopens"): true, squash("School board delays vote on the new budget"): true}
	var s pageSignals
	s.prose(paras, heads)
	want := wordCount(excerpt)
	if s.words != want+4+wordCount(paras[2])+2 || s.longParas != 1 || s.longWords != want || s.teasers != 2 || s.sentences != 1 {
		t.Errorf("prose = %d words, %d long (%d words), %d teasers, %d sentences", s.words, s.longParas, s.longWords, s.teasers, s.sentences)
	}
}

// TestPageTypes runs whole pages through Parse: listings come out as hubs
// with their links and no authors, articles as articles.
func TestPageTypes(t *testing.T) {
	for name, want := range map[string]string{
		"seed.html": trawler.PageArticle, "en-jsonld-graph.html": trawler.PageArticle, "en-og-only.html": trawler.PageArticle,
		"ar-iso-8859-6.html": trawler.PageArticle, "hub-section.html": trawler.PageHub, "hub-home-ar.html": trawler.PageHub,
	} {
		t.Run(name, func(t *testing.T) {
			art, links, err := Parse(loadPage(t, name))
			if err != nil {
				t.Fatal(err)
			}
			if art.PageType != want {
				t.Fatalf("page type = %s, want %s", art.PageType, want)
			}
			if want == trawler.PageHub {
				if art.Title == "" || art.SiteName == "" || art.Language == "" || len(links) < 10 {
					t.Errorf("hub = %+v with %d links", art, len(links))
				}
				if !strings.HasPrefix(art.URL, "https://") || art.Related == nil || art.Tags == nil || art.Authors == nil {
					t.Errorf("hub fields: %+v", art)
				}
			}
		})
	}
}

// Whole pages, each small and written for one rule of classify.
var (
	// shortArticle is a real article's shape at its shortest: three short
	// paragraphs, og:type article, article:published_time and a byline.
	shortArticle = `<!DOCTYPE html><html lang="en"><head><title>Harbour ferry resumes service | The Bay Courier</title>
<meta property="og:type" content="article"><meta property="og:title" content="Harbour ferry resumes service">
<meta property="article:published_time" content="2024-07-25T09:00:00Z"></head><body>
<nav><a href="/">Home</a> <a href="/news/">News</a> <a href="/sport/">Sport</a></nav>
<article><h1>Harbour ferry resumes service</h1>
<p class="byline">By <a rel="author" href="/staff/jane-doe">Jane Doe</a>, July 25, 2024</p>
<p>The harbour ferry carried its first passengers in three weeks on Thursday morning after repairs to the landing.</p>
<p>The operator said the timetable is back to normal and that season tickets will be extended by three weeks.</p>
<p>Repairs to the second landing on the north shore are due to finish before the end of August.</p>
</article><footer><a href="/about">About us</a> <a href="/contact">Contact</a></footer></body></html>`

	// shortPost is the same story as a blog engine serves it: no og:type,
	// a publication date in the metadata, a byline with a date.
	shortPost = strings.Replace(shortArticle, `<meta property="og:type" content="article">`, "", 1)

	// sectionPage lists stories: each item a linked headline with a snippet.
	sectionPage = func() string {
		var b strings.Builder
		b.WriteString(`<!DOCTYPE html><html lang="en"><head><title>Local news | The Bay Courier</title>
<meta property="og:type" content="website"></head><body><h1>Local news</h1><main>`)
		for i := 1; i <= 10; i++ {
			fmt.Fprintf(&b, `<div class="teaser"><h2><a href="/news/story-%d.html">Council agrees plan number %d for the waterfront</a></h2>
<p>Councillors approved the plan after a long debate on Tuesday evening.</p></div>`, i, i)
		}
		b.WriteString(`</main></body></html>`)
		return b.String()
	}()

	// frontPage opens each story under its headline, in an <article>
	// whose <header> holds the link, as news sites' front pages do.
	frontPage = func() string {
		var b strings.Builder
		b.WriteString(`<!DOCTYPE html><html lang="en"><head><title>The Bay Courier: news from the bay</title>
<meta property="og:type" content="website"></head><body><h1>The Bay Courier</h1><main>`)
		for i := 1; i <= 10; i++ {
			fmt.Fprintf(&b, `<article><header><a href="/news/story-%d.html">Council agrees plan number %d for the waterfront</a></header>
<div class="details">3 hours ago - <a href="/news/">Local</a></div>
<p>Councillors approved plan number %d for the old waterfront after a long debate on Tuesday evening, in which residents asked for more housing, a new ferry landing, a longer promenade and fewer parking spaces, and the council promised a vote on each of them before the summer.</p></article>`, i, i, i)
		}
		b.WriteString(`</main></body></html>`)
		return b.String()
	}()

	// productPage declares a Product with an Offer and has a buy button.
	productPage = `<!DOCTYPE html><html lang="en"><head><title>Trail Runner 2 waterproof jacket | Outdoor Shop</title>
<meta property="og:type" content="product">
<script type="application/ld+json">{"@context":"https://schema.org","@type":"Product","name":"Trail Runner 2 jacket",
"offers":{"@type":"Offer","price":"129.00","priceCurrency":"EUR"}}</script></head><body>
<nav><a href="/shop/">Shop</a> <a href="/shop/jackets/">Jackets</a></nav><h1>Trail Runner 2 waterproof jacket</h1><span class="price">€129.00</span> <button>Add to cart</button>
<p>A light waterproof jacket for running in the hills, with taped seams, a hood that stays put in the wind and two zipped pockets that hold a phone and keys without bouncing around.</p>
<p>Made from recycled polyester with a waterproof membrane rated to twenty thousand millimetres, it packs into its own chest pocket and weighs under two hundred grams in a medium size.</p>
<p>Machine wash at thirty degrees, hang to dry, and reproof with a spray every few months to keep the water beading on the outside.</p>
</body></html>`

	// forumThread marks its posts up as schema.org Comments, by different
	// users, each dated.
	forumThread = func() string {
		var b strings.Builder
		b.WriteString(`<!DOCTYPE html><html lang="en"><head><title>Best tyres for winter commuting? | Cycling Forum</title>
<meta property="og:type" content="article"><meta property="article:published_time" content="2024-01-10T08:00:00Z"></head><body>
<h1>Best tyres for winter commuting?</h1>`)
		for i, user := range []string{"rider42", "coldhands", "fixie_fan", "rider42"} {
			fmt.Fprintf(&b, `<article class="message" itemscope itemtype="https://schema.org/Comment">
<a class="username" href="/members/%s/">%s</a> <time datetime="2024-01-%02dT08:00:00Z">Jan %d, 2024</time>
<div class="message-body" itemprop="text"><p>I have been riding on studded tyres for three winters now and the difference on icy mornings is huge, although they are slower and noisier on dry roads and the studs wear quickly on tarmac.</p></div></article>`, user, user, 10+i, 10+i)
		}
		b.WriteString(`</body></html>`)
		return b.String()
	}()

	// docsPage has code listings and an "Edit this page" link, no author or date.
	docsPage = `<!DOCTYPE html><html lang="en"><head><title>Configuration | Widget docs</title></head><body>
<aside class="sidebar"><ul><li><a href="/docs/">Introduction</a><ul><li><a href="/docs/install">Install</a></li><li><a href="/docs/config">Configuration</a></li></ul></li></ul></aside>
<main><h1>Configuration</h1>
<p>Widget reads its settings from a file named widget.toml in the working directory, then from the environment, so that a deployment can override any setting without editing the file.</p>
<pre><code>[server]
port = 8080</code></pre>
<p>Every setting has a default, listed below with the environment variable that overrides it and the version of Widget in which it first appeared.</p>
<pre><code>WIDGET_PORT=9090 widget serve</code></pre>
<p>Settings that name files are read relative to the directory of the configuration file, not the working directory, so that a configuration can be moved together with the files it names.</p>
<pre><code>widget check --config ./widget.toml</code></pre>
<a href="https://github.com/example/widget/edit/main/docs/config.md">Edit this page</a></main></body></html>`
)

// TestPageTypeRules parses pages of each kind, each under several
// addresses: the type never depends on the URL.
func TestPageTypeRules(t *testing.T) {
	urls := []string{
		"https://example.com/ar-utf8.html", "https://example.com/ar-1256.html",
		"https://example.com/", "https://example.com/news/2024/07/25/story.html", "https://example.com/tag/local/",
	}
	tests := []struct {
		name, page, want string
	}{
		{"short article", shortArticle, trawler.PageArticle},
		{"short post", shortPost, trawler.PageArticle},
		{"section page", sectionPage, trawler.PageHub},
		{"front page", frontPage, trawler.PageHub},
		{"product page", productPage, trawler.PageOther},
		{"forum thread", forumThread, trawler.PageOther},
		{"documentation", docsPage, trawler.PageOther},
	}
	for _, tt := range tests {
		for _, u := range urls {
			t.Run(tt.name+" at "+u, func(t *testing.T) {
				art, links, err := Parse(trawler.Page{URL: u, FinalURL: u, Status: 200, ContentType: "text/html; charset=utf-8",
					Body: []byte(tt.page), FetchedAt: time.Date(2025, 2, 16, 0, 0, 0, 0, time.UTC)})
				if err != nil {
					t.Fatal(err)
				}
				if art.PageType != tt.want {
					t.Fatalf("page type = %s, want %s", art.PageType, tt.want)
				}
				if tt.want != trawler.PageArticle && (len(links) == 0 || len(art.Authors) != 0) {
					t.Errorf("%s: %d links, authors %v; want no authors, and the links", tt.want, len(links), art.Authors)
				}
				if tt.want == trawler.PageArticle && (art.Body == "" || len(art.Authors) == 0) {
					t.Errorf("article: body %q, authors %v", art.Body, art.Authors)
				}
			})
		}
	}
}

func TestWordCount(t *testing.T) {
	// fieldsWordCount is the definition: strings.Fields, plus half a word
	// for each CJK or Thai character.
	fieldsWordCount := func(s string) int {
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
	for _, s := range []string{
		"", "   ", "one", " two  words ", "tab\tand\nnewline\u00a0nbsp\u2003em",
		"تاريخ النشر: ١٤ مارس", "東京都の天気", "カタカナ ひらがな 한국어", "ภาษาไทย ok", "mixed 中文 text",
	} {
		if got, want := wordCount(s), fieldsWordCount(s); got != want {
			t.Errorf("wordCount(%q) = %d, want %d", s, got, want)
		}
	}
}
