package parser

import (
	"net/url"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

func parseHTML(t testing.TB, s string) *html.Node {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(s))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// mustURL parses s, or returns nil for "".
func mustURL(t testing.TB, s string) *url.URL {
	t.Helper()
	if s == "" {
		return nil
	}
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}
