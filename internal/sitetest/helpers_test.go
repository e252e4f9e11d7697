package sitetest

import (
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/text/encoding/charmap"
)

// startTest serves a site with test-friendly settings: a short slow delay and
// an oversized page just over maxBody.
func startTest(t *testing.T) (*Site, string) {
	t.Helper()
	s := New()
	s.SlowDelay = 20 * time.Millisecond
	s.OversizeBytes = 2 << 20
	return s, s.Start(t).URL
}

// maxBody is the body cap of the test crawler, like a real crawler's.
const maxBody = 1 << 20

// noRedirect returns a client that returns redirects instead of following
// them.
func noRedirect() *http.Client {
	return &http.Client{
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		Timeout:       10 * time.Second,
	}
}

// fetched is a response with its body decoded and parsed when it is HTML.
type fetched struct {
	status   int
	header   http.Header
	raw      []byte
	oversize bool       // body longer than maxBody; raw holds the first maxBody+1 bytes
	text     string     // body decoded to UTF-8 (HTML only)
	doc      *html.Node // parsed body (HTML only)
}

func get(t *testing.T, client *http.Client, url string) *fetched {
	t.Helper()
	resp, err := client.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxBody+1))
	if err != nil {
		t.Fatalf("GET %s: read: %v", url, err)
	}
	f := &fetched{status: resp.StatusCode, header: resp.Header, raw: raw, oversize: len(raw) > maxBody}
	mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	if mt != "text/html" || f.oversize {
		return f
	}
	if f.text, err = decode(resp.Header.Get("Content-Type"), raw); err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	if f.doc, err = html.Parse(strings.NewReader(f.text)); err != nil {
		t.Fatalf("GET %s: parse: %v", url, err)
	}
	return f
}

// decode converts a body to UTF-8 following the charset of its Content-Type.
func decode(contentType string, raw []byte) (string, error) {
	_, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		return "", fmt.Errorf("content type %q: %w", contentType, err)
	}
	switch cs := strings.ToLower(params["charset"]); cs {
	case "utf-8":
		if !utf8.Valid(raw) {
			return "", fmt.Errorf("body is not valid UTF-8")
		}
		return string(raw), nil
	case "windows-1256":
		b, err := charmap.Windows1256.NewDecoder().Bytes(raw)
		return string(b), err
	default:
		return "", fmt.Errorf("unexpected charset %q", cs)
	}
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func hasClass(n *html.Node, class string) bool {
	return n.Type == html.ElementNode && strings.Contains(" "+attr(n, "class")+" ", " "+class+" ")
}

// findAll returns the nodes under n that match, in document order.
func findAll(n *html.Node, match func(*html.Node) bool) []*html.Node {
	var out []*html.Node
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if match(n) {
			out = append(out, n)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return out
}

func element(tag string) func(*html.Node) bool {
	return func(n *html.Node) bool { return n.Type == html.ElementNode && n.Data == tag }
}

func withClass(class string) func(*html.Node) bool {
	return func(n *html.Node) bool { return hasClass(n, class) }
}

// textOf returns the text under n, script contents excluded, with a newline
// between block elements so that paragraphs do not run together.
func textOf(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		switch {
		case n.Type == html.TextNode:
			b.WriteString(n.Data)
		case n.Type == html.ElementNode && (n.Data == "script" || n.Data == "style"):
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
		if n.Type == html.ElementNode && (n.Data == "p" || n.Data == "li" || n.Data == "div" || n.Data == "h1" || n.Data == "h2") {
			b.WriteString("\n")
		}
	}
	walk(n)
	return b.String()
}

// first returns the text of the first node matching, trimmed.
func first(t *testing.T, doc *html.Node, match func(*html.Node) bool, what string) string {
	t.Helper()
	nodes := findAll(doc, match)
	if len(nodes) == 0 {
		t.Errorf("no %s", what)
		return ""
	}
	return strings.TrimSpace(textOf(nodes[0]))
}

// metaContent returns the content of <meta key="val">.
func metaContent(doc *html.Node, key, val string) string {
	for _, m := range findAll(doc, element("meta")) {
		if attr(m, key) == val {
			return attr(m, "content")
		}
	}
	return ""
}

// anchorLink is an <a href> and the class of its nearest classed ancestor, which
// tells where on the page it sits ("similar-articles", "ticker", …).
type anchorLink struct{ href, block string }

func anchors(doc *html.Node) []anchorLink {
	var out []anchorLink
	for _, a := range findAll(doc, element("a")) {
		href, ok := "", false
		for _, at := range a.Attr {
			if at.Key == "href" {
				href, ok = at.Val, true
			}
		}
		if !ok {
			continue
		}
		block := ""
		for p := a.Parent; p != nil; p = p.Parent {
			if c := attr(p, "class"); c != "" && p.Type == html.ElementNode {
				block = c
				break
			}
		}
		out = append(out, anchorLink{href: href, block: block})
	}
	return out
}
