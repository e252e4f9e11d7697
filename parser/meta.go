package parser

import (
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// maxJSONLD bounds the JSON-LD bytes decoded per page.
const maxJSONLD = 1 << 20

// pageMeta is the structured metadata a page declares about itself: <meta>
// tags (OpenGraph, article:*, Dublin Core, name=…), microdata, <link>s, the
// <title>, <h1>s, <html lang> and JSON-LD.
type pageMeta struct {
	meta      map[string][]string // lower-case key → values in page order
	htmlLang  string
	canonical string // raw href of <link rel=canonical>
	base      string // raw href of the first <base>
	titleTag  string
	h1s       []string
	h1Nodes   []*html.Node // the elements of h1s, for where they sit
	ld        ldData
	itemTypes map[string]int // microdata itemtypes, lower case without the vocabulary ("comment"), counted
}

// get returns the first non-empty value among keys, in the order given.
func (m *pageMeta) get(keys ...string) string {
	for _, k := range keys {
		for _, v := range m.meta[k] {
			if v = normalizeSpace(v); v != "" {
				return v
			}
		}
	}
	return ""
}

// all returns every non-empty value of key.
func (m *pageMeta) all(key string) []string {
	var out []string
	for _, v := range m.meta[key] {
		if v = normalizeSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// collectMeta reads the metadata of doc in one pass.
func collectMeta(doc *html.Node) *pageMeta {
	m := &pageMeta{meta: map[string][]string{}}
	var scripts []string
	size := 0
	walk(doc, func(n *html.Node) bool {
		if n.Type != html.ElementNode {
			return n.Type == html.DocumentNode
		}
		switch n.DataAtom {
		case atom.Html:
			m.htmlLang = attr(n, "lang")
			if m.htmlLang == "" {
				m.htmlLang = attr(n, "xml:lang")
			}
		case atom.Meta:
			m.addMeta(n)
			return false
		case atom.Link:
			rel := strings.ToLower(attr(n, "rel"))
			if m.canonical == "" && hasWord(rel, "canonical") {
				m.canonical = attr(n, "href")
			}
			return false
		case atom.Base:
			if m.base == "" {
				m.base = attr(n, "href")
			}
			return false
		case atom.Title:
			if m.titleTag == "" && n.Parent != nil && n.Parent.DataAtom != atom.Svg {
				m.titleTag = textOf(n, 2000)
			}
			return false
		case atom.H1:
			if t := textOf(n, 1000); t != "" {
				m.h1s = append(m.h1s, t)
				m.h1Nodes = append(m.h1Nodes, n)
			}
		case atom.Script:
			if strings.Contains(strings.ToLower(attr(n, "type")), "ld+json") && n.FirstChild != nil && size < maxJSONLD {
				scripts = append(scripts, n.FirstChild.Data)
				size += len(n.FirstChild.Data)
			}
			return false
		case atom.Style, atom.Template, atom.Svg:
			return false
		}
		if ip := attr(n, "itemprop"); ip != "" {
			m.addItemprop(n, ip)
		}
		if it := attr(n, "itemtype"); it != "" {
			m.addItemtype(it)
		}
		return true
	})
	m.ld = parseJSONLD(scripts)
	return m
}

func (m *pageMeta) addMeta(n *html.Node) {
	content := attr(n, "content")
	if content == "" {
		content = attr(n, "value")
	}
	for _, k := range [...]string{"property", "name", "itemprop"} {
		if v := attr(n, k); v != "" {
			for _, key := range strings.Fields(strings.ToLower(v)) {
				m.meta[key] = append(m.meta[key], content)
			}
		}
	}
	if v := attr(n, "http-equiv"); v != "" {
		key := "http-equiv:" + strings.ToLower(strings.TrimSpace(v))
		m.meta[key] = append(m.meta[key], content)
	}
}

// addItemtype counts the types of a microdata item:
// "https://schema.org/Comment" counts as "comment".
func (m *pageMeta) addItemtype(v string) {
	if m.itemTypes == nil {
		m.itemTypes = map[string]int{}
	}
	for _, t := range strings.Fields(v) {
		t = strings.TrimRight(t, "/")
		t = strings.ToLower(t[strings.LastIndexAny(t, "/#")+1:])
		if t != "" {
			m.itemTypes[t]++
		}
	}
}

// addItemprop records microdata outside <meta>: dates from datetime or
// content attributes, names from the text.
func (m *pageMeta) addItemprop(n *html.Node, prop string) {
	for _, p := range strings.Fields(strings.ToLower(prop)) {
		var v string
		switch p {
		case "datepublished", "datemodified", "datecreated", "dateupdated":
			v = attr(n, "datetime")
			if v == "" {
				v = attr(n, "content")
			}
			if v == "" {
				v = textOf(n, 200)
			}
		case "author", "creator", "headline", "name":
			if p == "name" && !isAuthorScope(n) {
				continue
			}
			if p == "author" && hasAttr(n, "itemscope") {
				continue // its itemprop=name child carries the name
			}
			v = attr(n, "content")
			if v == "" {
				v = textOf(n, 300)
			}
			if p == "name" {
				p = "author"
			}
		default:
			continue
		}
		m.meta["itemprop:"+p] = append(m.meta["itemprop:"+p], v)
	}
}

// isAuthorScope reports whether n sits directly in an itemprop=author item.
func isAuthorScope(n *html.Node) bool {
	for p := n.Parent; p != nil; p = p.Parent {
		if hasAttr(p, "itemscope") {
			return hasWord(strings.ToLower(attr(p, "itemprop")), "author")
		}
	}
	return false
}

// hasWord reports whether the space-separated list s contains w.
func hasWord(s, w string) bool {
	for f := range strings.FieldsSeq(s) {
		if f == w {
			return true
		}
	}
	return false
}
