package parser

import (
	"strings"

	"golang.org/x/net/html"
)

// folded collects, during prepareForExtraction's walk, the panels a page
// folds away until the reader opens them: accordions and tabs, whose text
// is the article's as much as the open parts (the annotated texts keep
// it). A panel is an element that a control names in aria-controls, or
// one with the tab panel or region role, hidden by markup that the
// extractor takes for text no one reads (see hiddenPanel). Menus that
// controls open are pruned before this runs.
type folded struct {
	controlled map[string]bool // ids named by aria-controls
	hidden     []*html.Node
}

// note records what element n says of panels. Only an element with an
// id (which a control may name) or a panel's role can be one, so the
// styles and classes of the rest are never read.
func (f *folded) note(n *html.Node) {
	for id := range strings.FieldsSeq(attr(n, "aria-controls")) {
		f.controlled[id] = true
	}
	if (hasAttr(n, "id") || panelRole(n)) && hiddenPanel(n) {
		f.hidden = append(f.hidden, n)
	}
}

// reveal removes the hiding markup of the hidden elements that are panels.
func (f *folded) reveal() {
	for _, p := range f.hidden {
		if f.controlled[attr(p, "id")] || panelRole(p) {
			unhide(p)
		}
	}
}

// panelRole reports the tab panel and region roles.
func panelRole(n *html.Node) bool {
	role := strings.ToLower(attr(n, "role"))
	return role == "tabpanel" || role == "region"
}

// hiddenPanel reports an element hidden by the markup the extractor
// reads as hidden: the hidden attribute, aria-hidden, an inline style
// that says none or hidden (display:none, overflow:hidden on a panel
// animated to height 0), or a class word that opens with hidden or hide.
func hiddenPanel(n *html.Node) bool {
	if hasAttr(n, "hidden") || attr(n, "aria-hidden") == "true" {
		return true
	}
	for d := range strings.SplitSeq(attr(n, "style"), ";") {
		if hidingDecl(d) {
			return true
		}
	}
	for c := range strings.FieldsSeq(attr(n, "class")) {
		if hidingClass(c) {
			return true
		}
	}
	return false
}

// hidingDecl reports a style declaration that hides: display:none, or
// any that says hidden (overflow, visibility).
func hidingDecl(d string) bool {
	d = strings.ReplaceAll(strings.ToLower(d), " ", "")
	return d == "display:none" || strings.Contains(d, "hidden")
}

// hidingClass reports a class word that says hidden or hide.
func hidingClass(c string) bool {
	c = strings.ToLower(c)
	return strings.HasPrefix(c, "hidden") || strings.HasPrefix(c, "hide")
}

// unhide removes n's hiding markup.
func unhide(n *html.Node) {
	kept := n.Attr[:0]
	for _, a := range n.Attr {
		switch {
		case a.Namespace != "":
		case a.Key == "hidden", a.Key == "aria-hidden":
			continue
		case a.Key == "style":
			a.Val = keepParts(strings.Split(a.Val, ";"), hidingDecl, ";")
		case a.Key == "class":
			a.Val = keepParts(strings.Fields(a.Val), hidingClass, " ")
		}
		kept = append(kept, a)
	}
	n.Attr = kept
}

// keepParts joins the parts that drop does not report.
func keepParts(parts []string, drop func(string) bool, sep string) string {
	var kept []string
	for _, p := range parts {
		if !drop(p) {
			kept = append(kept, p)
		}
	}
	return strings.Join(kept, sep)
}
