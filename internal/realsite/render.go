package realsite

import (
	"bytes"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"
)

// hostMarker stands for the site's host in the pages: the server writes
// the request's Host in its place, so absolute links work on any port.
const hostMarker = "realsite.invalid"

// insertion is markup to put into a page at a byte offset.
type insertion struct {
	at   int
	html string
}

// render writes every page, robots.txt and the route table.
func (s *Site) render(b *builder) error {
	for _, h := range s.hidden {
		abs := "http://" + hostMarker + h.path
		h.served = rewriteHead(h.page.raw, h.page.lower, abs, abs, "")
	}
	for _, e := range s.arts {
		s.renderArticle(b, e)
	}
	s.root = s.renderRoot(b)
	s.robots = robotsTxt()
	return s.buildRoutes()
}

// renderArticle injects e's blocks and page tools into its real page and
// rewrites its head: canonical (and og:url) to its main URL, or kept on
// the other site for a syndicated copy.
func (s *Site) renderArticle(b *builder, e *entry) {
	raw, lower := e.page.raw, e.page.lower
	endNeedles, midNeedles := needles(e.Body, 1), needles(e.Body, 2.0/3)
	var words []string
	for _, n := range slices.Concat(endNeedles, midNeedles) {
		words = append(words, n...)
	}
	m := mapText(raw, words)
	end, ok := textPoint(raw, m, endNeedles, true)
	if !ok {
		end = articleEnd(lower)
	}
	var ins []insertion
	if tools := pageTools(e); tools != "" {
		ins = append(ins, insertion{at: end, html: tools}) // before the blocks at the same place
	}
	for _, blk := range e.blocks {
		var w strings.Builder
		links := make([]link, len(blk.links))
		for i, t := range blk.links {
			links[i] = s.linkFor(b, e, blk.style, t)
			if t.to >= 0 {
				s.arts[t.to].in = append(s.arts[t.to].in, Link{From: e.Path, Markup: blk.shape.name, Heading: blk.heading.text, Title: links[i].title, Href: links[i].href})
			}
		}
		w.WriteString("\n")
		blk.shape.render(&w, blk.heading, links)
		w.WriteString("\n")
		at := end
		switch blk.at {
		case beforeBodyEnd:
			at = bodyEnd(lower)
		case midText:
			if mid, ok := textPoint(raw, m, midNeedles, false); ok {
				at = mid
			}
		}
		ins = append(ins, insertion{at: at, html: w.String()})
	}
	if !e.page.utf8 {
		for i := range ins {
			ins[i].html = asciiOnly(ins[i].html)
		}
	}
	page := insert(raw, ins)

	canonical := e.Path
	if b.rng.IntN(10) < 7 || e.page.base {
		canonical = "http://" + hostMarker + e.Path
	}
	ogURL := "http://" + hostMarker + e.Path
	var extra strings.Builder
	for _, a := range e.Aliases {
		switch a.Kind {
		case AliasAMP:
			fmt.Fprintf(&extra, `<link rel="amphtml" href="http://%s%s">`, hostMarker, esc(a.Path))
		case AliasCanonical:
			if strings.HasPrefix(a.Path, "/?p=") {
				fmt.Fprintf(&extra, `<link rel='shortlink' href='http://%s%s' />`, hostMarker, esc(a.Path))
			}
		}
	}
	if e.ForeignCanonical != "" {
		canonical, ogURL = e.ForeignCanonical, ""
	}
	e.served = rewriteHead(page, lowerASCII(page), esc(canonical), esc(ogURL), extra.String())
	for _, a := range e.Aliases {
		if a.Kind == AliasAMP {
			e.amp = ampCopy(e.served, extra.String())
		}
	}
}

// pageTools are the links a page has to its own pagination and print
// variants: WordPress's page links, a print toolbar.
func pageTools(e *entry) string {
	var pages, prints []string
	for _, a := range e.Aliases {
		switch a.Kind {
		case AliasPage:
			pages = append(pages, a.Path)
		case AliasPrint:
			prints = append(prints, a.Path)
		}
	}
	var w strings.Builder
	if len(pages) > 0 {
		w.WriteString("\n" + `<div class="page-links">Pages: <span class="post-page-numbers current" aria-current="page">1</span>`)
		for i, p := range pages {
			fmt.Fprintf(&w, ` <a href="%s" class="post-page-numbers">%d</a>`, esc(p), i+2)
		}
		fmt.Fprintf(&w, ` <a href="%s" class="post-page-numbers next" rel="next">Next page</a></div>`+"\n", esc(pages[0]))
	}
	if len(prints) > 0 {
		w.WriteString(`<div class="article-tools"><ul class="article-tools__list">`)
		for i, p := range prints {
			label := "Print"
			if i > 0 {
				label = "Print this article"
			}
			fmt.Fprintf(&w, `<li class="article-tools__item"><a href="%s" rel="nofollow" class="article-tools__print">%s</a></li>`, esc(p), label)
		}
		w.WriteString("</ul></div>\n")
	}
	return w.String()
}

