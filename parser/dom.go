package parser

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// attr returns the value of the named attribute of n, or "".
func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Namespace == "" && a.Key == key {
			return a.Val
		}
	}
	return ""
}

// hasAttr reports whether n carries the named attribute at all.
func hasAttr(n *html.Node, key string) bool {
	for _, a := range n.Attr {
		if a.Namespace == "" && a.Key == key {
			return true
		}
	}
	return false
}

// walk calls fn for every node under root in document order, root included.
// fn returns false to skip a node's children. It is iterative, so the depth
// of the tree costs no stack.
func walk(root *html.Node, fn func(*html.Node) bool) {
	if root == nil {
		return
	}
	n := root
	for {
		descend := fn(n)
		if descend && n.FirstChild != nil {
			n = n.FirstChild
			continue
		}
		for n != root && n.NextSibling == nil {
			n = n.Parent
		}
		if n == root {
			return
		}
		n = n.NextSibling
	}
}

// elements returns the element nodes under root with the given atom, in
// document order.
func elements(root *html.Node, a atom.Atom) []*html.Node {
	var out []*html.Node
	walk(root, func(n *html.Node) bool {
		if n.Type == html.ElementNode && n.DataAtom == a {
			out = append(out, n)
		}
		return true
	})
	return out
}

// first returns the first element under root with the given atom, or nil.
func first(root *html.Node, a atom.Atom) *html.Node {
	var found *html.Node
	walk(root, func(n *html.Node) bool {
		if found != nil {
			return false
		}
		if n.Type == html.ElementNode && n.DataAtom == a {
			found = n
			return false
		}
		return true
	})
	return found
}

// isInvisible reports elements whose content is never text of the page.
func isInvisible(n *html.Node) bool {
	if n.Type == html.CommentNode {
		return true
	}
	if n.Type != html.ElementNode {
		return false
	}
	switch n.DataAtom {
	case atom.Script, atom.Style, atom.Noscript, atom.Template, atom.Svg, atom.Iframe, atom.Head, atom.Select, atom.Textarea, atom.Object:
		return true
	}
	return false
}

// textOf returns the visible text under n with whitespace collapsed, reading
// at most limit bytes of collapsed text (0 means no limit). White space is
// collapsed as it is read, so that an indented page's runs of blanks do not
// use up the limit before any word is read.
func textOf(n *html.Node, limit int) string {
	var t spaceWriter
	walk(n, func(c *html.Node) bool {
		if limit > 0 && t.b.Len() >= limit {
			return false
		}
		if c != n && isInvisible(c) {
			return false
		}
		switch {
		case c.Type == html.TextNode:
			// Text after a block element starts a new line of text.
			if prev := c.PrevSibling; prev != nil && prev.Type == html.ElementNode && isBlock(prev.DataAtom) {
				t.space = true
			}
			t.write(c.Data)
		case c.Type == html.ElementNode && isBlock(c.DataAtom):
			t.space = true
		}
		return true
	})
	return t.b.String()
}

// spaceWriter builds text as normalizeSpace would return it, a word at a
// time.
type spaceWriter struct {
	b     strings.Builder
	space bool // a space is due before the next word
}

func (w *spaceWriter) write(s string) {
	for i := 0; i < len(s); {
		start := i
		i = skipSpace(s, i)
		if i != start {
			w.space = true
		}
		if i == len(s) {
			return
		}
		end := skipWord(s, i)
		if w.space && w.b.Len() > 0 {
			w.b.WriteByte(' ')
		}
		w.space = false
		w.b.WriteString(s[i:end])
		i = end
	}
}

// skipSpace and skipWord return the index after the run of white space, or
// of other text, that starts at i. ASCII, most of any page's markup, is
// judged a byte at a time.
func skipSpace(s string, i int) int {
	for i < len(s) {
		if c := s[i]; c < utf8.RuneSelf {
			if !asciiSpace(c) {
				return i
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if !isSpace(r) {
			return i
		}
		i += n
	}
	return i
}

func skipWord(s string, i int) int {
	for i < len(s) {
		if c := s[i]; c < utf8.RuneSelf {
			if asciiSpace(c) {
				return i
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if isSpace(r) {
			return i
		}
		i += n
	}
	return i
}

// asciiSpace is unicode.IsSpace for bytes below utf8.RuneSelf.
func asciiSpace(c byte) bool {
	return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' || c == '\v'
}

// isSpace reports Unicode white space and the invisible zero-width space
// and BOM.
func isSpace(r rune) bool {
	return unicode.IsSpace(r) || r == '\u200b' || r == '\ufeff'
}

// isBlock reports elements that break a line of text.
func isBlock(a atom.Atom) bool {
	switch a {
	case atom.Address, atom.Article, atom.Aside, atom.Blockquote, atom.Br, atom.Dd, atom.Div,
		atom.Dl, atom.Dt, atom.Fieldset, atom.Figcaption, atom.Figure, atom.Footer, atom.Form,
		atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6, atom.Header, atom.Hr, atom.Li,
		atom.Main, atom.Nav, atom.Ol, atom.P, atom.Pre, atom.Section, atom.Table, atom.Tbody,
		atom.Td, atom.Tfoot, atom.Th, atom.Thead, atom.Tr, atom.Ul, atom.Body, atom.Html:
		return true
	}
	return false
}

// normalizeSpace collapses runs of Unicode white space (and the invisible
// zero-width space and BOM) into single spaces and trims the ends.
func normalizeSpace(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		if isSpace(r) {
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

// classTokens splits the class, id, role and aria-label of n into lower-case
// words: "relatedPosts news_ticker" gives related, posts, news, ticker, and
// also the joined forms (relatedposts, news_ticker) for exact-name rules.
func classTokens(n *html.Node) []string {
	var toks []string
	for _, key := range [...]string{"class", "id", "role", "aria-label"} {
		v := attr(n, key)
		if v == "" {
			continue
		}
		for _, word := range strings.Fields(v) {
			toks = append(toks, strings.ToLower(word))
			toks = append(toks, splitIdent(word)...)
		}
	}
	return toks
}

// splitIdent splits an identifier on '-', '_', ':' and camelCase humps into
// lower-case parts. A single-part identifier yields nothing new.
func splitIdent(s string) []string {
	var parts []string
	start := 0
	prevLower := false
	for i, r := range s {
		switch {
		case r == '-' || r == '_' || r == ':' || r == '.':
			if i > start {
				parts = append(parts, strings.ToLower(s[start:i]))
			}
			start = i + utf8.RuneLen(r)
			prevLower = false
			continue
		case unicode.IsUpper(r) && prevLower:
			parts = append(parts, strings.ToLower(s[start:i]))
			start = i
		}
		prevLower = unicode.IsLower(r) || unicode.IsDigit(r)
	}
	if start < len(s) {
		parts = append(parts, strings.ToLower(s[start:]))
	}
	if len(parts) <= 1 {
		return nil
	}
	return parts
}

// contains reports whether n is anc or one of its descendants.
func contains(anc, n *html.Node) bool {
	for ; n != nil; n = n.Parent {
		if n == anc {
			return true
		}
	}
	return false
}

// detach removes n from its parent, if any.
func detach(n *html.Node) {
	if n.Parent != nil {
		n.Parent.RemoveChild(n)
	}
}
