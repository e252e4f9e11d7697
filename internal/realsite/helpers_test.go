package realsite

import (
	"bytes"
	"errors"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"golang.org/x/net/html"
)

// origin is the address the tests serve the site under, in process.
const origin = "http://replay.test"

var (
	devOnce sync.Once
	dev     *Site
	devErr  error
)

// devSite returns the default site of the dev set, built once for the
// package's tests (building is the slow part under the race detector), or
// skips the test when the set is not beside the repository. Tests share
// its request log.
func devSite(t *testing.T) *Site {
	t.Helper()
	devOnce.Do(func() { dev, devErr = Build(Options{}) })
	if errors.Is(devErr, fs.ErrNotExist) {
		t.Skipf("no ground-truth folder at %s: %v", DefaultDir(), devErr)
	}
	if devErr != nil {
		t.Fatal(devErr)
	}
	return dev
}

// get serves uri (escaped path and query) in process.
func get(s *Site, uri string) (status int, body []byte, contentType string) {
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, origin+uri, nil))
	return rec.Code, rec.Body.Bytes(), rec.Header().Get("Content-Type")
}

// anchor is one <a href> of a served page, resolved.
type anchor struct {
	href  string // as written
	url   *url.URL
	title string
}

// anchors returns the links of page, resolved against its <base href> or
// pageURL, as a browser would.
func anchors(t *testing.T, page []byte, pageURL string) []anchor {
	t.Helper()
	doc, err := html.Parse(bytes.NewReader(page))
	if err != nil {
		t.Fatalf("%s: %v", pageURL, err)
	}
	base, _ := url.Parse(pageURL)
	var out []anchor
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.Data {
			case "base":
				if b, err := base.Parse(attr(n, "href")); err == nil && attr(n, "href") != "" {
					base = b
				}
			case "a":
				if href, ok := attrOK(n, "href"); ok {
					if u, err := base.Parse(strings.TrimSpace(href)); err == nil {
						u.Fragment = ""
						out = append(out, anchor{href: href, url: u, title: strings.Join(strings.Fields(text(n)), " ")})
					}
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return out
}

// canonicals returns the hrefs of the page's <link rel=canonical>.
func canonicals(t *testing.T, page []byte) []string {
	t.Helper()
	doc, err := html.Parse(bytes.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == "link" && attr(n, "rel") == "canonical" {
			out = append(out, attr(n, "href"))
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return out
}

func attr(n *html.Node, key string) string {
	v, _ := attrOK(n, key)
	return v
}

func attrOK(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

func text(n *html.Node) string {
	var b strings.Builder
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return b.String()
}

// reach crawls s in process from "/" as a crawler obeying robots.txt
// would, through every link of the served pages, and returns each
// article's depth (by index) and the disallowed addresses linked.
func reach(t *testing.T, s *Site) (depth map[int]int, linkedHidden map[string]bool) {
	t.Helper()
	depth = map[int]int{}
	linkedHidden = map[string]bool{}
	seen := map[string]bool{"/": true}
	type visit struct {
		uri   string
		depth int
	}
	queue := []visit{{"/", 0}}
	for len(queue) > 0 {
		v := queue[0]
		queue = queue[1:]
		status, body, _ := get(s, v.uri)
		if status != 200 {
			continue
		}
		if rt := s.Route(v.uri); rt.Article >= 0 {
			if d, ok := depth[rt.Article]; !ok || v.depth < d {
				depth[rt.Article] = v.depth
			}
		}
		for _, a := range anchors(t, body, origin+v.uri) {
			if a.url.Host != "replay.test" {
				continue
			}
			key, _ := routeKey(a.url.RequestURI())
			if IsDisallowed(a.url.EscapedPath()) {
				linkedHidden[key] = true
				continue
			}
			if !seen[key] {
				seen[key] = true
				queue = append(queue, visit{a.url.RequestURI(), v.depth + 1})
			}
		}
	}
	return depth, linkedHidden
}