// insert puts each insertion into raw; those at one offset keep their
// order.
func insert(raw []byte, ins []insertion) []byte {
	order := make([]int, len(ins))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return ins[a].at - ins[b].at })
	var out []byte
	prev := 0
	for _, i := range order {
		out = append(out, raw[prev:ins[i].at]...)
		out = append(out, ins[i].html...)
		prev = ins[i].at
	}
	return append(out, raw[prev:]...)
}

var (
	rxHTMLOpen = regexp.MustCompile(`(?is)<html\b`)
	rxScript   = regexp.MustCompile(`(?is)<script\b([^>]*)>.*?</script\s*>`)
)

// rewriteHead drops the page's canonical links, sets its og:url to ogURL
// (kept when empty) and puts a canonical link to canonical, and extra, at
// the start of its head. lower is the page in lowerASCII; both URLs are
// already HTML-escaped.
func rewriteHead(page, lower []byte, canonical, ogURL, extra string) []byte {
	head := 0 // after <head>, else after <html>, else first
	if t := tags(lower, "head"); len(t) > 0 {
		head = t[0][1]
	} else if t := tags(lower, "html"); len(t) > 0 {
		head = t[0][1]
	}
	// Spans to replace (at is the start, html the new text), the new head
	// links first: a canonical link right after <head> is removed after.
	edits := []insertion{{at: head, html: `<link rel="canonical" href="` + canonical + `">` + extra}}
	ends := []int{head}
	for _, t := range tags(lower, "link") {
		tag := lower[t[0]:t[1]]
		if bytes.Contains(tag, []byte("canonical")) && bytes.Contains(tag, []byte("rel")) {
			edits, ends = append(edits, insertion{at: t[0]}), append(ends, t[1])
		}
	}
	for _, t := range tags(lower, "meta") {
		if ogURL != "" && bytes.Contains(lower[t[0]:t[1]], []byte(`og:url`)) {
			edits = append(edits, insertion{at: t[0], html: `<meta property="og:url" content="` + ogURL + `">`})
			ends = append(ends, t[1])
		}
	}
	order := make([]int, len(edits))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return edits[a].at - edits[b].at })
	var out []byte
	prev := 0
	for _, i := range order {
		if edits[i].at < prev {
			continue // overlapping tags: keep the first edit
		}
		out = append(out, page[prev:edits[i].at]...)
		out = append(out, edits[i].html...)
		prev = ends[i]
	}
	return append(out, page[prev:]...)
}

// ampCopy makes the AMP copy of a served page: <html amp>, no scripts but
// JSON-LD, no amphtml link of its own; its canonical stays the article's.
func ampCopy(served []byte, ampLink string) []byte {
	out := []byte(strings.Replace(string(served), ampLink, "", 1))
	out = rxScript.ReplaceAllFunc(out, func(s []byte) []byte {
		if m := rxScript.FindSubmatch(s); m != nil && strings.Contains(strings.ToLower(string(m[1])), "ld+json") {
			return s
		}
		return nil
	})
	if loc := rxHTMLOpen.FindIndex(out); loc != nil {
		return slices.Concat(out[:loc[1]], []byte(" amp"), out[loc[1]:])
	}
	return slices.Concat([]byte("<html amp>"), out)
}

// asciiOnly writes the non-ASCII characters of s as character references,
// for pages in a legacy charset.
func asciiOnly(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r < utf8.RuneSelf {
			b.WriteRune(r)
		} else {
			fmt.Fprintf(&b, "&#%d;", r)
		}
	}
	return b.String()
}

// renderRoot writes "/": a small front page listing the articles of depth
// 1 with their teasers, and section links that lead nowhere on this copy.
func (s *Site) renderRoot(b *builder) []byte {
	var w strings.Builder
	w.WriteString(`<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>The Replay Post: news, analysis, opinion</title>` +
		`<meta property="og:type" content="website"><meta property="og:site_name" content="The Replay Post">` +
		`<link rel="canonical" href="http://` + hostMarker + `/"></head><body>` +
		`<header class="site-header"><a class="logo" href="/">The Replay Post</a><nav class="main-nav"><ul>` +
		`<li><a href="/world/">World</a></li><li><a href="/business/">Business</a></li><li><a href="/science/">Science</a></li><li><a href="/culture/">Culture</a></li>` +
		`</ul></nav></header><main><section class="top-stories"><h2>Top stories</h2><ul>`)
	for _, i := range b.layers[0] {
		e := s.arts[i]
		e.in = append(e.in, Link{From: "/", Markup: "front page", Heading: "Top stories", Title: e.Headline, Href: e.Path})
		fmt.Fprintf(&w, `<li class="story"><h3><a href="%s">%s</a></h3><p class="teaser">%s</p><time datetime="%s">%s</time></li>`,
			esc(e.Path), esc(e.Headline), esc(e.blurb), e.date.Format("2006-01-02"), e.date.Format("2 January 2006"))
	}
	w.WriteString(`</ul></section></main><footer class="site-footer"><p>© The Replay Post</p></footer></body></html>`)
	return []byte(w.String())
}
