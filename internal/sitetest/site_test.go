package sitetest

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/text/encoding/charmap"
)

func TestArticlesServed(t *testing.T) {
	s, origin := startTest(t)
	client := noRedirect()
	for _, e := range s.Articles() {
		t.Run(e.Path, func(t *testing.T) {
			f := get(t, client, origin+e.Path)
			if f.status != http.StatusOK {
				t.Fatalf("status %d, want 200", f.status)
			}
			arabic := strings.HasPrefix(e.Path, "/ar/")
			wantCT, wantCharset := "text/html; charset=utf-8", "utf-8"
			if arabic {
				wantCT, wantCharset = "text/html; charset=windows-1256", "windows-1256"
			}
			if got := f.header.Get("Content-Type"); got != wantCT {
				t.Errorf("Content-Type %q, want %q", got, wantCT)
			}
			if got := attr(findAll(f.doc, element("meta"))[0], "charset"); got != wantCharset {
				t.Errorf("<meta charset> %q, want %q", got, wantCharset)
			}
			if arabic {
				// The bytes are windows-1256, not UTF-8, and hold the
				// encoded headline.
				if utf8.Valid(f.raw) {
					t.Error("Arabic page is valid UTF-8; want windows-1256 bytes")
				}
				enc, err := charmap.Windows1256.NewEncoder().String(e.Title)
				if err != nil || !bytes.Contains(f.raw, []byte(enc)) {
					t.Errorf("raw page lacks the windows-1256 headline (err %v)", err)
				}
			}

			doc := f.doc
			if got := attr(findAll(doc, element("html"))[0], "lang"); got != e.Language {
				t.Errorf("<html lang> %q, want %q", got, e.Language)
			}
			checks := []struct{ what, got, want string }{
				{"<title>", first(t, doc, element("title"), "title"), e.Title + " | " + e.SiteName},
				{"<h1>", first(t, doc, element("h1"), "h1"), e.Title},
				{"og:title", metaContent(doc, "property", "og:title"), e.Title},
				{"og:site_name", metaContent(doc, "property", "og:site_name"), e.SiteName},
				{"og:type", metaContent(doc, "property", "og:type"), "article"},
				{"article:published_time", metaContent(doc, "property", "article:published_time"), e.Published},
				{"description", metaContent(doc, "name", "description"), e.Description},
				{"author", metaContent(doc, "name", "author"), e.Author},
				{"byline author", first(t, doc, withClass("author"), "author"), e.Author},
				{"source credit", first(t, doc, withClass("source-credit"), "source credit"), labelsFor(e.Language).Source + " " + e.Source},
				{"canonical", attr(findAll(doc, func(n *html.Node) bool { return n.Data == "link" && attr(n, "rel") == "canonical" })[0], "href"), origin + e.Path},
			}
			for _, c := range checks {
				if c.got != c.want {
					t.Errorf("%s = %q, want %q", c.what, c.got, c.want)
				}
			}
			if _, err := time.Parse(time.RFC3339, e.Published); err != nil {
				t.Errorf("Published: %v", err)
			}

			ld := findAll(doc, func(n *html.Node) bool { return n.Data == "script" && attr(n, "type") == "application/ld+json" })
			if e.HasJSONLD != (len(ld) == 1) {
				t.Fatalf("%d JSON-LD scripts, HasJSONLD %v", len(ld), e.HasJSONLD)
			}
			if e.HasJSONLD {
				var na map[string]any
				if err := json.Unmarshal([]byte(ld[0].FirstChild.Data), &na); err != nil {
					t.Fatalf("JSON-LD: %v", err)
				}
				if na["@type"] != "NewsArticle" || na["headline"] != e.Title || na["datePublished"] != e.Published {
					t.Errorf("JSON-LD = %v, want NewsArticle %q %q", na, e.Title, e.Published)
				}
			}

			// The body strings sit in the story body; the boilerplate
			// strings are on the page, but outside it.
			body := textOf(findAll(doc, withClass("story-body"))[0])
			page := textOf(doc)
			for _, want := range e.BodyMustContain {
				if !strings.Contains(body, want) {
					t.Errorf("story body lacks %q", want)
				}
			}
			for _, bad := range e.BodyMustNotContain {
				if strings.Contains(body, bad) {
					t.Errorf("story body contains boilerplate %q", bad)
				}
				if !strings.Contains(page, bad) {
					t.Errorf("page lacks boilerplate %q: not a real trap", bad)
				}
			}

			var related []string
			for _, a := range anchors(doc) {
				if a.block == "similar-articles" {
					related = append(related, pathOf(t, a.href))
				}
			}
			if !slices.Equal(related, e.Related) {
				t.Errorf("similar list %q, want Related %q", related, e.Related)
			}
		})
	}
}

