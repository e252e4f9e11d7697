package parser

import (
	"regexp"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// placeStreamedSegments does what the inline scripts of a streamed React
// page do in the browser: the server sends the text of a slow part later,
// at the end of the body in a <div hidden id="S:…">, and a script moves it
// into the placeholder <template id="P:…"> (or the boundary <template
// id="B:…"> and its fallback) where it belongs. Left where it arrives,
// that text sits outside the article's frame and the extractor loses it.
func placeStreamedSegments(doc *html.Node) {
	byID := map[string]*html.Node{}
	var moves [][]string
	walk(doc, func(n *html.Node) bool {
		if n.Type != html.ElementNode {
			return true
		}
		if n.DataAtom == atom.Script && n.FirstChild != nil && strings.Contains(n.FirstChild.Data, "$R") {
			moves = append(moves, rxStreamMove.FindAllStringSubmatch(n.FirstChild.Data, -1)...)
			return false
		}
		if id := attr(n, "id"); len(id) > 2 && id[1] == ':' {
			byID[id] = n
		}
		return true
	})
	for _, m := range moves {
		// $RS(segment, placeholder) fills a placeholder; $RC(boundary,
		// segment) completes a boundary, replacing its fallback.
		seg, at := byID[m[2]], byID[m[3]]
		if m[1] == "C" {
			seg, at = byID[m[3]], byID[m[2]]
		}
		if seg == nil || at == nil || seg.DataAtom != atom.Div || !hasAttr(seg, "hidden") || at.DataAtom != atom.Template {
			continue
		}
		if m[1] == "C" {
			dropFallback(at)
		}
		replaceWithChildren(at, seg)
	}
}

// rxStreamMove matches the calls of React's streaming scripts that move a
// segment into place: $RS("S:1","P:1") and $RC("B:0","S:2").
var rxStreamMove = regexp.MustCompile(`\$R([SC])\("([A-Za-z]:[0-9a-z]+)","([A-Za-z]:[0-9a-z]+)"`)

// replaceWithChildren moves the children of from to where at stands and
// removes at and the emptied from.
func replaceWithChildren(at, from *html.Node) {
	if at.Parent == nil || contains(from, at) {
		return
	}
	for c := from.FirstChild; c != nil; c = from.FirstChild {
		from.RemoveChild(c)
		at.Parent.InsertBefore(c, at)
	}
	detach(at)
	detach(from)
}

// dropFallback removes the loading fallback that follows a boundary
// template, up to the <!--/$--> comment that closes the boundary.
func dropFallback(t *html.Node) {
	for s := t.NextSibling; s != nil; {
		if s.Type == html.CommentNode && strings.TrimSpace(s.Data) == "/$" {
			return
		}
		next := s.NextSibling
		detach(s)
		s = next
	}
}
