package discover

import (
	"bufio"
	"bytes"
	"net/url"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// RobotsSitemaps returns the Sitemap lines of a robots.txt body, absolute
// http(s) URLs only, in order, without duplicates.
func RobotsSitemaps(body []byte) []string {
	var out []string
	seen := map[string]bool{}
	sc := bufio.NewScanner(bytes.NewReader(body))
	sc.Buffer(make([]byte, 0, 4096), 64<<10)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		k, v, ok := strings.Cut(line, ":")
		if !ok || !strings.EqualFold(strings.TrimSpace(k), "sitemap") {
			continue
		}
		v, _, _ = strings.Cut(strings.TrimSpace(v), " ")
		u, err := url.Parse(v)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || seen[u.String()] {
			continue
		}
		seen[u.String()] = true
		out = append(out, u.String())
	}
	return out
}

// FeedLinks returns the feeds an HTML page advertises in its head:
// <link rel="alternate" type="application/rss+xml|atom+xml" href="…">,
// resolved against base (and the page's <base href>).
func FeedLinks(base string, page []byte) []string {
	b, err := url.Parse(base)
	if err != nil {
		return nil
	}
	z := html.NewTokenizer(bytes.NewReader(page))
	var out []string
	seen := map[string]bool{}
	for {
		switch z.Next() {
		case html.ErrorToken:
			return out
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			a := atom.Lookup(name)
			if a == atom.Body {
				return out // feeds are announced in the head
			}
			if !hasAttr || (a != atom.Link && a != atom.Base) {
				continue
			}
			attrs := map[string]string{}
			for {
				k, v, more := z.TagAttr()
				attrs[string(k)] = string(v)
				if !more {
					break
				}
			}
			if a == atom.Base {
				if nb, err := b.Parse(attrs["href"]); err == nil {
					b = nb
				}
				continue
			}
			rels := strings.Fields(strings.ToLower(attrs["rel"]))
			typ := strings.ToLower(strings.TrimSpace(attrs["type"]))
			if !contains(rels, "alternate") || (typ != "application/rss+xml" && typ != "application/atom+xml") {
				continue
			}
			if u := resolve(b, strings.TrimSpace(attrs["href"])); u != "" && !seen[u] {
				seen[u] = true
				out = append(out, u)
			}
		}
	}
}

func contains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}
