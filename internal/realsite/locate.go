package realsite

import (
	"bytes"
	"regexp"
	"slices"
	"strings"

	"golang.org/x/net/html"

	"github.com/trawler/trawler/internal/eval"
)

// textMap is the visible text of a page as word tokens (eval.Tokens), each
// with the offset in the page bytes where its text node ends. Only text
// nodes holding one of the words looked for are tokenized; any other node
// with words is one token that matches nothing.
type textMap struct {
	toks []string
	ends []int
}

// noMatch stands for a text node without any word looked for.
const noMatch = "\x00"

// rawTextTags hold text that is not shown (or not as text).
var rawTextTags = map[string]bool{"script": true, "style": true, "noscript": true, "textarea": true, "title": true, "xmp": true, "iframe": true, "noembed": true, "noframes": true, "template": true}

// mapText tokenizes the page as a browser would, keeping byte offsets, to
// find the given words.
func mapText(raw []byte, words []string) *textMap {
	m := &textMap{}
	z := html.NewTokenizer(bytes.NewReader(raw))
	off, hidden := 0, 0
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			return m
		}
		off += len(z.Raw())
		switch tt {
		case html.StartTagToken:
			if name, _ := z.TagName(); rawTextTags[string(name)] {
				hidden++
			}
		case html.EndTagToken:
			if name, _ := z.TagName(); rawTextTags[string(name)] && hidden > 0 {
				hidden--
			}
		case html.TextToken:
			if hidden > 0 {
				continue
			}
			text := string(z.Text())
			if !slices.ContainsFunc(words, func(w string) bool { return strings.Contains(text, w) }) {
				if strings.TrimSpace(text) != "" {
					m.toks = append(m.toks, noMatch)
					m.ends = append(m.ends, off)
				}
				continue
			}
			for _, t := range eval.Tokens(text) {
				m.toks = append(m.toks, t)
				m.ends = append(m.ends, off)
			}
		}
	}
}

// find returns the end offset of the text node holding the last token of
// the first (or, with last, the last) occurrence of needle.
func (m *textMap) find(needle []string, last bool) (int, bool) {
	found := -1
	for i := 0; i+len(needle) <= len(m.toks); i++ {
		if slices.Equal(m.toks[i:i+len(needle)], needle) {
			found = i + len(needle) - 1
			if !last {
				break
			}
		}
	}
	if found < 0 {
		return 0, false
	}
	return m.ends[found], true
}

// rxBlockEnd matches the end tag of an element a block can follow.
var rxBlockEnd = regexp.MustCompile(`(?i)</(?:p|div|ul|ol|blockquote|section|figure|table|pre|article)\s*>`)

// needleWords is how many last words of a paragraph find it.
const needleWords = 4

// needles returns, for the paragraph of the ground-truth body at fraction
// frac (0 the first, 1 the last) and the three before it, its last words:
// what textPoint looks for.
func needles(body string, frac float64) [][]string {
	var paras [][]string
	for _, p := range strings.Split(body, "\n") {
		if t := eval.Tokens(p); len(t) >= needleWords {
			paras = append(paras, t[len(t)-needleWords:])
		}
	}
	if len(paras) == 0 {
		return nil
	}
	start := int(frac * float64(len(paras)-1))
	var out [][]string
	for k := start; k >= 0 && k > start-4; k-- {
		out = append(out, paras[k])
	}
	return out
}

// textPoint returns where to insert a block after the first of needles
// found (the last occurrence, with last): after the end tag of the element
// holding its last word.
func textPoint(raw []byte, m *textMap, needles [][]string, last bool) (int, bool) {
	for _, n := range needles {
		off, ok := m.find(n, last)
		if !ok {
			continue
		}
		if loc := rxBlockEnd.FindIndex(raw[off:]); loc != nil {
			return off + loc[1], true
		}
	}
	return 0, false
}

// lowerASCII returns b with ASCII letters in lower case and every other
// byte as is, so offsets stay valid.
func lowerASCII(b []byte) []byte {
	out := make([]byte, len(b))
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		out[i] = c
	}
	return out
}

// tags returns the spans of the start tags named name in the lower-cased
// page.
func tags(lower []byte, name string) [][2]int {
	var out [][2]int
	open := []byte("<" + name)
	for i := 0; ; {
		j := bytes.Index(lower[i:], open)
		if j < 0 {
			return out
		}
		start := i + j
		after := start + len(open)
		i = after
		if after >= len(lower) || !strings.ContainsRune(" \t\n\r\f/>", rune(lower[after])) {
			continue
		}
		end := bytes.IndexByte(lower[after:], '>')
		if end < 0 {
			return out
		}
		out = append(out, [2]int{start, after + end + 1})
		i = after + end + 1
	}
}

// bodyEnd returns the offset of the page's last </body>, or its end.
func bodyEnd(lower []byte) int {
	if i := bytes.LastIndex(lower, []byte("</body")); i >= 0 {
		return i
	}
	return len(lower)
}

// articleEnd returns the offset of the page's last </article>, else
// bodyEnd.
func articleEnd(lower []byte) int {
	if i := bytes.LastIndex(lower, []byte("</article")); i >= 0 {
		return i
	}
	return bodyEnd(lower)
}

// hasBase reports a <base href>, against which relative links resolve.
func hasBase(lower []byte) bool {
	for _, t := range tags(lower, "base") {
		if bytes.Contains(lower[t[0]:t[1]], []byte("href")) {
			return true
		}
	}
	return false
}
