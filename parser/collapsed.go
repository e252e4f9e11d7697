package parser

import (
	"strings"

	"golang.org/x/net/html"
)

// revealCollapsed shows the panels a page folds away until the reader
// opens them: accordions and tabs, whose text is the article's as much as
// the open parts (the annotated texts keep it). A panel is an element
// that a control names in aria-controls, or one with the tab panel or
// region role; hidden by an inline display:none, aria-hidden or the
// hidden attribute, which the extractor takes for text no one reads.
// Menus that controls open are pruned before this runs.
func revealCollapsed(doc *html.Node) {
	controlled := map[string]bool{}
	var panels []*html.Node
	walk(doc, func(n *html.Node) bool {
		if isInvisible(n) {
			return false
		}
		if n.Type != html.ElementNode {
			return true
		}
		for id := range strings.FieldsSeq(attr(n, "aria-controls")) {
			controlled[id] = true
		}
		if hiddenPanel(n) {
			panels = append(panels, n)
		}
		return true
	})
	for _, p := range panels {
		role := strings.ToLower(attr(p, "role"))
		if !controlled[attr(p, "id")] && role != "tabpanel" && role != "region" {
			continue
		}
		reveal(p)
	}
}

// hiddenPanel reports an element hidden by the markup revealCollapsed
// undoes.
func hiddenPanel(n *html.Node) bool {
	if hasAttr(n, "hidden") || attr(n, "aria-hidden") == "true" {
		return true
	}
	s := strings.ReplaceAll(strings.ToLower(attr(n, "style")), " ", "")
	return strings.Contains(s, "display:none")
}

// reveal removes n's hiding markup.
func reveal(n *html.Node) {
	kept := n.Attr[:0]
	for _, a := range n.Attr {
		switch {
		case a.Namespace != "":
		case a.Key == "hidden", a.Key == "aria-hidden":
			continue
		case a.Key == "style":
			var decls []string
			for d := range strings.SplitSeq(a.Val, ";") {
				if strings.ReplaceAll(strings.ToLower(d), " ", "") != "display:none" {
					decls = append(decls, d)
				}
			}
			a.Val = strings.Join(decls, ";")
		}
		kept = append(kept, a)
	}
	n.Attr = kept
}