func pathOf(t *testing.T, href string) string {
	t.Helper()
	u, err := url.Parse(href)
	if err != nil {
		t.Fatalf("href %q: %v", href, err)
	}
	return u.Path
}

func TestHubsServed(t *testing.T) {
	s, origin := startTest(t)
	for _, p := range s.Hubs() {
		f := get(t, noRedirect(), origin+p)
		if f.status != http.StatusOK {
			t.Fatalf("%s: status %d", p, f.status)
		}
		lang := "en"
		if strings.HasPrefix(p, "/ar/") {
			lang = "ar"
		}
		if got, want := f.header.Get("Content-Type"), contentType(lang); got != want {
			t.Errorf("%s: Content-Type %q, want %q", p, got, want)
		}
		if got := metaContent(f.doc, "property", "og:type"); got != "website" {
			t.Errorf("%s: og:type %q, want website", p, got)
		}
		if n := len(anchors(f.doc)); n < 8 {
			t.Errorf("%s: %d links, want a hub's many", p, n)
		}
		if n := len(findAll(f.doc, withClass("story-body"))); n != 0 {
			t.Errorf("%s: hub has a story body", p)
		}
		// Little prose: no paragraph is longer than a one-sentence teaser.
		for _, para := range findAll(f.doc, element("p")) {
			if w := len(strings.Fields(textOf(para))); w > 30 {
				t.Errorf("%s: %d-word paragraph on a hub", p, w)
			}
		}
	}
}

func TestCatalog(t *testing.T) {
	s := New()
	if n := len(s.cat.articles); n < 28 || n > 32 {
		t.Errorf("%d article pages, want about 30", n)
	}
	titles := map[string]bool{}
	onlyRelated := map[string]int{}
	for _, a := range s.cat.articles {
		if titles[a.title] {
			t.Errorf("%s: duplicate title %q", a.path, a.title)
		}
		titles[a.title] = true
		words := len(strings.Fields(strings.Join(a.paras, " ")))
		minWords := 150
		if !a.expected() {
			minWords = 100
		}
		if len(a.paras) < 4 || words < minWords {
			t.Errorf("%s: %d paragraphs, %d words; want a real story", a.path, len(a.paras), words)
		}
		if (a.lang == "ar") != strings.HasPrefix(a.path, "/ar/") {
			t.Errorf("%s: language %s outside its section", a.path, a.lang)
		}
		if ra := s.cat.byPath[a.readAlso]; ra == nil || ra.kind != regular || ra.lang != a.lang || ra == a {
			t.Errorf("%s: read-also %s is not another regular article in %s", a.path, a.readAlso, a.lang)
		}
		for _, p := range a.similar {
			sim := s.cat.byPath[p]
			ok := sim != nil && sim != a && (sim.kind == regular ||
				sim.kind == relatedOnly && a.kind == anchor ||
				sim.kind == deep && a.kind == relatedOnly)
			if !ok {
				t.Errorf("%s: similar %s breaks the link graph (see doc.go)", a.path, p)
			}
		}
		if a.kind == relatedOnly {
			onlyRelated[a.lang]++
		}
	}
	if onlyRelated["en"]+onlyRelated["ar"] < 4 || onlyRelated["en"] == 0 || onlyRelated["ar"] == 0 {
		t.Errorf("related-only articles by language: %v", onlyRelated)
	}
	for _, e := range s.Articles() {
		a := s.cat.byPath[e.Path]
		body := strings.Join(a.paras, "\n\n")
		for _, bad := range e.BodyMustNotContain {
			if strings.Contains(body, bad) {
				t.Errorf("%s: body contains its own BodyMustNotContain %q", e.Path, bad)
			}
		}
		if len(e.BodyMustNotContain) < 8 {
			t.Errorf("%s: only %d BodyMustNotContain", e.Path, len(e.BodyMustNotContain))
		}
	}
	if got, want := s.PageCount(), len(s.Hubs())+len(s.Articles()); got != want {
		t.Errorf("PageCount %d, want %d", got, want)
	}
}
